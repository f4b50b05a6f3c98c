public import Crypto
import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// A signed statement of the audit log's size and head: "the log held `size` entries, the last with
/// hash `headHash`, at `at`", signed with the sequencer's Ed25519 key (RFC 8032, swift-crypto).
///
/// Transparency logs publish such checkpoints so that outsiders can hold the log to its past
/// (C2SP tlog-checkpoint; RFC 6962 signed tree heads). The inspectorate keeps copies
/// (`GET /v1/audit/checkpoints/latest`, `dubbelslot audit checkpoint`); `dubbelslot audit verify
/// --against FILE` proves the log still contains a kept checkpoint, so removing the newest entries is
/// detected. Table `audit_checkpoints` (sql/0037); keys: docs/decisions/0006-audit-log-in-two-steps.md.
public struct AuditCheckpoint: Sendable, Hashable, Codable {
    /// The number of entries covered (entries 1…size).
    public var size: Int64
    /// Lowercase hex SHA-256: the `hash` of entry `size`.
    public var headHash: String
    /// When it was signed, in whole microseconds since 1970-01-01T00:00:00Z.
    public var atMicros: Int64
    /// Lowercase hex SHA-256 of the raw 32-byte public key.
    public var keyId: String
    /// Base64 of the raw 32-byte Ed25519 public key.
    public var publicKey: String
    /// Base64 of the 64-byte Ed25519 signature over ``signedText``.
    public var signature: String

    /// The instant of ``atMicros``.
    public var at: Date { Date(timeIntervalSince1970: Double(atMicros) / 1_000_000) }

    /// The bytes signed: `dubbelslot-audit-checkpoint-v1`, the size, the head hash and the time in
    /// microseconds, each on its own line ending in `\n`.
    public var signedText: String { "dubbelslot-audit-checkpoint-v1\n\(size)\n\(headHash)\n\(atMicros)\n" }

