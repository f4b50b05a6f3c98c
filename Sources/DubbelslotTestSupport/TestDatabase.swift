public import DubbelslotStore
public import Logging
public import PostgresNIO

/// A database of its own for one test, on the test cluster; dropped when the test ends.
public struct TestDatabase: Sendable {
    /// The database name, `t_` and 32 hex digits.
    public let name: String
    /// The server's socket file (`<dir>/.s.PGSQL.5432`).
    public let socketPath: String
    /// The role to connect as (a superuser, no password).
    public let username: String

    /// - Parameters:
    ///   - name: an existing database.
    ///   - socketPath: the server's socket file, `<dir>/.s.PGSQL.5432`.
    ///   - username: a role that may connect without a password.
    public init(name: String, socketPath: String, username: String = "postgres") {
        self.name = name
        self.socketPath = socketPath
        self.username = username
    }

    /// How to connect: the Unix socket, no password, no TLS, at most 8 connections (tests run in
    /// parallel on one server of 300 connections).
    public var configuration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(unixSocketPath: socketPath, username: username, password: nil, database: name)
        configuration.options.maximumConnections = 8
        return configuration
    }

    /// Runs `body` with a running client for this database; the client is shut down afterwards.
    ///
    /// - Parameter logger: the client's background logger; defaults to ``TestLogging/clientLogger``.
    public func withClient<T>(logger: Logger = TestLogging.clientLogger, _ body: (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}

/// Runs `body` against a fresh, migrated database of its own, then drops that database.
///
/// The database is cloned from a template migrated once per test process (``TestCluster``), so
/// this costs one `CREATE DATABASE` (tens of milliseconds), not a migration run. Tests may run in
/// parallel; each sees only its own rows.
///
/// ```swift
/// @Test func roundTrip() async throws {
///     try await withTestDatabase { store, client in
///         let school = try await store.schools.create(newSchool, actor: "cli:test")
///         #expect(try await store.schools.get(school.id) == school)
///     }
/// }
/// ```
/// - Throws: what `body` throws, or an error starting the cluster or creating the database.
public func withTestDatabase<T>(_ body: (Store, PostgresClient) async throws -> T) async throws -> T {
    try await withTestDatabase(migrated: true) { database in
        try await database.withClient { client in
            try await body(Store(client: client, logger: TestLogging.logger), client)
        }
    }
}

/// Runs `body` with a database of its own, migrated or empty, then drops it (`WITH (FORCE)`).
///
/// Use it to configure something else against the database (an application built from a config
/// reader naming ``TestDatabase/socketPath`` and ``TestDatabase/name``), or with `migrated: false`
/// to test the migrations themselves.
public func withTestDatabase<T>(migrated: Bool, _ body: (TestDatabase) async throws -> T) async throws -> T {
    let database = try await TestCluster.shared.makeDatabase(migrated: migrated)
    do {
        let result = try await body(database)
        try await TestCluster.shared.drop(database)
        return result
    } catch {
        try? await TestCluster.shared.drop(database)
        throw error
    }
}
