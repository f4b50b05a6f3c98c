public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// Everything the risk model may look at for a school (Core `RiskEvidence`): its quality-mark
/// decisions, its supervision visits with findings, and the signals linked to it.
///
/// Unmatched signals (no `school_id`) are not evidence about any school, and a signal linked as the
/// duplicate of another (`duplicate_of`) is no evidence of its own
/// (docs/decisions/0008-signal-lifecycle-and-intake.md). The corroboration links between the school's signals come
/// along as ``RiskEvidence/corroborations``.
public struct EvidenceRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Usually reached through ``Store``; the client must be running.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The evidence generation of each of `schoolIds` (sql/0035): a number that every committed change
    /// of the school's evidence (decisions, visits and findings, signals and their relations, replies)
    /// moves forward. `0` for a school whose evidence never changed since the counter existed.
    ///
    /// Read it **before** the evidence it is to label: evidence read later is then at least as new as
    /// the generation, so an assessment kept under it is never older than its label says.
    public func generations(of schoolIds: [UUID]) async throws -> [UUID: Int64] {
        guard !schoolIds.isEmpty else { return [:] }
        return try await StoreError.translating(logger: logger) {
            var result = Dictionary(uniqueKeysWithValues: schoolIds.map { ($0, Int64(0)) })
            let rows = try await client.query(
                "SELECT school_id, generation FROM school_evidence_generations WHERE school_id = ANY(\(schoolIds))", logger: logger)
            for try await (id, generation) in rows.decode((UUID, Int64).self) { result[id] = generation }
            return result
        }
    }

    /// The evidence about one school; empty lists for an unknown school.
    public func evidence(schoolId: UUID, asOf: Date? = nil) async throws -> RiskEvidence {
        let all = try await evidence(schoolIds: [schoolId], asOf: asOf)
        return all[schoolId] ?? RiskEvidence(schoolId: schoolId, decisions: [], visits: [], signals: [])
    }

    /// The evidence about each of `schoolIds`, in five queries whatever their number (no N+1), read
    /// in one `REPEATABLE READ` transaction so that all of it is of one moment.
    ///
    /// - Returns: one entry per distinct id asked for, with empty lists for schools without evidence
    ///   or unknown. Decisions ordered by period start; visits newest first; signals newest first,
    ///   duplicates left out; corroborations (pairs of the school's own non-duplicate signals linked
    ///   as corroborating) oldest link first.
    /// - Parameter asOf: the knowledge cut-off (docs/decisions/0014-as-of-semantics.md): only facts recorded at
    ///   or before it, each signal with the status, school and duplicate link it had then
    ///   (`fraud_signal_versions`, sql/0025), corrections recorded later ignored; `nil` for now.
    public func evidence(schoolIds: [UUID], asOf: Date? = nil) async throws -> [UUID: RiskEvidence] {
        let ids = Array(Set(schoolIds))
        guard !ids.isEmpty else { return [:] }
        return try await StoreError.translating(logger: logger) {
          try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            return try await Self.evidence(schoolIds: ids, asOf: asOf, on: connection, logger: logger)
          }
        }
    }

    /// As ``evidence(schoolIds:asOf:)``, on `connection` inside the caller's transaction (which then
    /// sees its own writes): for comparing a verdict before and after a change (``VerdictWatch``).
    static func evidence(schoolIds ids: [UUID], asOf: Date?, on connection: PostgresConnection, logger: Logger) async throws -> [UUID: RiskEvidence] {
        // Each statement reads the table itself for now, and the version current at `asOf` otherwise
        // (decisions: a period a later decision cut short is read as it stood; rectified ones left out).
        var decisions: [UUID: [QualityMarkDecision]] = [:]
        for try await decision in try await connection.execute(DecisionsStatement(schoolIds: ids, asOf: asOf), logger: logger) {
            decisions[decision.schoolId, default: []].append(decision)
        }
        let visits = Dictionary(grouping: try await VisitRepository.visits(schoolIds: ids, asOf: asOf, on: connection, logger: logger),
                                by: \.schoolId)
        var signals: [UUID: [SignalFact]] = [:]
        for try await signal in try await connection.execute(SignalFactsStatement(schoolIds: ids, asOf: asOf), logger: logger) {
            if let schoolId = signal.schoolId { signals[schoolId, default: []].append(signal) }
        }
        var corroborations: [UUID: [SignalPair]] = [:]
        for try await (schoolId, first, second) in try await connection.execute(CorroborationPairsStatement(schoolIds: ids, asOf: asOf),
                                                                                logger: logger) {
            corroborations[schoolId, default: []].append(SignalPair(first, second))
        }
        var result: [UUID: RiskEvidence] = [:]
        for id in ids {
            result[id] = RiskEvidence(schoolId: id, decisions: decisions[id] ?? [], visits: visits[id] ?? [],
                                      signals: signals[id] ?? [], corroborations: corroborations[id] ?? [])
        }
        return result
    }
}
