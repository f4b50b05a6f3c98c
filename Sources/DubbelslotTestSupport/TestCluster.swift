import DubbelslotStore
import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL server of this test process and its template database; one per process.
///
/// The server is `$DUBBELSLOT_TEST_SOCKET_DIR`'s when that is set (connecting as
/// `$DUBBELSLOT_TEST_USER`, default `postgres`), else a throwaway ``EmbeddedPostgres`` started on
/// first use and stopped at exit. The template `dbs_tpl_<fingerprint>` is migrated once; its name
/// comes from the migration files, so a changed `sql/` gets a new template on a reused server.
/// Nobody ever connects to the template (it is created under a temporary name, migrated, then
/// renamed and closed to connections), so databases can be cloned from it at any time;
/// `CREATE DATABASE` calls are still made one at a time.
public actor TestCluster {
    /// The one cluster of this test process.
    public static let shared = TestCluster()

    struct Server: Sendable {
        let socketPath: String
        let username: String
        let template: String
        let embedded: EmbeddedPostgres?
    }

    private var server: Task<Server, any Error>?
    private var creating = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    private init() {}

    /// A new database for one test: cloned from the migrated template, or empty.
    public func makeDatabase(migrated: Bool) async throws -> TestDatabase {
        let server = try await self.ensureServer()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        await lock()
        defer { unlock() }
        let source = migrated ? server.template : "template0"
        try await Self.withAdminConnection(server) { connection in
            try await Self.retryingWhileInUse {
                try await connection.query("CREATE DATABASE \(unescaped: name) TEMPLATE \(unescaped: source)", logger: TestLogging.logger)
            }
        }
        return TestDatabase(name: name, socketPath: server.socketPath, username: server.username)
    }

    /// Drops a test database, closing its connections.
    public func drop(_ database: TestDatabase) async throws {
        let server = try await self.ensureServer()
        try await Self.withAdminConnection(server) { connection in
            try await connection.query("DROP DATABASE IF EXISTS \(unescaped: database.name) WITH (FORCE)", logger: TestLogging.logger)
        }
    }

    /// Starts the server and migrates the template unless that is done already; throws what went
    /// wrong, again on every call, when it could not be done (``TestClusterTrait`` asks this once per
    /// root suite).
    public func start() async throws { _ = try await ensureServer() }

    /// The socket file of the test server, starting it if needed.
    public func socketPath() async throws -> String { try await ensureServer().socketPath }

    private func ensureServer() async throws -> Server {
        if let server { return try await server.value }
        let task = Task { try await Self.startServer() }
        server = task
        return try await task.value
    }

    // A FIFO lock over the actor's suspension points: actors are reentrant, CREATE DATABASE is awaited.
    private func lock() async {
        guard creating else {
            creating = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func unlock() {
        if waiting.isEmpty { creating = false } else { waiting.removeFirst().resume() }
    }

    private static func startServer() async throws -> Server {
        let logger = TestLogging.logger
        let environment = ProcessInfo.processInfo.environment
        let socketPath: String
        let embedded: EmbeddedPostgres?
        if let dir = environment["DUBBELSLOT_TEST_SOCKET_DIR"], !dir.isEmpty {
            socketPath = dir + "/.s.PGSQL.5432"
            embedded = nil
        } else {
            let started = try await EmbeddedPostgres.start(dataDirectory: nil, logger: logger)
            socketPath = started.socketPath
            embedded = started
        }
        let username = environment["DUBBELSLOT_TEST_USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "postgres"
        guard let directory = Migrator.defaultDirectory() else {
            throw StoreError.migration("no sql/ directory found; set DUBBELSLOT_SQL_DIR")
        }
        let fingerprint = try Migrator.fingerprint(directory: directory)
        let server = Server(socketPath: socketPath, username: username, template: "dbs_tpl_" + fingerprint.prefix(16), embedded: embedded)
        try await makeTemplate(server, directory: directory)
        return server
    }

    /// Creates and migrates the template unless it exists (a reused server may have it already).
    private static func makeTemplate(_ server: Server, directory: URL) async throws {
        let logger = TestLogging.logger
        let exists = try await withAdminConnection(server) { connection in
            try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(server.template)", logger: logger).collect().count > 0
        }
        if exists { return }
        let scratch = TestDatabase(name: "dbs_tplnew_" + UUID().uuidString.prefix(8).lowercased(), socketPath: server.socketPath,
                                   username: server.username)
        try await withAdminConnection(server) { connection in
            try await connection.query("CREATE DATABASE \(unescaped: scratch.name)", logger: logger)
        }
        try await scratch.withClient { client in
            _ = try await Migrator(client: client, directory: directory, logger: logger).migrate()
        }
        try await withAdminConnection(server) { connection in
            do {
                try await retryingWhileInUse {
                    try await connection.query("ALTER DATABASE \(unescaped: scratch.name) RENAME TO \(unescaped: server.template)", logger: logger)
                }
                try await connection.query(
                    "ALTER DATABASE \(unescaped: server.template) WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", logger: logger)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P04" {
                // Another test process made the same template first.
                try await connection.query("DROP DATABASE IF EXISTS \(unescaped: scratch.name) WITH (FORCE)", logger: logger)
            }
        }
    }

    /// Retries `body` while the server answers SQLSTATE `55006` (a database is in use), for up to 10 s:
    /// a closed client's backends may take a moment to exit.
    private static func retryingWhileInUse(_ body: () async throws -> Void) async throws {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "55006" && attempt < 100 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Runs `body` on a short-lived connection to the server's `postgres` database.
    private static func withAdminConnection<T>(_ server: Server, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await PostgresConnection.withShortLived(
            .init(unixSocketPath: server.socketPath, username: server.username, password: nil, database: "postgres"),
            logger: TestLogging.logger, body)
    }
}
