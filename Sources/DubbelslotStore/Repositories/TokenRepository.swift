import Crypto
public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// API bearer tokens. Only the SHA-256 of a secret is stored; the secret itself is returned once.
public struct TokenRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Usually reached through ``Store``; the client must be running.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The prefix of every secret, so that a leaked token is easy to recognise (and to scan for).
    public static let secretPrefix = "dbs_"

    /// Creates a token.
    ///
    /// The secret is `"dbs_"` + base64url without padding of 32 random bytes (256 bits, from the
    /// system's CSPRNG): 47 characters. The database keeps only its SHA-256 in lowercase hex.
    /// - Parameters:
    ///   - municipality: required for buyers and signallers, who act for one municipality.
    ///   - label: what the token is for, 1–200 characters, for example "Gemeente Utrecht inkoop".
    /// - Returns: the token's public data and its secret, which cannot be shown again.
    /// - Throws: `ValidationFailure` (field `municipalityCode`) when the role needs a municipality and none is
    ///   given; ``StoreError/unknownReference(field:)`` with `municipalityCode` for an unknown one.
    public func create(role: Role, municipality: MunicipalityCode?, label: String, actor: Actor) async throws -> (info: TokenInfo, secret: String) {
        if role.needsMunicipality && municipality == nil {
            throw ValidationFailure([FieldError(field: "municipalityCode", rule: "is required for role \(role.rawValue)")])
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = Self.secretPrefix + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return try await StoreError.translating(logger: logger) {
            let rows = try await client.query(
                """
                INSERT INTO api_tokens (secret_sha256, role, municipality_code, label, recorded_by)
                VALUES (\(Self.digest(secret)), \(role.rawValue), \(municipality?.rawValue)::text, \(label), \(actor))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            guard let row = try await rows.firstRow() else { throw StoreError.notFound }
            return (try Self.info(row), secret)
        }
    }

    /// The principal of a valid token: known, not revoked, not expired.
    ///
    /// - Returns: `nil` for an unknown, revoked or expired secret, and for anything without the `dbs_` prefix.
    public func authenticate(secret: String) async throws -> TokenPrincipal? {
        guard secret.hasPrefix(Self.secretPrefix), secret.utf8.count <= 128 else { return nil }
        let rows = try await client.query(
            """
            SELECT id, role, municipality_code, label FROM api_tokens
            WHERE secret_sha256 = \(Self.digest(secret)) AND revoked_at IS NULL
              AND (expires_at IS NULL OR expires_at > now())
            """, logger: logger)
        guard let row = try await rows.firstRow() else { return nil }
        let (id, role, municipality, label) = try row.decode((UUID, String, String?, String).self)
        return TokenPrincipal(
            tokenId: id, role: try parse(role, Role.init(rawValue:), column: "api_tokens.role"),
            municipalityCode: try parseIfPresent(municipality, MunicipalityCode.init, column: "api_tokens.municipality_code"),
            label: label)
    }

    /// Revokes a token; it stops authenticating at once.
    ///
    /// - Returns: `true` when the token was valid and is now revoked; `false` when it is unknown or
    ///   was revoked before (the first revocation's time and actor are kept).
    public func revoke(_ id: UUID, actor: Actor) async throws -> Bool {
        let rows = try await client.query(
            """
            UPDATE api_tokens SET revoked_at = now(), revoked_by = \(actor)
            WHERE id = \(id) AND revoked_at IS NULL
            RETURNING id
            """, logger: logger)
        return try await rows.firstRow() != nil
    }

    /// Every token, revoked ones included, oldest first.
    public func list() async throws -> [TokenInfo] {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.columns) FROM api_tokens ORDER BY created_at, id", logger: logger)
        var result: [TokenInfo] = []
        for try await row in rows { result.append(try Self.info(row)) }
        return result
    }

    /// Lowercase hex SHA-256 of the secret's UTF-8 bytes.
    static func digest(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    static let columns = "id, role, municipality_code, label, created_at, revoked_at"

    static func info(_ row: PostgresRow) throws -> TokenInfo {
        let (id, role, municipality, label, createdAt, revokedAt) =
            try row.decode((UUID, String, String?, String, Date, Date?).self)
        return TokenInfo(
            id: id, role: try parse(role, Role.init(rawValue:), column: "api_tokens.role"),
            municipalityCode: try parseIfPresent(municipality, MunicipalityCode.init, column: "api_tokens.municipality_code"),
            label: label, createdAt: createdAt, revokedAt: revokedAt)
    }
}
