public import Crypto
public import Foundation

/// The Ed25519 key audit checkpoints are signed with, kept in a file of its own
/// (`audit.signingKeyFile`): the base64 of the raw 32-byte private key on one line, readable by the
/// service's user only. `dubbelslot audit keygen --output FILE` makes one; the local mode of `serve`
/// makes one beside its data directory. Rotation and publication: docs/decisions/0006-audit-log-in-two-steps.md.
public enum AuditSigningKey {
    /// Reads the key at `path`.
    /// - Throws: ``AuditSigningKeyError`` naming the file when it is missing or not a base64 32-byte key.
    public static func load(path: String) throws -> Curve25519.Signing.PrivateKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditSigningKeyError("cannot read the audit signing key \(path)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(base64Encoded: text), raw.count == 32,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw AuditSigningKeyError("\(path) is not an audit signing key (base64 of 32 bytes on one line)") }
        return key
    }

    /// Makes a new key and writes it to `path` with mode 0600; an existing file is never replaced.
    /// - Throws: ``AuditSigningKeyError`` when the file exists or cannot be written.
    @discardableResult
    public static func generate(path: String) throws -> Curve25519.Signing.PrivateKey {
        let key = Curve25519.Signing.PrivateKey()
        let text = Data((key.rawRepresentation.base64EncodedString() + "\n").utf8)
        guard !FileManager.default.fileExists(atPath: path) else {
            throw AuditSigningKeyError("\(path) exists: a signing key is never overwritten")
        }
        guard FileManager.default.createFile(atPath: path, contents: text, attributes: [.posixPermissions: 0o600]) else {
            throw AuditSigningKeyError("cannot write \(path)")
        }
        return key
    }

    /// What to publish of `key`: the base64 of its raw 32-byte public key, and its key id (lowercase hex
    /// SHA-256 of those bytes, as checkpoints name it).
    public static func publication(of key: Curve25519.Signing.PrivateKey) -> (publicKey: String, keyId: String) {
        (key.publicKey.rawRepresentation.base64EncodedString(), AuditCheckpoint.keyId(of: key.publicKey))
    }

    /// The key at `path`, made first when there is none (the local mode of `serve`).
    public static func loadOrGenerate(path: String) throws -> Curve25519.Signing.PrivateKey {
        FileManager.default.fileExists(atPath: path) ? try load(path: path) : try generate(path: path)
    }
}

/// An audit signing key that cannot be used; `description` says which file and why.
public struct AuditSigningKeyError: Error, CustomStringConvertible {
    /// Which file, and why it cannot be used.
    public let description: String
    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
