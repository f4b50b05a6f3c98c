public import DubbelslotStore
public import Logging
import PostgresNIO
import Synchronization
public import ServiceLifecycle

/// Runs the store's `PostgresClient` and gives it a fresh start when the database is back after an
/// outage.
///
/// PostgresNIO's pool waits between connection attempts, longer after each failure, up to a minute:
/// after a long outage the service would keep answering 503 for up to a minute although the database
/// is back. Every ``probeInterval`` a connection of its own (`<applicationName>-control`) asks the
/// database `SELECT 1`; when that fails the database is down; when it answers again and the pool does
/// not within a second, a new client takes the old one's place in the ``ClientHolder`` (requests
/// still waiting on the old pool answer 503 with `Retry-After`), so `/health/ready` and every request
/// are served again about a second after the database is.
public struct DatabaseService: Service {
    let holder: ClientHolder
    let database: Settings.Database
    let logger: Logger
    /// How often the database is asked whether it is there.
    let probeInterval: Duration

    /// - Parameters:
    ///   - holder: the holder of the client the store uses; its current client is run by this service.
    ///   - database: how to connect, for the probe and for a new client.
    ///   - probeInterval: default half a second.
    public init(holder: ClientHolder, database: Settings.Database, logger: Logger, probeInterval: Duration = .milliseconds(500)) {
        self.holder = holder
        self.database = database
        self.logger = logger
        self.probeInterval = probeInterval
    }

    /// Runs until graceful shutdown or cancellation; never throws of its own (the signature is `Service`'s).
    public func run() async throws {
        // Until graceful shutdown; then the client in use last is stopped and awaited.
        let last = try await cancelWhenGracefulShutdown { await self.watch() }
        last.cancel()
        // After a load run PostgresNIO's pool was seen to close every connection and still not return
        // from `run()`, which held the whole shutdown, and the embedded database with it, for good.
        if await !Self.ends(last, within: Self.clientStopBound) {
            logger.warning("shutdown: the connection pool did not stop within the bound; leaving it",
                           metadata: ["bound": "\(Self.clientStopBound)"])
        }
    }

    /// How long a stopped client may take to finish: 3 s, well inside ``ServiceRunner/maximumGracefulShutdown``.
    static let clientStopBound: Duration = .seconds(3)

    /// Whether `task` ends within `bound`; returns as soon as it does, or once `bound` has passed
    /// (`false`), leaving the task to itself. Waiting for a task's value is not cancellable, so the
    /// two waits race in tasks of their own.
    static func ends(_ task: Task<Void, Never>, within bound: Duration) async -> Bool {
        /// The continuation, resumed by whichever wait comes first.
        final class First: Sendable {
            let continuation: Mutex<CheckedContinuation<Bool, Never>?>
            init(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation = Mutex(continuation) }
            func resume(_ ended: Bool) { continuation.withLock { $0.take() }?.resume(returning: ended) }
        }
        return await withCheckedContinuation { continuation in
            let first = First(continuation)
            Task { await task.value; first.resume(true) }
            Task { try? await Task.sleep(for: bound); first.resume(false) }
        }
    }

    /// Runs the current client and watches the database until cancelled; returns the run of the client in use then.
    private func watch() async -> Task<Void, Never> {
        let first = holder.current
        var running = Task { await first.run() }
        // Not known to be up at the start: a pool started while the database was still away is checked too.
        var down = true
        while !Task.isCancelled {
            do { try await Task.sleep(for: probeInterval) } catch { break }
            guard await probe() else {
                if !down { logger.warning("database unreachable") }
                down = true
                continue
            }
            guard down else { continue }
            down = false
            if await poolAnswers() {
                logger.debug("database answers, and the pool with it")
                continue
            }
            guard let configuration = try? database.clientConfiguration(serving: true) else { continue }
            let fresh = PostgresClient(configuration: configuration, backgroundLogger: logger)
            let next = Task { await fresh.run() }
            holder.replace(with: fresh)
            running.cancel()
            running = next
            logger.warning("database back: a new connection pool replaces the one still waiting to reconnect")
        }
        return running
    }

    /// Whether the database answers `SELECT 1` on a connection of its own, connected within a second.
    func probe() async -> Bool {
        guard var configuration = try? database.controlConnectionConfiguration() else { return false }
        configuration.options.connectTimeout = .seconds(1)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            defer { Task { try? await connection.close() } }
            _ = try await connection.query("SELECT 1", logger: logger).collect()
            return true
        } catch {
            return false
        }
    }

    /// Whether the store's pool answers `SELECT 1` within a second.
    func poolAnswers() async -> Bool {
        let client = holder.current
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await client.query("SELECT 1", logger: logger).collect()) != nil }
            group.addTask {
                try? await Task.sleep(for: .seconds(1))
                return false
            }
            defer { group.cancelAll() }
            return await group.next() ?? false
        }
    }
}
