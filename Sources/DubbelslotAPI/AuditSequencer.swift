public import Crypto
import DubbelslotStore
public import Logging
public import PostgresNIO
public import ServiceLifecycle

/// The second step of the audit log: sequences pending entries within a second of their commit and
/// signs a checkpoint at least every ``checkpointInterval`` while the log grows
/// (docs/decisions/0006-audit-log-in-two-steps.md).
///
/// Every instance of the service runs one; one per database leads, chosen by the session-level
/// advisory lock ``leaderLockKey``, held on a connection of the sequencer's own (not a pooled one, so
/// the lead never travels with a connection handed to a request). When the leader's process dies,
/// its connection closes, PostgreSQL releases the lock, and another instance takes over within
/// ``retryInterval``. Sequencing itself is serialised by ``AuditLog/lockKey`` as well, so a reader that
/// sequences before it reads never forks the chain.
public struct AuditSequencer: Service {
    /// How often the leader looks for pending entries: entries wait at most about this long.
    public static let interval: Duration = .milliseconds(200)
    /// How often an instance that does not lead tries to take the lead.
    public static let retryInterval: Duration = .seconds(1)
    /// The longest time between two signed checkpoints while the log grows.
    public static let checkpointInterval: Duration = .seconds(60)
    /// The session-level advisory lock whose holder leads (ASCII "AUDITSEQ").
    public static let leaderLockKey: Int64 = 0x4155_4449_5453_4551

    let connect: @Sendable () async throws -> PostgresConnection
    let signingKey: Curve25519.Signing.PrivateKey?
    let logger: Logger

    /// - Parameters:
    ///   - connect: opens the sequencer's own connection (for example with
    ///     `Settings.Database.controlConnectionConfiguration(purpose: "sequencer")`); called again after it fails.
    ///   - signingKey: the Ed25519 key checkpoints are signed with; `nil` signs none.
    public init(connect: @escaping @Sendable () async throws -> PostgresConnection, signingKey: Curve25519.Signing.PrivateKey?,
                logger: Logger) {
        self.connect = connect
        self.signingKey = signingKey
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation; errors are logged and the sequencer tries again.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await lead()
                } catch let error where !Task.isCancelled {
                    logger.warning("audit sequencer: \(String(reflecting: error))")
                } catch {}
                try? await Task.sleep(for: Self.retryInterval)
            }
        }
    }

    /// Connects, takes the lead if no other instance holds it, and sequences until cancelled; closing
    /// the connection gives the lead up.
    private func lead() async throws {
        let connection = try await connect()
        do {
            let leads = try await connection.query("SELECT pg_try_advisory_lock(\(Self.leaderLockKey))", logger: logger)
                .collect()[0].decode(Bool.self)
            if leads {
                logger.debug("audit sequencer leads")
                try await sequence(on: connection)
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }

    /// While leading: sequences what waits every ``interval`` and signs a checkpoint when due.
    private func sequence(on connection: PostgresConnection) async throws {
        let clock = ContinuousClock()
        var lastCheckpoint: ContinuousClock.Instant?
        while !Task.isCancelled {
            let sequenced = try await connection.withTransaction(logger: logger) { transaction in
                try await AuditLog.sequencePending(on: transaction, limit: 2_000, logger: logger)
            }
            if let signingKey, lastCheckpoint.map({ clock.now - $0 >= Self.checkpointInterval }) ?? true {
                try await connection.withTransaction(logger: logger) { transaction in
                    _ = try await AuditCheckpoint.sign(inTransaction: transaction, key: signingKey, onlyWhenGrown: true, logger: logger)
                }
                lastCheckpoint = clock.now
            }
            if sequenced < 2_000 { try await Task.sleep(for: Self.interval) }
        }
    }
}