    /// Whether ``signature`` is a valid signature of ``signedText`` by ``publicKey``, and ``keyId`` names it.
    public var signatureHolds: Bool {
        guard let raw = Data(base64Encoded: publicKey), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw),
              let signature = Data(base64Encoded: signature)
        else { return false }
        return Self.keyId(of: key) == keyId && key.isValidSignature(signature, for: Data(signedText.utf8))
    }

    /// The JSON a checkpoint is kept in: sorted keys, no escaped slashes (what `dubbelslot audit
    /// checkpoint` prints and `dubbelslot audit verify --against` reads).
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Lowercase hex SHA-256 of the key's raw 32 bytes.
    public static func keyId(of key: Curve25519.Signing.PublicKey) -> String {
        SHA256.hash(data: key.rawRepresentation).lowercaseHex
    }

    /// Signs the log as it stands now (after sequencing what waits) and stores the checkpoint.
    ///
    /// - Parameter onlyWhenGrown: sign nothing when the newest checkpoint already covers every entry.
    /// - Returns: the checkpoint, or `nil` when the log is empty or, with `onlyWhenGrown`, did not grow.
    /// - Throws: the database's error; nothing is stored then.
    @discardableResult
    public static func sign(client: PostgresClient, key: Curve25519.Signing.PrivateKey, onlyWhenGrown: Bool = false,
                            logger: Logger) async throws -> AuditCheckpoint? {
        try await client.withTransaction(logger: logger) { connection in
            try await sign(inTransaction: connection, key: key, onlyWhenGrown: onlyWhenGrown, logger: logger)
        }
    }

    /// ``sign(client:key:onlyWhenGrown:logger:)`` on a connection inside a transaction.
    public static func sign(inTransaction connection: PostgresConnection, key: Curve25519.Signing.PrivateKey, onlyWhenGrown: Bool,
                            logger: Logger) async throws -> AuditCheckpoint? {
        _ = try await AuditLog.sequencePending(on: connection, limit: 2_000, logger: logger)
        let head = try await connection.query(
            "SELECT seq, hash, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint FROM audit_log ORDER BY seq DESC LIMIT 1",
            logger: logger).firstRow()
        guard let head else { return nil }
        let (size, headHash, now) = try head.decode((Int64, String, Int64).self)
        if onlyWhenGrown {
            let covered = try await connection.query("SELECT max(size) FROM audit_checkpoints", logger: logger)
                .collect()[0].decode(Int64?.self)
            if covered == size { return nil }
        }
        var checkpoint = AuditCheckpoint(size: size, headHash: headHash, atMicros: now, keyId: keyId(of: key.publicKey),
                                         publicKey: key.publicKey.rawRepresentation.base64EncodedString(), signature: "")
        checkpoint.signature = try key.signature(for: Data(checkpoint.signedText.utf8)).base64EncodedString()
        _ = try await connection.query(
            """
            INSERT INTO audit_checkpoints (size, head_hash, at, key_id, public_key, signature)
            VALUES (\(size), \(headHash), to_timestamp(\(now)::float8 / 1000000), \(checkpoint.keyId),
                    \(checkpoint.publicKey), \(checkpoint.signature))
            """, logger: logger).collect()
        return checkpoint
    }

    /// The newest stored checkpoint, or `nil` when none was signed yet.
    public static func latest(client: PostgresClient, logger: Logger) async throws -> AuditCheckpoint? {
        let row = try await client.query(
            """
            SELECT size, head_hash, (extract(epoch FROM at) * 1000000)::bigint, key_id, public_key, signature
            FROM audit_checkpoints ORDER BY at DESC, id DESC LIMIT 1
            """, logger: logger).firstRow()
        guard let row else { return nil }
        let (size, headHash, at, keyId, publicKey, signature) = try row.decode((Int64, String, Int64, String, String, String).self)
        return AuditCheckpoint(size: size, headHash: headHash, atMicros: at, keyId: keyId, publicKey: publicKey, signature: signature)
    }

    /// Why a kept checkpoint does not hold against the log.
    public enum Mismatch: Error, Sendable, Hashable, CustomStringConvertible {
        /// The checkpoint's signature does not verify (or is not by `expectedKeyId`).
        case badSignature
        /// The log has fewer entries than the checkpoint covered: entries were removed.
        case logShorter(entries: Int64, checkpointSize: Int64)
        /// Entry `size` has another hash than the checkpoint's head: the log was rewritten.
        case headDiffers(seq: Int64)
        /// The chain itself is broken (see ``AuditLog/verify(client:bound:logger:)``).
        case chainBroken(seq: Int64, reason: AuditLog.BreakReason)

        /// Which check failed, with the entry counts or sequence number involved.
        public var description: String {
            switch self {
            case .badSignature: "the checkpoint's signature does not verify with its key"
            case .logShorter(let entries, let size):
                "the log has \(entries) entries but the checkpoint covered \(size): entries were removed"
            case .headDiffers(let seq): "entry \(seq) is not the entry the checkpoint signed: the log was rewritten"
            case .chainBroken(let seq, let reason): "audit chain broken at seq \(seq): \(reason)"
            }
        }
    }

    /// Checks the log against `kept`: its signature (and, when given, that `expectedKeyId` signed it),
    /// the whole chain, and that entry `kept.size` exists with hash `kept.headHash`.
    ///
    /// - Returns: the number of entries in the log now.
    /// - Throws: ``Mismatch`` for the first thing that does not hold; the database's error.
    public static func verify(_ kept: AuditCheckpoint, expectedKeyId: String? = nil, client: PostgresClient,
                              logger: Logger) async throws -> Int64 {
        guard kept.signatureHolds, expectedKeyId == nil || expectedKeyId == kept.keyId else { throw Mismatch.badSignature }
        let entries: Int64
        switch try await AuditLog.verify(client: client, bound: .seconds(Int64.max / 2), logger: logger) {
        case .intact(let n), .stalled(let n, _, _): entries = n
        case .broken(let seq, let reason): throw Mismatch.chainBroken(seq: seq, reason: reason)
        }
        guard entries >= kept.size else { throw Mismatch.logShorter(entries: entries, checkpointSize: kept.size) }
        let hash = try await client.query("SELECT hash FROM audit_log WHERE seq = \(kept.size)", logger: logger)
            .collect().first?.decode(String.self)
        guard hash == kept.headHash else { throw Mismatch.headDiffers(seq: kept.size) }
        return entries
    }
}
