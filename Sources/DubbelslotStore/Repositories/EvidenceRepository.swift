public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// Everything the risk model may look at for a school (Core `RiskEvidence`): its quality-mark
/// decisions, its supervision visits with findings, and the signals linked to it.
///
/// Unmatched signals (no `school_id`) are not evidence about any school, and a signal linked as the
/// duplicate of another (`duplicate_of`) is no evidence of its own (issue 3). The corroboration links
/// between the school's signals come along as ``RiskEvidence/corroborations``.
public struct EvidenceRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Usually reached through ``Store``; the client must be running.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
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
    /// - Parameter asOf: the knowledge cut-off (issue 5, "As of any moment"): only facts recorded at
    ///   or before it, each signal with the status, school and duplicate link it had then
    ///   (`fraud_signal_versions`, sql/0025), corrections recorded later ignored; `nil` for now.
    public func evidence(schoolIds: [UUID], asOf: Date? = nil) async throws -> [UUID: RiskEvidence] {
        let ids = Array(Set(schoolIds))
        guard !ids.isEmpty else { return [:] }
        return try await StoreError.translating(logger: logger) {
          try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            // Now: the table itself. As of an instant: each decision's version current then (a period a later
            // decision cut short is read as it stood), rectified decisions left out (sql/0029).
            let decisionRows = try await connection.query(
                asOf == nil
                    ? """
                    SELECT \(unescaped: QualityMarkRepository.columns) FROM quality_mark_decisions d
                    WHERE d.school_id = ANY(\(ids)) AND d.rectified_at IS NULL
                    ORDER BY lower(d.valid_during), d.recorded_at, d.id
                    """
                    : """
                    SELECT \(unescaped: QualityMarkRepository.columns) FROM quality_mark_decision_versions d
                    WHERE d.school_id = ANY(\(ids)) AND d.rectified_at IS NULL
                      AND d.sys_from <= \(asOf)::timestamptz AND (d.sys_to IS NULL OR d.sys_to > \(asOf)::timestamptz)
                    ORDER BY lower(d.valid_during), d.recorded_at, d.id
                    """, logger: logger)
            var decisions: [UUID: [QualityMarkDecision]] = [:]
            for try await row in decisionRows {
                let decision = try QualityMarkRepository.decision(row)
                decisions[decision.schoolId, default: []].append(decision)
            }
            let visits = Dictionary(grouping: try await VisitRepository.visits(schoolIds: ids, asOf: asOf, on: connection, logger: logger),
                                    by: \.schoolId)
            // Now: the table itself. As of an instant: the version of each signal current then.
            let signalRows = try await connection.query(
                asOf == nil
                    ? """
                    SELECT \(unescaped: SignalRepository.columns) FROM fraud_signals f
                    WHERE f.school_id = ANY(\(ids)) AND f.duplicate_of IS NULL
                    ORDER BY f.received_at DESC, f.id DESC
                    """
                    : """
                    SELECT \(unescaped: SignalRepository.columns) FROM fraud_signal_versions f
                    WHERE f.school_id = ANY(\(ids)) AND f.duplicate_of IS NULL
                      AND f.sys_from <= \(asOf)::timestamptz AND (f.sys_to IS NULL OR f.sys_to > \(asOf)::timestamptz)
                    ORDER BY f.received_at DESC, f.id DESC
                    """, logger: logger)
            var signals: [UUID: [FraudSignal]] = [:]
            for try await row in signalRows {
                let signal = try SignalRepository.signal(row)
                if let schoolId = signal.schoolId { signals[schoolId, default: []].append(signal) }
            }
            // Both ends at the same school: a link outlives a later re-link of one signal to another school.
            // The versions are narrowed to the schools asked for before the join (both ends must belong to
            // one of them), and the links are found from one end before the other end is joined: joining
            // both ends on the school first made PostgreSQL pair every two signals of a school (issue 7,
            // EXPLAIN ANALYZE at 100x: 79 ms for one school, 1.6 s for a province; now 0.5 ms and 39 ms).
            let pairRows = try await connection.query(
                """
                WITH s AS (
                    SELECT v.id, v.school_id, v.duplicate_of FROM fraud_signal_versions v
                    WHERE v.school_id = ANY(\(ids))
                      AND ((\(asOf)::timestamptz IS NULL AND v.sys_to IS NULL)
                       OR (v.sys_from <= \(asOf)::timestamptz AND (v.sys_to IS NULL OR v.sys_to > \(asOf)::timestamptz)))
                ), links AS MATERIALIZED (
                    SELECT a.school_id, r.id, r.at, r.signal_id, r.related_signal_id FROM s a
                    JOIN signal_relations r ON r.signal_id = a.id
                    WHERE r.kind = 'corroborating' AND a.duplicate_of IS NULL
                      AND (\(asOf)::timestamptz IS NULL OR r.recorded_at <= \(asOf)::timestamptz)
                )
                SELECT l.school_id, l.signal_id, l.related_signal_id
                FROM links l JOIN s b ON b.id = l.related_signal_id
                WHERE b.school_id = l.school_id AND b.duplicate_of IS NULL
                ORDER BY l.at, l.id
                """, logger: logger)
            var corroborations: [UUID: [SignalPair]] = [:]
            for try await (schoolId, first, second) in pairRows.decode((UUID, UUID, UUID).self) {
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
    }
}
