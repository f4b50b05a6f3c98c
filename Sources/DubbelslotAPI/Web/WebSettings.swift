import Foundation

/// Settings of the web pages under `/app` (`web.*` in `config/dubbelslot.yaml`).
public struct WebSettings: Sendable, Equatable {
    /// Minutes without a request after which a session ends (`web.sessionIdleMinutes`, default 30).
    public var sessionIdleMinutes: Int
    /// Always mark the session cookie `Secure` (`web.secureCookies`); otherwise only when the request
    /// came over HTTPS (`X-Forwarded-Proto: https` from the proxy in front).
    public var secureCookies: Bool

    /// - Parameters:
    ///   - sessionIdleMinutes: idle timeout of a session, at least 1.
    ///   - secureCookies: mark the cookie `Secure` whatever the request's scheme.
    public init(sessionIdleMinutes: Int = 30, secureCookies: Bool = false) {
        self.sessionIdleMinutes = max(1, sessionIdleMinutes)
        self.secureCookies = secureCookies
    }

    /// The idle timeout in seconds.
    var idleTimeout: TimeInterval { TimeInterval(sessionIdleMinutes * 60) }
}
