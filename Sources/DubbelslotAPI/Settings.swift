public import DubbelslotCore
public import Configuration
import Foundation
public import Hummingbird
public import Logging
public import PostgresNIO

/// The service's settings, read once from a `ConfigReader` (flags > environment > `config/dubbelslot.yaml` > defaults).
///
/// Keys (environment names in brackets; every key also reads `DUBBELSLOT_`-prefixed variables, see ``configReader(flags:configFile:)``):
/// - `http.host` (string, default `127.0.0.1`), `http.port` (int, default `8080`),
///   `http.requestTimeoutSeconds` (int, default `60`: past it an API request answers 503 with `Retry-After`)
/// - `database.url` (secret string, optional) [`DUBBELSLOT_DATABASE_URL`]: `postgres://user:password@host:port/name`;
///   a `?host=/dir` query selects a Unix socket directory, as libpq does.
/// - `database.socketPath` (string, optional): the socket *file* `<dir>/.s.PGSQL.<port>`; used when no URL is given.
/// - `database.name` (string, default `dubbelslot`), `database.user` (string, default `postgres`)
/// - `database.maxConnections` (int, default `20`)
/// - `database.migrate` (bool, default `true`): apply pending migrations before serving.
/// - `local.dataDirectory` (string, default `.dubbelslot/postgres`): the private cluster used when no database is configured.
/// - `riskModel.path` (string, default `config/risk-model.yaml`)
/// - `log.level` (string, default `info`)
/// - `signals.triageNormWorkingDays` (int, default `10`), `signals.conclusionNormWorkingDays` (int, default `65`):
///   the norms of the response-time report (Dutch working days).
/// - `retention.unfoundedSignalMonths` (int, default `6`), `retention.signalTextYears` (int, default `5`),
///   `retention.batchSize` (int, default `500`): Core ``RetentionPolicy``, used by `dubbelslot retention run`.
/// - `web.sessionIdleMinutes` (int, default `30`), `web.secureCookies` (bool, default `false`): the web
///   pages' sessions, see ``WebSettings``.
public struct Settings: Sendable {
    public var http: ApplicationConfiguration
    /// Where the server listens, for messages: `http://<http.host>:<http.port>`.
    public var baseURL: String
    public var database: Database
    public var localDataDirectory: String
    public var riskModelPath: String
    public var logLevel: Logger.Level
    public var responseTimeNorms: ResponseTimeNorms
    /// How long signal texts are kept (`retention.*`).
    public var retention: RetentionPolicy
    /// The web pages under `/app` (`web.*`).
    public var web: WebSettings
    /// Every API request's deadline (`http.requestTimeoutSeconds`, default 60 seconds): past it, 503 with `Retry-After`.
    public var requestTimeout: Duration

    /// How to reach PostgreSQL.
    public struct Database: Sendable {
        public var url: String?
        public var socketPath: String?
        public var name: String
        public var user: String
        public var maxConnections: Int
        public var migrate: Bool

        /// Whether any database was configured; without one, `serve` starts a private local cluster.
        public var isConfigured: Bool { url != nil || socketPath != nil }

        /// The PostgresNIO client configuration.
        ///
        /// - Throws: ``SettingsError`` when the URL cannot be parsed or nothing is configured.
        public func clientConfiguration() throws -> PostgresClient.Configuration {
            var config: PostgresClient.Configuration
            if let url {
                guard let c = URLComponents(string: url), c.scheme == "postgres" || c.scheme == "postgresql" else {
                    throw SettingsError("database.url must look like postgres://user:password@host:5432/name")
                }
                let name = c.path.isEmpty || c.path == "/" ? self.name : String(c.path.dropFirst())
                let user = c.user?.removingPercentEncoding ?? self.user
                let password = c.password?.removingPercentEncoding
                if let dir = c.queryItems?.first(where: { $0.name == "host" })?.value, dir.hasPrefix("/") {
                    config = .init(unixSocketPath: "\(dir)/.s.PGSQL.\(c.port ?? 5432)", username: user, password: password, database: name)
                } else {
                    let tls: PostgresClient.Configuration.TLS = c.queryItems?.contains { $0.name == "sslmode" && $0.value == "require" } == true
                        ? .require(.clientDefault) : .disable
                    config = .init(host: c.host ?? "127.0.0.1", port: c.port ?? 5432, username: user, password: password, database: name, tls: tls)
                }
            } else if let socketPath {
                config = .init(unixSocketPath: socketPath, username: user, password: nil, database: name)
            } else {
                throw SettingsError("no database configured: set database.url (DUBBELSLOT_DATABASE_URL) or database.socketPath")
            }
            config.options.maximumConnections = maxConnections
            return config
        }
    }

    /// Reads the settings.
    public init(reader: ConfigReader) {
        http = ApplicationConfiguration(reader: reader.scoped(to: "http"))
        let host = reader.string(forKey: "http.host", default: "127.0.0.1")
        let port = reader.int(forKey: "http.port", default: 8080)
        http.address = .hostname(host, port: port)
        baseURL = "http://\(host):\(port)"
        let db = reader.scoped(to: "database")
        database = Database(
            url: db.string(forKey: "url", isSecret: true),
            socketPath: db.string(forKey: "socketPath"),
            name: db.string(forKey: "name", default: "dubbelslot"),
            user: db.string(forKey: "user", default: "postgres"),
            maxConnections: db.int(forKey: "maxConnections", default: 20),
            migrate: db.bool(forKey: "migrate", default: true))
        localDataDirectory = reader.string(forKey: "local.dataDirectory", default: ".dubbelslot/postgres")
        riskModelPath = reader.string(forKey: "riskModel.path", default: "config/risk-model.yaml")
        logLevel = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info")) ?? .info
        responseTimeNorms = ResponseTimeNorms(triageWorkingDays: reader.int(forKey: "signals.triageNormWorkingDays", default: 10),
                                              conclusionWorkingDays: reader.int(forKey: "signals.conclusionNormWorkingDays", default: 65))
        retention = RetentionPolicy(unfoundedSignalMonths: reader.int(forKey: "retention.unfoundedSignalMonths", default: 6),
                                    signalTextYears: reader.int(forKey: "retention.signalTextYears", default: 5),
                                    batchSize: reader.int(forKey: "retention.batchSize", default: 500))
        requestTimeout = .seconds(max(1, reader.int(forKey: "http.requestTimeoutSeconds", default: 60)))
        web = WebSettings(sessionIdleMinutes: max(1, reader.int(forKey: "web.sessionIdleMinutes", default: 30)),
                          secureCookies: reader.bool(forKey: "web.secureCookies", default: false))
    }
}

/// A setting that cannot be used; `description` says which and how to fix it.
public struct SettingsError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
