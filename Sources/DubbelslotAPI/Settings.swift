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
/// - `database.replicaUrl` (secret string, optional) [`DUBBELSLOT_DATABASE_REPLICA_URL`]: a streaming-replication standby
///   for overviews, lists and reports, with read-your-writes (docs/decisions/0021-reads-from-a-standby.md).
/// - `database.migrate` (bool, default `true`): apply pending migrations before serving.
/// - `database.connectTimeoutSeconds` (int, default `5`), `database.statementTimeoutSeconds` (int, default `30`):
///   bounds on connecting and, when serving, on every statement (PostgreSQL `statement_timeout`); past
///   either, the request answers 503 with `Retry-After`.
/// - `local.dataDirectory` (string, default `.dubbelslot/postgres`): the private cluster used when no database is configured.
/// - `riskModel.path` (string, default `config/risk-model.yaml`)
/// - `log.level` (string, default `info`)
/// - `signals.triageNormWorkingDays` (int, default `10`), `signals.conclusionNormWorkingDays` (int, default `65`):
///   the norms of the response-time report (Dutch working days).
/// - `retention.unfoundedSignalMonths` (int, default `6`), `retention.signalTextYears` (int, default `5`),
///   `retention.batchSize` (int, default `500`): Core ``RetentionPolicy``, used by `dubbelslot retention run`.
/// - `web.sessionIdleMinutes` (int, default `30`), `web.secureCookies` (bool, default `false`): the web
///   pages' sessions, see ``WebSettings``.
/// - `webhooks.allowInsecureLocalhost` (bool, default `false`): let subscriptions use `http://` to the
///   loopback host and deliveries connect to loopback addresses (tests, a receiver on the same machine);
///   see ``WebhookAddressPolicy``.
/// - `webhooks.timeoutSeconds` (int, default `10`): how long a webhook post may take to connect and to
///   be answered; a claimed delivery's lease is three times this plus five seconds, after which another
///   instance takes it over.
public struct Settings: Sendable {
    /// Hummingbird's address and server name (`http.host`, `http.port`).
    public var http: ApplicationConfiguration
    /// Where the server listens, for messages: `http://<http.host>:<http.port>`.
    public var baseURL: String
    /// How to reach PostgreSQL (`database.*`).
    public var database: Database
    /// The private cluster's data directory when no database is configured (`local.dataDirectory`).
    public var localDataDirectory: String
    /// The risk model file loaded at start (`riskModel.path`).
    public var riskModelPath: String
    /// The lowest level logged (`log.level`).
    public var logLevel: Logger.Level
    /// The triage and conclusion norms in Dutch working days (`signals.*NormWorkingDays`).
    public var responseTimeNorms: ResponseTimeNorms
    /// How long signal texts are kept (`retention.*`).
    public var retention: RetentionPolicy
    /// The web pages under `/app` (`web.*`).
    public var web: WebSettings
    /// Where webhooks may be posted (`webhooks.allowInsecureLocalhost`).
    public var webhookAddressPolicy: WebhookAddressPolicy
    /// How long a webhook post may take (`webhooks.timeoutSeconds`).
    public var webhookTimeout: Duration = .seconds(10)
    /// Every API request's deadline (`http.requestTimeoutSeconds`, default 60 seconds): past it, 503 with `Retry-After`.
    public var requestTimeout: Duration
    /// The file of the Ed25519 key audit checkpoints are signed with (`audit.signingKeyFile`, see
    /// `AuditSigningKey`); `nil` signs no checkpoints (the local mode of `serve` makes one).
    public var auditSigningKeyFile: String?

