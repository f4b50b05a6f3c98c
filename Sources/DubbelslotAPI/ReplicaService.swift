public import DubbelslotStore
public import Logging
import PostgresNIO
public import ServiceLifecycle

/// Asks the standby every ``interval`` how far it has replayed (`pg_last_wal_replay_lsn()`) on a
/// connection of its own, for ``ReadReplica``. A standby that does not answer, or a server that is no
/// standby (no replay position), serves no reads until it answers again. The standby's pool itself
/// is run by a ``DatabaseService`` of its own.
public struct ReplicaService: Service {
    let replica: ReadReplica
    let database: Settings.Database
    let logger: Logger
    let interval: Duration

    /// - Parameters:
    ///   - replica: the standby whose replay position is kept up to date.
    ///   - database: how to connect to the standby for the probe.
    ///   - interval: time between two probes; 100 ms by default.
    public init(replica: ReadReplica, database: Settings.Database, logger: Logger, interval: Duration = .milliseconds(100)) {
        self.replica = replica
        self.database = database
        self.logger = logger
        self.interval = interval
    }

    /// Polls until graceful shutdown or cancellation; never throws of its own.
    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.poll() }
    }

    private func poll() async {
        var connection: PostgresConnection?
        var answering = true
        while !Task.isCancelled {
            do {
                if connection == nil || connection?.isClosed == true {
                    var configuration = try database.controlConnectionConfiguration(purpose: "replica")
                    configuration.options.connectTimeout = .seconds(1)
                    connection = try await PostgresConnection.connect(configuration: configuration, id: 3, logger: logger)
                }
                var replayed: Int64?
                for try await lsn in try await connection!.query(
                    "SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint", logger: logger).decode(Int64?.self) {
                    replayed = lsn
                }
                replica.noteReplayed(replayed.map { UInt64(max(0, $0)) })
                if !answering { logger.info("the standby answers again") }
                answering = true
            } catch {
                replica.noteReplayed(nil)
                if answering { logger.warning("the standby does not answer: reads go to the primary") }
                answering = false
                try? await connection?.close()
                connection = nil
            }
            do { try await Task.sleep(for: interval) } catch { break }
        }
        try? await connection?.close()
    }
}
