public import Logging
import PostgresNIO
public import ServiceLifecycle
import UnixSignals

/// How `dubbelslot serve` runs its application: until SIGTERM or SIGINT, then a graceful shutdown
/// (the server stops accepting, requests in flight finish, the database pool closes) that ends within
/// ``maximumGracefulShutdown`` whatever is in flight.
///
/// PostgresNIO does not stop a statement that is already running when its task is cancelled, so a
/// request waiting on a lock would hold the shutdown until `statement_timeout`. Four seconds before the
/// bound (time for their requests to answer and the pool to close), the statements still running under this process's `application_name` are cancelled
/// (`pg_cancel_backend`) over a connection of its own; their requests answer 503 with `Retry-After`
/// and nothing of them is written (each write is one transaction). Then the service group's bound
/// cancels whatever is left.
public enum ServiceRunner {
    /// How long the whole graceful shutdown may take.
    public static let maximumGracefulShutdown: Duration = .seconds(10)
    /// How long before that bound running statements are cancelled.
    static let cancelStatementsBefore: Duration = .seconds(4)

    /// The service group configuration: graceful shutdown on SIGTERM and SIGINT, bounded as above.
    public static func configuration(_ services: [any Service], logger: Logger) -> ServiceGroupConfiguration {
        var configuration = ServiceGroupConfiguration(services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger)
        configuration.maximumGracefulShutdownDuration = maximumGracefulShutdown
        return configuration
    }

    /// Runs `service` until a signal stops it, as described above.
    ///
    /// - Parameter database: the settings of the service's database, to cancel its running statements at shutdown.
    /// - Throws: what the service throws.
    public static func run(_ service: some Service, database: Settings.Database, logger: Logger) async throws {
        let configuration = configuration([service], logger: logger)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await ServiceGroup(configuration: configuration).run()
                return true
            }
            group.addTask {
                for await _ in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
                    try await Task.sleep(for: maximumGracefulShutdown - cancelStatementsBefore)
                    await cancelRunningStatements(database, logger: logger)
                    break
                }
                return false
            }
            // The service group ends the run; the watcher is cancelled then.
            while let serviceGroupEnded = try await group.next() {
                if serviceGroupEnded { group.cancelAll(); return }
            }
        }
    }

    /// Cancels every statement still running on this process's pooled connections.
    static func cancelRunningStatements(_ database: Settings.Database, logger: Logger) async {
        do {
            let connection = try await PostgresConnection.connect(configuration: try database.controlConnectionConfiguration(), id: 1, logger: logger)
            defer { Task { try? await connection.close() } }
            let rows = try await connection.query(
                """
                SELECT count(*) FILTER (WHERE pg_cancel_backend(pid)) FROM pg_stat_activity
                WHERE application_name = \(database.applicationName) AND state = 'active' AND pid <> pg_backend_pid()
                """, logger: logger)
            let cancelled = try await rows.decode(Int.self).reduce(0, +)
            logger.warning("shutdown: cancelled statements still running", metadata: ["count": "\(cancelled)"])
        } catch {
            logger.warning("shutdown: could not cancel running statements", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