    /// How to reach PostgreSQL.
    public struct Database: Sendable {
        /// A `postgres://` URL (`database.url`, a secret); when set, it wins over `socketPath`, and its user
        /// and database name, where it gives them, over `user` and `name`.
        public var url: String?
        /// The Unix socket file `<dir>/.s.PGSQL.<port>` (`database.socketPath`).
        public var socketPath: String?
        /// The database name (`database.name`, default `dubbelslot`).
        public var name: String
        /// The role to connect as (`database.user`, default `postgres`).
        public var user: String
        /// The pool's connection limit (`database.maxConnections`, default 20).
        public var maxConnections: Int
        /// Whether pending migrations are applied before serving (`database.migrate`, default `true`).
        public var migrate: Bool
        /// How long a connection attempt may take (`database.connectTimeoutSeconds`, default 5).
        public var connectTimeoutSeconds: Int = 5
        /// PostgreSQL's `statement_timeout` for every statement of the service (`database.statementTimeoutSeconds`,
        /// default 30): no request waits on the database longer, whatever holds it up (a lock, a stuck backend).
        public var statementTimeoutSeconds: Int = 30
        /// The `application_name` of this process's connections, unique per process (`dubbelslot-<8 hex>`),
        /// so that its own statements can be told apart (and cancelled at shutdown) among other instances'.
        public var applicationName: String = "dubbelslot-" + UUID().uuidString.prefix(8).lowercased()
        /// A streaming-replication standby of the same database for reads that may be a moment behind
        /// (`database.replicaUrl`, secret, optional; same form as `url`). See ``ReadReplica``.
        public var replicaUrl: String?

        /// How to reach the standby of `replicaUrl`: this setting with that URL, never migrated; `nil` without one.
        public var replica: Database? {
            guard let replicaUrl else { return nil }
            var copy = self
            copy.url = replicaUrl
            copy.socketPath = nil
            copy.migrate = false
            copy.replicaUrl = nil
            return copy
        }

        /// A database setting as the keys above give it; `url` or `socketPath` names the database.
        public init(url: String? = nil, socketPath: String? = nil, name: String = "dubbelslot", user: String = "postgres",
                    maxConnections: Int = 20, migrate: Bool = true, connectTimeoutSeconds: Int = 5, statementTimeoutSeconds: Int = 30) {
            self.url = url
            self.socketPath = socketPath
            self.name = name
            self.user = user
            self.maxConnections = maxConnections
            self.migrate = migrate
            self.connectTimeoutSeconds = connectTimeoutSeconds
            self.statementTimeoutSeconds = statementTimeoutSeconds
        }

        /// Whether any database was configured; without one, `serve` starts a private local cluster.
        public var isConfigured: Bool { url != nil || socketPath != nil }

        /// The PostgresNIO client configuration.
        ///
        /// - Throws: ``SettingsError`` when the URL cannot be parsed or nothing is configured.
        /// - Parameter serving: whether the client serves requests (`serve`): then every statement has
        ///   ``statementTimeoutSeconds``; the command-line tools (imports, retention) have none.
        public func clientConfiguration(serving: Bool = false) throws -> PostgresClient.Configuration {
            var config: PostgresClient.Configuration
            switch try endpoint() {
            case let .socket(path, user, password, name):
                config = .init(unixSocketPath: path, username: user, password: password, database: name)
            case let .tcp(host, port, user, password, name, tls):
                config = .init(host: host, port: port, username: user, password: password, database: name,
                               tls: tls ? .require(.clientDefault) : .disable)
            }
            config.options.maximumConnections = maxConnections
            config.options.connectTimeout = .seconds(Int64(connectTimeoutSeconds))
            config.options.additionalStartupParameters = [("application_name", applicationName)]
            if serving {
                config.options.additionalStartupParameters.append(("statement_timeout", "\(statementTimeoutSeconds * 1000)"))
                // The pool sets an idle and a keep-alive timer each time a connection comes back and cancels
                // them at the next lease; a cancelled timer (Task.sleep) keeps some 650 bytes until the time it
                // was set for. With the defaults (60 s, 30 s) the server grew by about 1.3 kB a request under
                // load until the minute passed (heaptrack: PostgresNIO's ConnectionPool.runTimer); 10 s keeps
                // a sixth of that, and a connection idle for 10 s is closed and reopened when needed.
                config.options.connectionIdleTimeout = .seconds(10)
                config.options.keepAliveBehavior = .init(frequency: .seconds(10))
            }
            return config
        }

