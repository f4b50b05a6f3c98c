import Crypto
public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// Sessions of the web pages (`web_sessions`, sql/0028): an opaque random id in the browser's cookie,
/// only its SHA-256 here, mapped to the API token the session was started with.
///
/// A session lives while its token is usable (``TokenRepository`` validity: not revoked, not expired,
/// organisation not disabled) and it is not idle longer than the caller's timeout; both are checked
/// on every ``resume(id:idleTimeout:)``, so revoking a token ends its sessions on their next request.
public struct WebSessionRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Usually reached through ``Store``; the client must be running.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// A session as a request sees it.
    public struct Session: Sendable, Equatable {
        /// The token's principal, re-read from `api_tokens` on this request.
        public var principal: TokenPrincipal
        /// The synchroniser token every form of this session must send back.
        public var csrfToken: String
    }

    /// 32 random bytes from the system's CSPRNG, base64url without padding (43 characters).
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Starts a session for `principal`'s token and removes sessions idle past `idleTimeout`.
    ///
    /// - Returns: the session id for the cookie (shown once, stored only as SHA-256) and the CSRF token.
    public func create(for principal: TokenPrincipal, idleTimeout: TimeInterval) async throws -> (id: String, csrfToken: String) {
        let id = Self.randomToken()
        let csrf = Self.randomToken()
        let actor: RecordedBy = "\(principal.role.rawValue):\(principal.tokenId.uuidString.lowercased())"
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                "DELETE FROM web_sessions WHERE last_seen_at < now() - make_interval(secs => \(idleTimeout))", logger: logger).collect()
            try await connection.query(
                """
                INSERT INTO web_sessions (id_sha256, token_id, csrf_token) VALUES (\(TokenRepository.digest(id)), \(principal.tokenId), \(csrf))
                """, logger: logger).collect()
            try await AuditLog.append(on: connection, actor: actor, action: "session.start",
                                      subject: "token:\(principal.tokenId.uuidString.lowercased())", logger: logger)
        }
        return (id, csrf)
    }

    /// The session with cookie value `id`, its idle clock restarted; `nil` when unknown, idle past
    /// `idleTimeout`, or its token no longer usable (such a session is deleted).
    public func resume(id: String, idleTimeout: TimeInterval) async throws -> Session? {
        guard id.utf8.count <= 128 else { return nil }
        let digest = TokenRepository.digest(id)
        let rows = try await client.query(
            """
            UPDATE web_sessions s SET last_seen_at = now()
            FROM api_tokens t JOIN organisations o ON o.id = t.organisation_id
            WHERE s.id_sha256 = \(digest) AND t.id = s.token_id
              AND s.last_seen_at >= now() - make_interval(secs => \(idleTimeout))
              AND \(unescaped: TokenRepository.validity)
            RETURNING t.id, t.role, t.municipality_code, t.label, s.csrf_token
            """, logger: logger)
        guard let row = try await rows.firstRow() else {
            // Idle, revoked, expired or disabled: the session is over for good.
            try await client.query("DELETE FROM web_sessions WHERE id_sha256 = \(digest)", logger: logger).collect()
            return nil
        }
        let (tokenId, role, municipality, label, csrf) = try row.decode((UUID, String, String?, String, String).self)
        return Session(principal: try TokenRepository.principal(id: tokenId, role: role, municipality: municipality, label: label),
                       csrfToken: csrf)
    }

    /// Ends the session with cookie value `id` (sign-out).
    ///
    /// - Returns: `false` when there was no such session.
    @discardableResult
    public func delete(id: String) async throws -> Bool {
        guard id.utf8.count <= 128 else { return false }
        return try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                "DELETE FROM web_sessions WHERE id_sha256 = \(TokenRepository.digest(id)) RETURNING token_id", logger: logger)
            guard let row = try await rows.firstRow() else { return false }
            let tokenId = try row.decode(UUID.self)
            try await AuditLog.append(on: connection, actor: "web:\(tokenId.uuidString.lowercased())", action: "session.end",
                                      subject: "token:\(tokenId.uuidString.lowercased())", logger: logger)
            return true
        }
    }
}
