public import Foundation
public import Logging
public import PostgresNIO

extension AuditLog {
    static let columns = """
        seq, (extract(epoch FROM at) * 1000000)::bigint, actor, actor_role, actor_organisation, token_id,
        action, subject, details::text, prev_hash, hash, content_hash
        """

    /// The entry of a row, and whether its details were a JSON object of strings (else they are empty).
    static func entry(_ row: PostgresRow) throws -> (entry: Entry, readable: Bool) {
        let (seq, at, actor, role, organisation, token, action, subject, details, prev, hash, contentHash) =
            try row.decode((Int64, Int64, String, String, String, UUID?, String, String, String, String?, String, String?).self)
        let map = try? JSONDecoder().decode([String: String].self, from: Data(details.utf8))
        return (Entry(seq: seq, atMicros: at, actor: actor, actorRole: role, actorOrganisation: organisation,
                      tokenId: token, action: action, subject: subject, details: map ?? [:], prevHash: prev, contentHash: contentHash,
                      hash: hash),
                map != nil)
    }

    /// Walks the whole chain in `seq` order and reports the first broken link, then whether entries
    /// wait unsequenced longer than `bound`.
    ///
    /// Rows are streamed, never all held in memory. For each row: its `seq` must be the previous plus one
    /// (starting at 1), its `prev_hash` the previous row's `hash`, its content hash (version 2) the
    /// recomputed ``contentHashHex(_:)``, and its `hash` the recomputed ``hashHex(_:)``. Removing the
    /// newest entries cannot be seen from the chain alone: ``AuditCheckpoint/verify(_:client:logger:)``
    /// checks the log against a checkpoint kept earlier. Pending entries are not sequenced here: a
    /// verification that waits for nothing shows a sequencer that does not run.
    /// - Parameter bound: how long an entry may wait unsequenced; default one second (the sequencer runs
    ///   every ``AuditSequencer/interval``).
    /// - Returns: ``VerifyResult/intact(entries:)``, the first ``VerifyResult/broken(seq:reason:)``, or
    ///   ``VerifyResult/stalled(entries:pending:oldestSeconds:)``.
    /// - Throws: the database's error; ``StoreError/corruptRow(_:)`` never (an unreadable row is a break).
    public static func verify(client: PostgresClient, bound: Duration = .seconds(1), logger: Logger) async throws -> VerifyResult {
        let rows = try await client.query(
            "SELECT \(unescaped: columns) FROM audit_log ORDER BY seq", logger: logger)
        var expectedSeq: Int64 = 1
        var previousHash: String?
        for try await row in rows {
            let (entry, readable) = try entry(row)
            let seq = entry.seq
            guard seq == expectedSeq else { return .broken(seq: expectedSeq, reason: .gap(found: seq)) }
            guard readable else { return .broken(seq: seq, reason: .unreadableDetails) }
            guard entry.prevHash == previousHash else { return .broken(seq: seq, reason: .prevHashMismatch) }
            if let contentHash = entry.contentHash, contentHashHex(entry) != contentHash {
                return .broken(seq: seq, reason: .contentHashMismatch)
            }
            guard hashHex(entry) == entry.hash else { return .broken(seq: seq, reason: .hashMismatch) }
            previousHash = entry.hash
            expectedSeq += 1
        }
        let entries = expectedSeq - 1
        let waiting = try await client.query(
            """
            SELECT count(*), coalesce(extract(epoch FROM clock_timestamp() - min(appended_at)), 0)::float8 FROM audit_pending
            """, logger: logger).collect()
        let (pending, oldest) = try waiting[0].decode((Int64, Double).self)
        let boundSeconds = Double(bound.components.seconds) + Double(bound.components.attoseconds) / 1e18
        if pending > 0, oldest > boundSeconds { return .stalled(entries: entries, pending: pending, oldestSeconds: oldest) }
        return .intact(entries: entries)
    }

    /// The longest any sequenced entry waited between its writer's append and its sequencing, in
    /// seconds (0 for an empty log or one of version-1 entries only).
    public static func longestWait(client: PostgresClient, logger: Logger) async throws -> Double {
        try await client.query(
            "SELECT coalesce(max(extract(epoch FROM sequenced_at - appended_at)), 0)::float8 FROM audit_log", logger: logger)
            .collect()[0].decode(Double.self)
    }
}

/// Reading the audit log by subject (`GET /v1/audit`).
public struct AuditRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Usually reached through ``Store``; the client must be running.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Entries about `subject` (or all when `nil`), oldest first, after `cursor`; entries still waiting
    /// to be sequenced are sequenced first.
    ///
    /// - Parameters:
    ///   - subject: exact subject, for example `signal:<uuid>`; `nil` for every subject. For a
    ///     `signal:<uuid>` subject, reads of lists that held that signal (subject `signals`, the id in
    ///     `details.ids`) are included, so an analyst sees every read of the signal's text.
    ///   - after: return only entries with `seq` greater than this (the previous page's last `seq`).
    ///   - limit: page size, clamped to 1–500.
    /// - Throws: ``StoreError/corruptRow(_:)`` when a row's details are not a JSON object of strings.
    public func entries(subject: String?, after: Int64?, limit: Int) async throws -> [AuditLog.Entry] {
        let limit = min(max(limit, 1), 500)
        // Every entry committed before this read is in the answer, not only those the sequencer reached.
        try await AuditLog.sequenceAll(client: client, logger: logger)
        let rows = try await client.query(
            """
            SELECT \(unescaped: AuditLog.columns) FROM audit_log
            WHERE (\(subject)::text IS NULL OR subject = \(subject)::text
                   OR (\(subject)::text LIKE 'signal:%' AND subject = 'signals'
                       AND position(substr(\(subject)::text, 8) IN details->>'ids') > 0))
              AND seq > \(after ?? 0)
            ORDER BY seq LIMIT \(limit)
            """, logger: logger)
        var result: [AuditLog.Entry] = []
        for try await row in rows {
            let (entry, readable) = try AuditLog.entry(row)
            guard readable else { throw StoreError.corruptRow("audit_log.details: not an object of strings") }
            result.append(entry)
        }
        return result
    }
}