        /// One connection of its own, outside the pool (named `<applicationName>-<purpose>`), for work that
        /// must not wait for a pooled connection: cancelling this process's statements at shutdown
        /// (`control`), or holding the audit sequencer's lead (`sequencer`).
        public func controlConnectionConfiguration(purpose: String = "control") throws -> PostgresConnection.Configuration {
            var config: PostgresConnection.Configuration
            switch try endpoint() {
            case let .socket(path, user, password, name):
                config = .init(unixSocketPath: path, username: user, password: password, database: name)
            case let .tcp(host, port, user, password, name, tls):
                config = .init(host: host, port: port, username: user, password: password, database: name,
                               tls: tls ? .require(try .init(configuration: .clientDefault)) : .disable)
            }
            config.options.connectTimeout = .seconds(Int64(connectTimeoutSeconds))
            config.options.additionalStartupParameters = [("application_name", applicationName + "-" + purpose)]
            return config
        }

        private enum Endpoint {
            case socket(path: String, user: String, password: String?, name: String)
            case tcp(host: String, port: Int, user: String, password: String?, name: String, tls: Bool)
        }

        private func endpoint() throws -> Endpoint {
            if let url {
                guard let c = URLComponents(string: url), c.scheme == "postgres" || c.scheme == "postgresql" else {
                    throw SettingsError("database.url must look like postgres://user:password@host:5432/name")
                }
                let name = c.path.isEmpty || c.path == "/" ? self.name : String(c.path.dropFirst())
                let user = c.user?.removingPercentEncoding ?? self.user
                let password = c.password?.removingPercentEncoding
                if let dir = c.queryItems?.first(where: { $0.name == "host" })?.value, dir.hasPrefix("/") {
                    return .socket(path: "\(dir)/.s.PGSQL.\(c.port ?? 5432)", user: user, password: password, name: name)
                }
                let tls = c.queryItems?.contains { $0.name == "sslmode" && $0.value == "require" } == true
                return .tcp(host: c.host ?? "127.0.0.1", port: c.port ?? 5432, user: user, password: password, name: name, tls: tls)
            }
            if let socketPath { return .socket(path: socketPath, user: user, password: nil, name: name) }
            throw SettingsError("no database configured: set database.url (DUBBELSLOT_DATABASE_URL) or database.socketPath")
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
            migrate: db.bool(forKey: "migrate", default: true),
            connectTimeoutSeconds: max(1, db.int(forKey: "connectTimeoutSeconds", default: 5)),
            statementTimeoutSeconds: max(1, db.int(forKey: "statementTimeoutSeconds", default: 30)))
        database.replicaUrl = db.string(forKey: "replicaUrl", isSecret: true)
        localDataDirectory = reader.string(forKey: "local.dataDirectory", default: ".dubbelslot/postgres")
        riskModelPath = reader.string(forKey: "riskModel.path", default: "config/risk-model.yaml")
        logLevel = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info")) ?? .info
        responseTimeNorms = ResponseTimeNorms(triageWorkingDays: reader.int(forKey: "signals.triageNormWorkingDays", default: 10),
                                              conclusionWorkingDays: reader.int(forKey: "signals.conclusionNormWorkingDays", default: 65))
        retention = RetentionPolicy(unfoundedSignalMonths: reader.int(forKey: "retention.unfoundedSignalMonths", default: 6),
                                    signalTextYears: reader.int(forKey: "retention.signalTextYears", default: 5),
                                    batchSize: reader.int(forKey: "retention.batchSize", default: 500))
        requestTimeout = .seconds(max(1, reader.int(forKey: "http.requestTimeoutSeconds", default: 60)))
        auditSigningKeyFile = reader.string(forKey: "audit.signingKeyFile")
        web = WebSettings(sessionIdleMinutes: max(1, reader.int(forKey: "web.sessionIdleMinutes", default: 30)),
                          secureCookies: reader.bool(forKey: "web.secureCookies", default: false))
        webhookAddressPolicy = WebhookAddressPolicy(allowLoopback: reader.bool(forKey: "webhooks.allowInsecureLocalhost", default: false))
        webhookTimeout = .seconds(max(1, reader.int(forKey: "webhooks.timeoutSeconds", default: 10)))
    }
}

/// A setting that cannot be used; `description` says which and how to fix it.
public struct SettingsError: Error, CustomStringConvertible {
    /// Which setting is wrong and how to fix it, in one line.
    public let description: String
    /// A settings error saying `description`.
    public init(_ description: String) { self.description = description }
}
