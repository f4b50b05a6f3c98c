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
    public func create(role: Role, municipality: MunicipalityCode?, label: String, actor: RecordedBy) async throws -> (info: TokenInfo, secret: String) {
        try await create(role: role, municipality: municipality, organisation: nil, label: label, expiresAt: nil, actor: actor)
    }

    /// Creates a token for an organisation, with an expiry.
    ///
    /// - Parameters:
    ///   - organisation: the holder: for buyers and signallers always their municipality's CBS code;
    ///     for the other roles a slug (`[a-z][a-z0-9-]{1,62}`), by default ``defaultOrganisation(for:)``.
    ///     The organisation is registered when new.
    ///   - expiresAt: the instant the token stops working; `nil` for none.
    /// - Throws: as ``create(role:municipality:label:actor:)``; `ValidationFailure` (field `organisation`) for a bad slug.
    public func create(role: Role, municipality: MunicipalityCode?, organisation: String?, label: String, expiresAt: Date?,
                       actor: RecordedBy) async throws -> (info: TokenInfo, secret: String) {
        if role.needsMunicipality && municipality == nil {
            throw ValidationFailure([FieldError(field: "municipalityCode", rule: "is required for role \(role.rawValue)")])
        }
        let holder = municipality?.rawValue ?? organisation ?? Self.defaultOrganisation(for: role)
        guard holder.wholeMatch(of: /GM[0-9]{4}|[a-z][a-z0-9-]{1,62}/) != nil else {
            throw ValidationFailure([FieldError(field: "organisation", rule: "must be a CBS code or a slug of lowercase letters, digits and hyphens")])
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = Self.secretPrefix + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    """
                    INSERT INTO organisations (id, recorded_by) VALUES (\(holder), \(actor)) ON CONFLICT (id) DO NOTHING
                    """, logger: logger).collect()
                let rows = try await connection.query(
                    """
                    INSERT INTO api_tokens (secret_sha256, role, municipality_code, organisation_id, label, expires_at, recorded_by)
                    VALUES (\(Self.digest(secret)), \(role.rawValue), \(municipality?.rawValue)::text, \(holder), \(label),
                            \(expiresAt)::timestamptz, \(actor))
                    RETURNING \(unescaped: Self.columns)
                    """, logger: logger)
                guard let row = try await rows.firstRow() else { throw StoreError.notFound }
                let info = try Self.info(row)
                try await AuditLog.append(on: connection, actor: actor, action: "token.create", subject: "token:\(info.id.uuidString.lowercased())",
                                          details: ["role": role.rawValue, "organisation": holder], logger: logger)
                return (info, secret)
            }
        }
    }

    /// The organisation a token of `role` belongs to when none is named: `blik-op-werk` (inspectors of the
    /// quality-mark body), `inspectorate` (analysts), `operator` (admins).
    public static func defaultOrganisation(for role: Role) -> String {
        switch role {
        case .inspector: "blik-op-werk"
        case .analyst: "inspectorate"
        case .admin, .buyer, .signaller: "operator"
        }
    }

    /// Disables or enables an organisation: its tokens are refused from the next request on, or work again.
    ///
    /// - Returns: `false` when no such organisation exists or it already was in that state.
    public func setOrganisationDisabled(_ id: String, disabled: Bool, actor: RecordedBy) async throws -> Bool {
        try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE organisations
                SET disabled_at = CASE WHEN \(disabled) THEN now() END, disabled_by = CASE WHEN \(disabled) THEN \(actor) END
                WHERE id = \(id) AND (disabled_at IS NULL) = \(disabled)
                RETURNING id
                """, logger: logger)
            guard try await rows.firstRow() != nil else { return false }
            try await AuditLog.append(on: connection, actor: actor, action: disabled ? "organisation.disable" : "organisation.enable",
                                      subject: "organisation:\(id)", logger: logger)
            return true
        }
    }

    /// The principal of a valid token: known, not revoked, not expired, its organisation not disabled.
    ///
    /// - Returns: `nil` for an unknown, revoked or expired secret, a disabled organisation's, and for
    ///   anything without the `dbs_` prefix.
    public func authenticate(secret: String) async throws -> TokenPrincipal? {
        guard secret.hasPrefix(Self.secretPrefix), secret.utf8.count <= 128 else { return nil }
        var rows = try await client.execute(AuthenticateStatement(secretSHA256: Self.digest(secret)), logger: logger).makeAsyncIterator()
        guard let (id, role, municipality, label) = try await rows.next() else { return nil }
        while try await rows.next() != nil {}
        return try Self.principal(id: id, role: role, municipality: municipality, label: label)
    }

    /// The lookup of ``authenticate(secret:)``, prepared once per connection: every API request runs it.
    /// `$1` the secret's lowercase hex SHA-256; the row `(id, role, municipality_code, label)`.
    struct AuthenticateStatement: PostgresPreparedStatement {
        static let sql = """
            SELECT t.id, t.role, t.municipality_code, t.label FROM api_tokens t
            JOIN organisations o ON o.id = t.organisation_id
            WHERE t.secret_sha256 = $1 AND \(TokenRepository.validity)
            """
        static let bindingDataTypes: [PostgresDataType] = [.text]

        let secretSHA256: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(secretSHA256)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> (UUID, String, String?, String) {
            try row.decode((UUID, String, String?, String).self)
        }
    }

    /// Revokes a token; it stops authenticating at once.
    ///
    /// - Returns: `true` when the token was valid and is now revoked; `false` when it is unknown or
    ///   was revoked before (the first revocation's time and actor are kept).
    public func revoke(_ id: UUID, actor: RecordedBy) async throws -> Bool {
        try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE api_tokens SET revoked_at = now(), revoked_by = \(actor)
                WHERE id = \(id) AND revoked_at IS NULL
                RETURNING id
                """, logger: logger)
            guard try await rows.firstRow() != nil else { return false }
            try await AuditLog.append(on: connection, actor: actor, action: "token.revoke",
                                      subject: "token:\(id.uuidString.lowercased())", logger: logger)
            return true
        }
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
        SHA256.hash(data: Data(secret.utf8)).lowercaseHex
    }

    /// The one definition of a usable token (`t` an `api_tokens` row joined to its organisation `o`):
    /// not revoked, not expired, its organisation not disabled. Web sessions re-check it on every request.
    static let validity = "t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND o.disabled_at IS NULL"

    /// A token principal from `(id, role, municipality_code, label)`.
    static func principal(id: UUID, role: String, municipality: String?, label: String) throws -> TokenPrincipal {
        TokenPrincipal(
            tokenId: id, role: try parse(role, Role.init(rawValue:), column: "api_tokens.role"),
            municipalityCode: try parseIfPresent(municipality, MunicipalityCode.init, column: "api_tokens.municipality_code"),
            label: label)
    }

    static let columns = """
        id, role, municipality_code, label, created_at, revoked_at, organisation_id, expires_at,
        (SELECT o.disabled_at IS NOT NULL FROM organisations o WHERE o.id = organisation_id)
        """

    static func info(_ row: PostgresRow) throws -> TokenInfo {
        let (id, role, municipality, label, createdAt, revokedAt, organisation, expiresAt, disabled) =
            try row.decode((UUID, String, String?, String, Date, Date?, String, Date?, Bool?).self)
        var info = TokenInfo(
            id: id, role: try parse(role, Role.init(rawValue:), column: "api_tokens.role"),
            municipalityCode: try parseIfPresent(municipality, MunicipalityCode.init, column: "api_tokens.municipality_code"),
            label: label, createdAt: createdAt, revokedAt: revokedAt)
        info.organisation = organisation
        info.expiresAt = expiresAt
        info.organisationDisabled = disabled ?? false
        return info
    }
}
