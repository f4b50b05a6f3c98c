public import Logging
public import PostgresNIO

extension EmbeddedPostgres {
    /// Creates an empty database (from `template1`).
    ///
    /// - Parameter name: a plain lowercase identifier, `[a-z_][a-z0-9_]*`, at most 63 bytes.
    /// - Throws: ``EmbeddedPostgresError/invalidDatabaseName(_:)``; the server's error when the
    ///   database exists (SQLSTATE `42P04`).
    public func createDatabase(_ name: String) async throws {
        try Self.checkIdentifier(name)
        try await withAdminConnection { connection in
            try await connection.query("CREATE DATABASE \(unescaped: name)", logger: logger)
        }
    }

    /// Drops a database if it exists, closing its connections (`WITH (FORCE)`).
    ///
    /// - Throws: ``EmbeddedPostgresError/invalidDatabaseName(_:)``.
    public func dropDatabase(_ name: String) async throws {
        try Self.checkIdentifier(name)
        try await withAdminConnection { connection in
            try await connection.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: logger)
        }
    }

    /// Runs `body` on a short-lived connection to the `postgres` database.
    func withAdminConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await PostgresConnection.withShortLived(
            .init(unixSocketPath: socketPath, username: username, password: nil, database: "postgres"), logger: logger, body)
    }

    /// Accepts only names that need no quoting, so that they can be spliced into DDL safely.
    static func checkIdentifier(_ name: String) throws {
        let bytes = Array(name.utf8)
        let valid = !bytes.isEmpty && bytes.count <= 63
            && !(bytes[0] >= UInt8(ascii: "0") && bytes[0] <= UInt8(ascii: "9"))
            && bytes.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
        guard valid else { throw EmbeddedPostgresError.invalidDatabaseName(name) }
    }
}

extension PostgresConnection {
    /// Opens a connection with `configuration`, runs `body` on it and closes it, whether `body`
    /// returns or throws (a pool is not worth it for the one or two statements of an admin task).
    ///
    /// - Throws: the error of connecting, of `body`, or of closing after `body` returned.
    public static func withShortLived<T>(_ configuration: Configuration, logger: Logger,
                                         _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await connect(configuration: configuration, id: 0, logger: logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
