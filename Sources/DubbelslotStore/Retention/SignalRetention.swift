public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// Carries out a ``RetentionPolicy`` on the signal texts (docs/decisions/0013-pii-guard-and-retention.md).
///
/// `run` removes the free text of every due signal, one transaction per batch of
/// ``RetentionPolicy/batchSize`` signals, each batch appending one `retention.removeText` entry to
/// the audit chain in the same transaction (counts, never content), so the chain stays verifiable.
/// A signal is due while *any* of its texts remains, so a record that is already partly stripped
/// (only a summary left, only a case reference left, only a forward's note left) is finished, and a
/// second run finds nothing. Only one run at a time: a session advisory lock, taken without waiting.
public struct SignalRetention: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A retention runner on `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The advisory-lock key every retention run takes ("DBSLRETN" in ASCII).
    public static let lockKey: Int64 = 0x4442_534C_5245_544E

    /// What one rule did or would do.
    public struct RuleCounts: Sendable, Hashable {
        /// The rule's name (``RetentionPolicy/Rule/name``).
        public var rule: String
        /// Signals whose text was (or would be) removed.
        public var signals = 0
        /// Case references removed.
        public var caseReferences = 0
        /// Notes replaced on transitions, forwards, relations, school links and rejected candidates.
        public var notes = 0
        /// Transactions committed.
        public var batches = 0
    }

    /// Why a run did not start.
    public enum RetentionError: Error, Sendable, CustomStringConvertible {
        /// Another run holds the lock.
        case alreadyRunning

        /// Says that nothing was changed and to try again later.
        public var description: String { "another retention run is in progress; nothing was changed, try again when it has finished" }
    }

    /// The signals each rule would handle now, without changing anything (`--dry-run`).
    public func due(_ policy: RetentionPolicy, now: Date) async throws -> [RuleCounts] {
        var result: [RuleCounts] = []
        for rule in policy.rules(now: now) {
            let rows = try await client.query(
                PostgresQuery(unsafeSQL: "SELECT count(*) FROM fraud_signals f WHERE \(Self.dueCondition(rule)) AND \(Self.hasText)",
                              binds: Self.bindings(rule)), logger: logger)
            var counts = RuleCounts(rule: rule.name)
            for try await n in rows.decode(Int.self) { counts.signals = n }
            result.append(counts)
        }
        return result
    }

    /// Removes the texts that are due as of `now`, rule by rule, batch by batch.
    ///
    /// - Returns: per rule, what was removed (all zero when nothing was due).
    /// - Throws: ``RetentionError/alreadyRunning`` when another run holds the lock (nothing changed);
    ///   a database error ends the run after the last committed batch, which stays valid.
    public func run(_ policy: RetentionPolicy, now: Date, actor: RecordedBy) async throws -> [RuleCounts] {
        try await client.withConnection { lockConnection in
            let locked = try await lockConnection.query("SELECT pg_try_advisory_lock(\(Self.lockKey))", logger: logger)
                .decode(Bool.self).first { _ in true } ?? false
            guard locked else { throw RetentionError.alreadyRunning }
            do {
                var result: [RuleCounts] = []
                for rule in policy.rules(now: now) {
                    var counts = RuleCounts(rule: rule.name)
                    while let batch = try await removeBatch(rule, limit: policy.batchSize, actor: actor) {
                        counts.signals += batch.signals
                        counts.caseReferences += batch.caseReferences
                        counts.notes += batch.notes
                        counts.batches += 1
                    }
                    result.append(counts)
                }
                _ = try await lockConnection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger).collect()
                return result
            } catch {
                _ = try? await lockConnection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger).collect()
                throw error
            }
        }
    }

    /// One transaction: up to `limit` due signals locked, their texts replaced, one audit entry.
    /// `nil` when nothing was due.
    private func removeBatch(_ rule: RetentionPolicy.Rule, limit: Int, actor: RecordedBy) async throws -> RuleCounts? {
        try await client.withTransaction(logger: logger) { connection -> RuleCounts? in
            let idQuery = PostgresQuery(unsafeSQL: """
                SELECT f.id FROM fraud_signals f WHERE \(Self.dueCondition(rule)) AND \(Self.hasText)
                ORDER BY f.id LIMIT \(limit) FOR UPDATE OF f
                """, binds: Self.bindings(rule))
            var ids: [UUID] = []
            for try await id in try await connection.query(idQuery, logger: logger).decode(UUID.self) { ids.append(id) }
            guard !ids.isEmpty else { return nil }
            let removed = RetentionPolicy.removedText
            var counts = RuleCounts(rule: rule.name, signals: ids.count)
            // The rows are locked (FOR UPDATE above): the count and the update see the same references.
            counts.caseReferences = try await count(on: connection, "SELECT count(case_reference) FROM fraud_signals WHERE id = ANY(\(ids))")
            _ = try await connection.query("""
                UPDATE fraud_signals SET summary = \(removed), case_reference = NULL,
                    text_removed_at = coalesce(text_removed_at, now()), version = version + 1
                WHERE id = ANY(\(ids))
                """, logger: logger).collect()
            counts.notes = try await count(on: connection, """
                WITH t AS (UPDATE signal_transitions SET note = \(removed)
                           WHERE signal_id = ANY(\(ids)) AND note IS NOT NULL AND note <> \(removed) RETURNING 1),
                     w AS (UPDATE signal_forwards SET note = \(removed)
                           WHERE signal_id = ANY(\(ids)) AND note <> \(removed) RETURNING 1),
                     r AS (UPDATE signal_relations SET note = \(removed)
                           WHERE (signal_id = ANY(\(ids)) OR related_signal_id = ANY(\(ids))) AND note <> \(removed) RETURNING 1),
                     l AS (UPDATE signal_school_links SET note = \(removed)
                           WHERE signal_id = ANY(\(ids)) AND note <> \(removed) RETURNING 1),
                     j AS (UPDATE signal_match_rejections SET note = \(removed)
                           WHERE signal_id = ANY(\(ids)) AND note <> \(removed) RETURNING 1),
                     y AS (UPDATE school_replies SET reply = \(removed)
                           WHERE subject_kind = 'signal' AND subject_id = ANY(\(ids)) AND reply <> \(removed) RETURNING 1)
                SELECT (SELECT count(*) FROM t) + (SELECT count(*) FROM w) + (SELECT count(*) FROM r)
                     + (SELECT count(*) FROM l) + (SELECT count(*) FROM j) + (SELECT count(*) FROM y)
                """)
            try await AuditLog.append(
                on: connection, actor: actor, action: "retention.removeText", subject: "signals",
                details: ["rule": rule.name, "before": ISO8601DateFormatter().string(from: rule.before),
                          "signals": String(counts.signals), "caseReferences": String(counts.caseReferences),
                          "notes": String(counts.notes)],
                logger: logger)
            return counts
        }
    }

    private func count(on connection: PostgresConnection, _ query: PostgresQuery) async throws -> Int {
        try await connection.query(query, logger: logger).decode(Int.self).first { _ in true } ?? 0
    }

    /// `$1` is the rule's cut-off instant, `$2` the removed-text marker.
    static func bindings(_ rule: RetentionPolicy.Rule) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(rule.before)
        binds.append(RetentionPolicy.removedText)
        return binds
    }

    /// Which signals a rule reaches, over `fraud_signals f`, with the cut-off as `$1`.
    static func dueCondition(_ rule: RetentionPolicy.Rule) -> String {
        switch rule.name {
        case "unfoundedSignals":
            """
            f.status = 'unfounded' AND (SELECT max(t.at) FROM signal_transitions t
                                        WHERE t.signal_id = f.id AND t.to_status = 'unfounded') < $1
            """
        default:
            "f.received_at < $1"
        }
    }

    /// Whether any text of signal `f` remains, with the removed-text marker as `$2`.
    static let hasText = """
        (f.summary <> $2 OR f.case_reference IS NOT NULL
         OR EXISTS (SELECT 1 FROM signal_transitions t WHERE t.signal_id = f.id AND t.note IS NOT NULL AND t.note <> $2)
         OR EXISTS (SELECT 1 FROM signal_forwards w WHERE w.signal_id = f.id AND w.note <> $2)
         OR EXISTS (SELECT 1 FROM signal_relations r WHERE (r.signal_id = f.id OR r.related_signal_id = f.id) AND r.note <> $2)
         OR EXISTS (SELECT 1 FROM signal_school_links l WHERE l.signal_id = f.id AND l.note <> $2)
         OR EXISTS (SELECT 1 FROM signal_match_rejections j WHERE j.signal_id = f.id AND j.note <> $2)
         OR EXISTS (SELECT 1 FROM school_replies y WHERE y.subject_kind = 'signal' AND y.subject_id = f.id AND y.reply <> $2))
        """
}
