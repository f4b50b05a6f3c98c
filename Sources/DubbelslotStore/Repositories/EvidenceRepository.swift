public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// Everything the risk model may look at for a school (Core `RiskEvidence`): its quality-mark
/// decisions, its supervision visits with findings, and the signals linked to it.
///
/// Unmatched signals (no `school_id`) are not evidence about any school.
public struct EvidenceRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Usually reached through ``Store``; the client must be running.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The evidence about one school; empty lists for an unknown school.
    public func evidence(schoolId: UUID) async throws -> RiskEvidence {
        let all = try await evidence(schoolIds: [schoolId])
        return all[schoolId] ?? RiskEvidence(schoolId: schoolId, decisions: [], visits: [], signals: [])
    }

    /// The evidence about each of `schoolIds`, in four queries whatever their number (no N+1), read
    /// in one `REPEATABLE READ` transaction so that all of it is of one moment.
    ///
    /// - Returns: one entry per distinct id asked for, with empty lists for schools without evidence
    ///   or unknown. Decisions ordered by period start; visits newest first; signals newest first.
    public func evidence(schoolIds: [UUID]) async throws -> [UUID: RiskEvidence] {
        let ids = Array(Set(schoolIds))
        guard !ids.isEmpty else { return [:] }
        return try await StoreError.translating(logger: logger) {
          try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            let decisionRows = try await connection.query(
                """
                SELECT \(unescaped: QualityMarkRepository.columns) FROM quality_mark_decisions d
                WHERE d.school_id = ANY(\(ids))
                ORDER BY lower(d.valid_during), d.recorded_at, d.id
                """, logger: logger)
            var decisions: [UUID: [QualityMarkDecision]] = [:]
            for try await row in decisionRows {
                let decision = try QualityMarkRepository.decision(row)
                decisions[decision.schoolId, default: []].append(decision)
            }
            let visits = Dictionary(grouping: try await VisitRepository.visits(schoolIds: ids, on: connection, logger: logger),
                                    by: \.schoolId)
            let signalRows = try await connection.query(
                """
                SELECT \(unescaped: SignalRepository.columns) FROM fraud_signals f
                WHERE f.school_id = ANY(\(ids))
                ORDER BY f.received_at DESC, f.id DESC
                """, logger: logger)
            var signals: [UUID: [FraudSignal]] = [:]
            for try await row in signalRows {
                let signal = try SignalRepository.signal(row)
                if let schoolId = signal.schoolId { signals[schoolId, default: []].append(signal) }
            }
            var result: [UUID: RiskEvidence] = [:]
            for id in ids {
                result[id] = RiskEvidence(schoolId: id, decisions: decisions[id] ?? [], visits: visits[id] ?? [],
                                          signals: signals[id] ?? [])
            }
            return result
          }
        }
    }
}
