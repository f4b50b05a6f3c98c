import Crypto
import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// The hash-chained audit log, kept in two steps (tables `audit_pending` and `audit_log`, sql/0014,
/// sql/0023 and sql/0037; docs/decisions/0006-audit-log-in-two-steps.md).
///
/// **Appending.** Every write of the store, and every read of a signal's full text, calls
/// ``append(on:actor:action:subject:details:logger:)`` inside its own transaction, so the entry exists
/// exactly when the change does. It lands in `audit_pending` with the hash of its content, without any
/// lock shared with other writers.
///
/// **Sequencing.** ``sequencePending(client:limit:logger:)`` (run by ``AuditSequencer`` within a second
/// of commit, and by every reader of the log before it reads) moves pending entries into `audit_log`
/// in one transaction under ``lockKey``: entry `seq` (1, 2, 3, … without gaps) stores `prev_hash` =
/// the `hash` of entry `seq - 1` (`NULL` for the first) and `hash` = lowercase hex SHA-256 of
/// ``chainText(_:)``, which covers `seq`, the content hash and `prev_hash` (version 2; entries written
/// before the two steps cover all their fields at once, version 1, ``canonicalText(_:)``). Every text
/// is built from stored values only, so ``verify(client:bound:logger:)`` recomputes every hash from the
/// tables without any other input.
public enum AuditLog {
    /// The key of the transaction-scoped advisory lock that serialises sequencing (ASCII "AUDITLOG").
    ///
    /// Holding it while reading the last entry and inserting the next ones makes the chain a total
    /// order: no two entries share a `prev_hash` (no forks) and no `seq` is skipped.
    public static let lockKey: Int64 = 0x4155_4449_544C_4F47

    /// Appends one entry to `audit_pending` in the caller's transaction.
    ///
    /// Two statements, neither waiting for other writers: who the actor is and the transaction's
    /// `now()`, then the insert with the content hash (``contentText(_:)``). Role and organisation come
    /// from the `api_tokens` row when `actor` is `"<role>:<token uuid>"`; `cli:` actors (and actors
    /// naming no known token) are role and organisation `operator`, without a token id.
    /// - Parameters:
    ///   - connection: a connection inside `withTransaction`, so the entry commits with the change.
    ///   - actor: ``RecordedBy``, 1–200 characters.
    ///   - action: dotted verb, 1–100 characters, for example `signal.transition`.
    ///   - subject: what was acted on, 1–200 characters: `<kind>:<id>` with UUIDs in lowercase
    ///     (`signal:<uuid>`, `school:<uuid>`, `token:<uuid>`, `organisation:<id>`), or a collection name
    ///     (`signals`, `schools`, `municipalities`, `demo-data`) for batch writes.
    ///   - details: a summary of what changed: ids, statuses, counts. Never free text or personal data.
    /// - Throws: the database's error (the caller's transaction then rolls back, write included).
    public static func append(on connection: PostgresConnection, actor: RecordedBy, action: String, subject: String,
                              details: [String: String] = [:], logger: Logger) async throws {
        try await append(on: connection, who: who(actor, on: connection, logger: logger), action: action, subject: subject,
                         details: details, logger: logger)
    }

    /// ``append(on:actor:action:subject:details:logger:)`` with the actor looked up earlier in the same
    /// transaction (``who(_:on:logger:)``): a write that holds a row lock until commit looks the actor up
    /// before it takes the lock, so the lock is held one round trip shorter.
    public static func append(on connection: PostgresConnection, who: Who, action: String, subject: String,
                              details: [String: String] = [:], logger: Logger) async throws {
        let (actor, role, organisation, tokenId, nowMicros) = (who.actor, who.role, who.organisation, who.tokenId, who.nowMicros)
        let entry = Entry(seq: 0, atMicros: nowMicros, actor: actor, actorRole: role, actorOrganisation: organisation,
                          tokenId: tokenId, action: action, subject: subject, details: details, prevHash: nil)
        let detailsJSON = String(decoding: try canonicalJSON(details), as: UTF8.self)
        let insert = PendingInsert(actor: actor, role: role, organisation: organisation, tokenId: tokenId, action: action,
                                   subject: subject, detailsJSON: detailsJSON, contentHash: contentHashHex(entry))
        // The row-sequence form, read to its end: the command-tag form can trap before the stream has finished.
        let rows: AsyncThrowingMapSequence<PostgresRowSequence, Void> = try await connection.execute(insert, logger: logger)
        for try await _ in rows {}
    }

