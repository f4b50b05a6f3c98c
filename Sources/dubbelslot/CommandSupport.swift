import ArgumentParser
import DubbelslotAPI
import DubbelslotCore
import DubbelslotStore
import Foundation
import Logging
import PostgresNIO

/// Runs `body` with a store whose client runs for the duration, then stops the client.
///
/// The database must answer within 10 seconds, else the command ends with one line saying so
/// (rather than the pool's retries going on for a minute).
/// - Throws: ``SettingsError`` when the database cannot be reached; what `body` throws.
func withStore<T: Sendable>(_ settings: Settings, logger: Logger, _ body: @escaping @Sendable (Store) async throws -> T) async throws -> T {
    // The pool's own connection warnings would repeat the same failure many times: keep them out of the terminal.
    var poolLogger = logger
    poolLogger.logLevel = max(logger.logLevel, .critical)
    let client = PostgresClient(configuration: try settings.database.clientConfiguration(), backgroundLogger: poolLogger)
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            await client.run()
            return nil
        }
        defer { group.cancelAll() }
        let store = Store(client: client, logger: logger)
        try await reachable(store)
        let result = try await body(store)
        // What the command appended to the audit log is sequenced before it ends, also when no service runs.
        try? await AuditLog.sequenceAll(client: client, logger: logger)
        return result
    }
}

/// Pings the database with a 10-second limit.
private func reachable(_ store: Store) async throws {
    let answered: Result<Void, any Error> = await withTaskGroup(of: Result<Void, any Error>?.self) { group in
        group.addTask {
            do { try await store.ping(); return .success(()) } catch { return .failure(error) }
        }
        group.addTask {
            try? await Task.sleep(for: .seconds(10))
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first ?? .failure(SettingsError("the database did not answer within 10 seconds; check DUBBELSLOT_DATABASE_URL"))
    }
    if case .failure(let error) = answered {
        if let e = error as? PSQLError, let message = e.serverInfo?[.message] {
            throw SettingsError("cannot use the database: \(message)")
        }
        if let e = error as? SettingsError { throw e }
        throw SettingsError("cannot reach the database; check DUBBELSLOT_DATABASE_URL (or --database-url)")
    }
}

/// A logger writing to standard error at the configured level.
func makeLogger(_ settings: Settings, label: String = "dubbelslot") -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = settings.logLevel
    return logger
}

/// Writes a line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Ends a command on an error: one line per problem on standard error and exit code 1.
///
/// Database errors show only their generic text (details can hold bind values); the full error goes
/// to the debug log.
func fail(_ error: any Error, logger: Logger) -> ExitCode {
    switch error {
    case let failure as ValidationFailure:
        printError("error: \(failure.errors.count) problem(s) found; nothing was written")
        for e in failure.errors { printError("  \(e)") }
    case let e as SettingsError:
        printError("error: \(e.description)")
    case let e as MigrationError:
        printError("error: \(e.description)")
    case let e as StoreError:
        printError("error: \(e.description)")
    case let e as AuditSigningKeyError:
        printError("error: \(e.description)")
    case let e as PSQLError:
        logger.debug("database error", metadata: ["error": "\(String(reflecting: e))"])
        printError("error: the database refused the request (\(e.serverInfo?[.sqlState] ?? e.code.description)); run with --log-level debug for details")
    default:
        printError("error: \(error)")
    }
    return ExitCode.failure
}

/// The folder holding `sql/`, `config/` and `data/`: the working directory when it has `sql/`, else the migrations' default.
func migrationsDirectory() throws -> URL {
    guard let dir = Migrator.defaultDirectory() else {
        throw SettingsError("cannot find the sql/ migrations folder; run from the repository or set DUBBELSLOT_SQL_DIR")
    }
    return dir
}
