public import Foundation
public import Logging
public import PostgresNIO

extension AuditLog {
    static let columns = """
        seq, (extract(epoch FROM at) * 1000000)::bigint, actor, actor_role, actor_organisation, token_id,
        action, subject, details::text, prev_hash, hash
        """

    /// The entry of a row, and whether its details were a JSON object of strings (else they are empty).
    static func entry(_ row: PostgresRow) throws -> (entry: Entry, readable: Bool) {
        let (seq, at, actor, role, organisation, token, action, subject, details, prev, hash) =
            try row.decode((Int64, Int64, String, String, String, UUID?, String, String, String, String?, String).self)
        let map = try? JSONDecoder().decode([String: String].self, from: Data(details.utf8))
        return (Entry(seq: seq, atMicros: at, actor: actor, actorRole: role, actorOrganisation: organisation,
                      tokenId: token, action: action, subject: subject, details: map ?? [:], prevHash: prev, hash: hash),
                map != nil)
    }

    /// Walks the whole chain in `seq` order and reports the first broken link.
    ///
    /// Rows are streamed, never all held in memory. For each row: its `seq` must be the previous plus one
    /// (starting at 1), its `prev_hash` the previous row's `hash`, and its `hash` the recomputed
    /// ``hashHex(_:)``. Removing the newest entries cannot be seen from the chain alone; compare the
    /// count with an earlier run's.
    /// - Returns: ``VerifyResult/intact(entries:)`` or the first ``VerifyResult/broken(seq:reason:)``.
    /// - Throws: the database's error; ``StoreError/corruptRow(_:)`` never (an unreadable row is a break).
    public static func verify(client: PostgresClient, logger: Logger) async throws -> VerifyResult {
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
            guard hashHex(entry) == entry.hash else { return .broken(seq: seq, reason: .hashMismatch) }
            previousHash = entry.hash
            expectedSeq += 1
        }
        return .intact(entries: expectedSeq - 1)
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

    /// Entries about `subject` (or all when `nil`), oldest first, after `cursor`.
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