    /// The insert of ``append(on:who:action:subject:details:logger:)``, prepared once per connection:
    /// every write of the store runs it, and parsing and planning it anew each time cost more than
    /// running it.
    struct PendingInsert: PostgresPreparedStatement {
        typealias Row = ()
        static let sql = """
            INSERT INTO audit_pending (at, actor, actor_role, actor_organisation, token_id, action, subject, details, content_hash)
            VALUES (now(), $1, $2, $3, $4, $5, $6, $7::jsonb, $8)
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text, .uuid, .text, .text, .text, .text]

        let actor: String, role: String, organisation: String, tokenId: UUID?
        let action: String, subject: String, detailsJSON: String, contentHash: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 8)
            bindings.append(actor)
            bindings.append(role)
            bindings.append(organisation)
            // PostgresNIO has no encoder for optionals.
            if let tokenId { bindings.append(tokenId) } else { bindings.appendNull() }
            bindings.append(action)
            bindings.append(subject)
            bindings.append(detailsJSON)
            bindings.append(contentHash)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws {}
    }

    /// Sequences up to `limit` pending entries, oldest appended first, in one transaction.
    ///
    /// Takes `pg_advisory_xact_lock(lockKey)`, reads the last `(seq, hash)` of `audit_log`, chains the
    /// pending entries after it, inserts them with `appended_at` and `sequenced_at` (clock time), and
    /// removes them from `audit_pending`. Any number of processes may call this at once; they queue
    /// on the lock and never fork the chain.
    /// - Returns: how many entries were sequenced (fewer than `limit` means none were left waiting).
    /// - Throws: the database's error; then nothing was sequenced and the entries still wait.
    @discardableResult
    public static func sequencePending(client: PostgresClient, limit: Int = 2_000, logger: Logger) async throws -> Int {
        try await client.withTransaction(logger: logger) { connection in
            try await sequencePending(on: connection, limit: limit, logger: logger)
        }
    }

    /// Sequences every entry pending now, in batches of ``sequencePending(client:limit:logger:)``.
    /// - Returns: how many entries were sequenced.
    @discardableResult
    public static func sequenceAll(client: PostgresClient, logger: Logger) async throws -> Int {
        var total = 0
        while true {
            let batch = try await sequencePending(client: client, logger: logger)
            total += batch
            if batch < 2_000 { return total }
        }
    }

    /// ``sequencePending(client:limit:logger:)`` on a connection inside a transaction.
    public static func sequencePending(on connection: PostgresConnection, limit: Int, logger: Logger) async throws -> Int {
        _ = try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger).collect()
        let last = try await connection.query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", logger: logger).firstRow()
        var (seq, prevHash): (Int64, String?) = try last?.decode((Int64, String?).self) ?? (0, nil)
        let rows = try await connection.query(
            """
            SELECT id, (extract(epoch FROM at) * 1000000)::bigint, actor, actor_role, actor_organisation, token_id,
                   action, subject, details::text, content_hash
            FROM audit_pending ORDER BY id LIMIT \(limit)
            """, logger: logger)
        var ids: [Int64] = [], seqs: [Int64] = [], prevs: [String] = [], hashes: [String] = []
        for try await row in rows {
            let (id, at, actor, role, organisation, token, action, subject, details, contentHash) =
                try row.decode((Int64, Int64, String, String, String, UUID?, String, String, String, String).self)
            seq += 1
            let entry = Entry(seq: seq, atMicros: at, actor: actor, actorRole: role, actorOrganisation: organisation, tokenId: token,
                              action: action, subject: subject,
                              details: (try? JSONDecoder().decode([String: String].self, from: Data(details.utf8))) ?? [:],
                              prevHash: prevHash, contentHash: contentHash)
            if contentHashHex(entry) != contentHash {
                // Chained as stored all the same: `audit verify` names the entry; dropping it would hide it.
                logger.error("audit: a pending entry's content does not match its content hash", metadata: ["seq": "\(seq)"])
            }
            let hash = hashHex(entry)
            ids.append(id); seqs.append(seq); prevs.append(prevHash ?? ""); hashes.append(hash)
            prevHash = hash
        }
        guard !ids.isEmpty else { return 0 }
        _ = try await connection.query(
            """
            INSERT INTO audit_log (seq, at, actor, actor_role, actor_organisation, token_id, action, subject, details,
                                   prev_hash, hash, content_hash, appended_at, sequenced_at)
            SELECT u.seq, p.at, p.actor, p.actor_role, p.actor_organisation, p.token_id, p.action, p.subject, p.details,
                   nullif(u.prev_hash, ''), u.hash, p.content_hash, p.appended_at, clock_timestamp()
            FROM unnest(\(ids), \(seqs), \(prevs), \(hashes)) AS u(id, seq, prev_hash, hash)
            JOIN audit_pending p ON p.id = u.id
            ORDER BY u.seq
            """, logger: logger).collect()
        _ = try await connection.query("DELETE FROM audit_pending WHERE id = ANY(\(ids))", logger: logger).collect()
        return ids.count
    }

    /// Who acts in a transaction: the actor, its role, organisation and token (from `api_tokens`; role
    /// and organisation `operator` without a token), and the transaction's `now()` in microseconds since
    /// the epoch, the entry's time.
    public struct Who: Sendable {
        /// Who acts: `"role:tokenId"` or `"cli:user"`.
        public let actor: RecordedBy
        /// The token's role, or `operator` without a token.
        public let role: String
        /// The token's organisation (a CBS code or a national body's slug), or `operator` without a token.
        public let organisation: String
        /// The token's id; `nil` when the actor names no known token (the command line).
        public let tokenId: UUID?
        /// The transaction's `now()`, in microseconds since 1970-01-01 UTC: the entry's time.
        public let nowMicros: Int64
    }

    /// Looks up ``Who`` for `actor` in the caller's transaction (one statement).
    public static func who(_ actor: RecordedBy, on connection: PostgresConnection, logger: Logger) async throws -> Who {
        let rows = try await connection.query(
            """
            SELECT t.role, t.organisation_id, (extract(epoch FROM now()) * 1000000)::bigint
            FROM (SELECT 1) AS one LEFT JOIN api_tokens t ON t.id = \(tokenId(of: actor))::uuid
            """, logger: logger)
        guard let row = try await rows.firstRow() else { throw StoreError.notFound }
        let (role, organisation, now) = try row.decode((String?, String?, Int64).self)
        return who(actor, role: role, organisation: organisation, nowMicros: now)
    }

    /// The token id that `actor` names (`"<role>:<token uuid>"`), or `nil` (`cli:` actors).
    static func tokenId(of actor: RecordedBy) -> UUID? {
        guard let colon = actor.firstIndex(of: ":") else { return nil }
        return UUID(uuidString: String(actor[actor.index(after: colon)...]))
    }

    /// ``Who`` from what a statement of the caller's transaction selected: `api_tokens.role` and
    /// `organisation_id` of the row whose id is ``tokenId(of:)`` (both `nil` when there is none: an
    /// operator), and `now()` in microseconds since 1970-01-01 UTC. For a write that already runs a
    /// statement before it appends, so that the lookup costs no round trip of its own.
    static func who(_ actor: RecordedBy, role: String?, organisation: String?, nowMicros: Int64) -> Who {
        guard let role, let organisation else {
            return Who(actor: actor, role: "operator", organisation: "operator", tokenId: nil, nowMicros: nowMicros)
        }
        return Who(actor: actor, role: role, organisation: organisation, tokenId: tokenId(of: actor), nowMicros: nowMicros)
    }

    /// The entry's chained hash: lowercase hex SHA-256 of ``chainText(_:)`` when the entry has a content
    /// hash (version 2), else of ``canonicalText(_:)`` (version 1).
    public static func hashHex(_ entry: Entry) -> String {
        SHA256.hash(data: Data((entry.contentHash == nil ? canonicalText(entry) : chainText(entry)).utf8)).lowercaseHex
    }

    /// Lowercase hex SHA-256 of ``contentText(_:)``.
    public static func contentHashHex(_ entry: Entry) -> String {
        SHA256.hash(data: Data(contentText(entry).utf8)).lowercaseHex
    }

    /// The text an entry's content hash covers, version `dubbelslot-audit-content-v2`: what the writer
    /// knows before the entry has a place in the chain.
    ///
    /// A JSON array of strings, no whitespace, in this order: the version tag, `at` as decimal
    /// microseconds since 1970-01-01T00:00:00Z, actor, actor role, actor organisation, token id
    /// (lowercase UUID, or `""`), action, subject, and the details as a JSON object with sorted keys and
    /// string values; escaping as in ``canonicalText(_:)``.
    public static func contentText(_ e: Entry) -> String {
        jsonArray([
            "dubbelslot-audit-content-v2", String(e.atMicros), e.actor, e.actorRole, e.actorOrganisation,
            e.tokenId.map { $0.uuidString.lowercased() } ?? "", e.action, e.subject,
            String(decoding: (try? canonicalJSON(e.details)) ?? Data("{}".utf8), as: UTF8.self),
        ])
    }

    /// The text a version-2 entry's chained hash covers: `["dubbelslot-audit-v2", seq, content hash,
    /// prev_hash or ""]` as a JSON array of strings without whitespace.
    public static func chainText(_ e: Entry) -> String {
        jsonArray(["dubbelslot-audit-v2", String(e.seq), e.contentHash ?? "", e.prevHash ?? ""])
    }

    private static func jsonArray(_ fields: [String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(fields)) ?? Data(), as: UTF8.self)
    }

    /// The text a version-1 entry's hash covers, `dubbelslot-audit-v1` (entries chained before the log
    /// was kept in two steps).
    ///
    /// A JSON array of strings, no whitespace, in this order: the version tag, `seq` in decimal, `at` as
    /// decimal microseconds since 1970-01-01T00:00:00Z, actor, actor role, actor organisation, token id
    /// (lowercase UUID, or `""`), action, subject, the details as a JSON object with sorted keys and
    /// string values, and `prev_hash` (or `""` for the first entry). Strings use JSON escaping with
    /// unescaped slashes. Any change to this function is a new version and breaks verification of old rows.
    public static func canonicalText(_ e: Entry) -> String {
        let fields = [
            "dubbelslot-audit-v1", String(e.seq), String(e.atMicros), e.actor, e.actorRole, e.actorOrganisation,
            e.tokenId.map { $0.uuidString.lowercased() } ?? "", e.action, e.subject,
            String(decoding: (try? canonicalJSON(e.details)) ?? Data("{}".utf8), as: UTF8.self), e.prevHash ?? "",
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(fields)) ?? Data(), as: UTF8.self)
    }

    static func canonicalJSON(_ details: [String: String]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(details)
    }
}
