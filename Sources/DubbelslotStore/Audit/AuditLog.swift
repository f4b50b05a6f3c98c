import Crypto
import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// The hash-chained audit log (issue 4, item 5; table `audit_log`, sql/0014 and sql/0023).
///
/// Every write of the store, and every read of a signal's full text, calls ``append(on:actor:action:subject:details:logger:)``
/// inside its own transaction, so the entry exists exactly when the change does.
///
/// **The chain.** Entry `seq` (1, 2, 3, … without gaps) stores `prev_hash` = the `hash` of entry
/// `seq - 1` (`NULL` for the first) and `hash` = lowercase hex SHA-256 of the UTF-8 bytes of
/// ``canonicalText(_:)``. The canonical text is built from the stored values only (`at` in whole
/// microseconds since the Unix epoch, as PostgreSQL keeps it), so ``verify(client:logger:)`` recomputes
/// every hash from the table without any other input.
public enum AuditLog {
    /// The key of the transaction-scoped advisory lock that serialises appends (ASCII "AUDITLOG").
    ///
    /// Holding it while reading the last entry and inserting the next makes appends a total order:
    /// no two entries share a `prev_hash` (no forks) and no `seq` is skipped.
    public static let lockKey: Int64 = 0x4155_4449_544C_4F47

    /// Appends one entry in the caller's transaction.
    ///
    /// Takes `pg_advisory_xact_lock(lockKey)` (held until the caller's transaction ends, so call this as
    /// the last statement of a write to keep the lock short), reads the last `(seq, hash)`, and inserts
    /// `seq + 1`. Role and organisation come from the `api_tokens` row when `actor` is
    /// `"<role>:<token uuid>"`; `cli:` actors (and actors naming no known token) are role and
    /// organisation `operator`, without a token id.
    /// - Parameters:
    ///   - connection: a connection inside `withTransaction`; without a transaction the lock is released
    ///     at once and concurrent appends could fork.
    ///   - actor: ``Actor``, 1–200 characters.
    ///   - action: dotted verb, 1–100 characters, for example `signal.transition`.
    ///   - subject: what was acted on, 1–200 characters: `<kind>:<id>` with UUIDs in lowercase
    ///     (`signal:<uuid>`, `school:<uuid>`, `token:<uuid>`, `organisation:<id>`), or a collection name
    ///     (`signals`, `schools`, `municipalities`, `demo-data`) for batch writes.
    ///   - details: a summary of what changed: ids, statuses, counts. Never free text or personal data.
    /// - Throws: the database's error (the caller's transaction then rolls back, write included).
    public static func append(on connection: PostgresConnection, actor: Actor, action: String, subject: String,
                              details: [String: String] = [:], logger: Logger) async throws {
        // Who first, the lock second: every statement under the lock serialises every writer (issue 7).
        let (role, organisation, tokenId) = try await who(actor, on: connection, logger: logger)
        _ = try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger).collect()
        let lastRows = try await connection.query(
            """
            SELECT seq, hash, (extract(epoch FROM now()) * 1000000)::bigint AS now_us
            FROM (SELECT 1) AS one LEFT JOIN LATERAL
                 (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS last ON true
            """, logger: logger)
        guard let last = try await lastRows.firstRow() else { throw StoreError.notFound }
        let (lastSeq, lastHash, nowMicros) = try last.decode((Int64?, String?, Int64).self)
        let entry = Entry(
            seq: (lastSeq ?? 0) + 1, atMicros: nowMicros, actor: actor, actorRole: role,
            actorOrganisation: organisation, tokenId: tokenId, action: action, subject: subject,
            details: details, prevHash: lastHash)
        let hash = hashHex(entry)
        let detailsJSON = String(decoding: try canonicalJSON(details), as: UTF8.self)
        _ = try await connection.query(
            """
            INSERT INTO audit_log (seq, at, actor, actor_role, actor_organisation, token_id, action, subject,
                                   details, prev_hash, hash)
            VALUES (\(entry.seq), now(), \(actor), \(role), \(organisation), \(tokenId)::uuid, \(action), \(subject),
                    \(detailsJSON)::jsonb, \(lastHash)::text, \(hash))
            """, logger: logger).collect()
    }

    /// Role, organisation and token of an actor (see ``append(on:actor:action:subject:details:logger:)``).
    private static func who(_ actor: Actor, on connection: PostgresConnection,
                            logger: Logger) async throws -> (String, String, UUID?) {
        guard let colon = actor.firstIndex(of: ":"), let token = UUID(uuidString: String(actor[actor.index(after: colon)...]))
        else { return ("operator", "operator", nil) }
        let rows = try await connection.query(
            "SELECT role, organisation_id FROM api_tokens WHERE id = \(token)", logger: logger)
        guard let row = try await rows.firstRow() else { return ("operator", "operator", nil) }
        let (role, organisation) = try row.decode((String, String).self)
        return (role, organisation, token)
    }

    /// Lowercase hex SHA-256 of ``canonicalText(_:)``.
    public static func hashHex(_ entry: Entry) -> String {
        SHA256.hash(data: Data(canonicalText(entry).utf8)).lowercaseHex
    }

    /// The text an entry's hash covers, version `dubbelslot-audit-v1`.
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
