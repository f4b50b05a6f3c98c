import Crypto
import DubbelslotAPI
import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

extension APITests {
    /// The audit sequencer as several instances of the service run it on one database: one leads, another
    /// takes over when the leader dies, and intake through both gives one chain.
    @Suite("Audit sequencer")
    struct AuditSequencerTests {
        /// One instance: a pool of its own (named `application_name`) and its sequencer, until `stop()`.
        final class Instance: Sendable {
            let store: Store
            let name: String
            private let running: Task<Void, Never>

            init(_ database: TestDatabase, name: String, key: Curve25519.Signing.PrivateKey) {
                var configuration = database.configuration
                configuration.options.additionalStartupParameters = [("application_name", name)]
                let client = PostgresClient(configuration: configuration, backgroundLogger: TestLogging.clientLogger)
                self.name = name
                store = Store(client: client, logger: TestLogging.logger)
                var own = PostgresConnection.Configuration(unixSocketPath: database.socketPath, username: database.username, password: nil,
                                                           database: database.name)
                own.options.additionalStartupParameters = [("application_name", name)]
                let sequencer = AuditSequencer(connect: { [own] in
                    try await PostgresConnection.connect(configuration: own, id: 1, logger: TestLogging.clientLogger)
                }, signingKey: key, logger: TestLogging.logger)
                running = Task {
                    await withDiscardingTaskGroup { group in
                        group.addTask { await client.run() }
                        group.addTask { try? await sequencer.run() }
                    }
                }
            }

            /// Ends the instance as a dying process would: its connections close, and with them its lead.
            func stop() async {
                running.cancel()
                await running.value
            }
        }

        /// The `application_name` of the connection holding the sequencer's lead, if any.
        static func leader(_ client: PostgresClient) async throws -> String? {
            let key = AuditSequencer.leaderLockKey
            let rows = try await client.query(
                """
                SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                  AND l.classid = \(Int64(key >> 32))::oid AND l.objid = \(key & 0xFFFF_FFFF)::oid
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """, logger: TestLogging.logger).collect()
            return try rows.first?.decode(String.self)
        }

        /// Waits until no audit entry is pending, up to `limit`; whether it came to that.
        static func drained(_ client: PostgresClient, within limit: Duration = .seconds(10)) async throws -> Bool {
            let clock = ContinuousClock(), end = clock.now + limit
            while clock.now < end {
                let pending = try await client.query("SELECT count(*)::int FROM audit_pending", logger: TestLogging.logger).collect()[0].decode(Int.self)
                if pending == 0 { return true }
                try await Task.sleep(for: .milliseconds(50))
            }
            return false
        }

        @Test("one instance leads; when it dies another takes over, and every entry is sequenced within seconds")
        func failover() async throws {
            try await withTestDatabase(migrated: true) { database in
                try await database.withClient { client in
                    let store = Store(client: client, logger: TestLogging.logger)
                    try await APIFixtures.seedMunicipalities(store)
                    let key = Curve25519.Signing.PrivateKey()
                    let first = Instance(database, name: "sequencer-first", key: key)
                    #expect(try await Self.drained(client), "the first instance sequences what waits")
                    #expect(try await Self.leader(client) == "sequencer-first")
                    let second = Instance(database, name: "sequencer-second", key: key)
                    for _ in 0..<5 { try await APIFixtures.signal(store, about: nil) }
                    #expect(try await Self.drained(client))
                    #expect(try await Self.leader(client) == "sequencer-first", "one leader at a time")

                    await first.stop()
                    for _ in 0..<5 { try await APIFixtures.signal(store, about: nil) }
                    #expect(try await Self.drained(client), "the second instance took over")
                    #expect(try await Self.leader(client) == "sequencer-second")
                    #expect(try await AuditLog.verify(client: client, bound: .seconds(1), logger: TestLogging.logger) == .intact(entries: 11))
                    // Within the bound `drained` waits: a wall-clock figure, and the whole suite runs tests side by
                    // side on two cores (5 s was exceeded once there); the benchmark measures the 1 s target.
                    #expect(try await AuditLog.longestWait(client: client, logger: TestLogging.logger) < 10)
                    // The leader signed the log as it found it.
                    let checkpoint = try #require(try await AuditCheckpoint.latest(client: client, logger: TestLogging.logger))
                    #expect(checkpoint.signatureHolds && checkpoint.keyId == AuditCheckpoint.keyId(of: key.publicKey))
                    await second.stop()
                }
            }
        }

        @Test("intake through two instances at once: every acknowledged signal stored once, sequenced, the chain intact")
        func twoInstancesTakeIntake() async throws {
            try await withTestDatabase(migrated: true) { database in
                try await database.withClient { client in
                    try await APIFixtures.seedMunicipalities(Store(client: client, logger: TestLogging.logger))
                    let key = Curve25519.Signing.PrivateKey()
                    let instances = [Instance(database, name: "intake-a", key: key), Instance(database, name: "intake-b", key: key)]
                    let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
                        for writer in 0..<8 {
                            let instance = instances[writer % 2]
                            group.addTask {
                                var references: [String] = []
                                for _ in 0..<25 {
                                    references.append(try await APIFixtures.signal(instance.store, from: writer % 4 < 2 ? APIFixtures.amsterdam : APIFixtures.utrecht,
                                                                                   about: nil).reference)
                                }
                                return references
                            }
                        }
                        return try await group.reduce(into: []) { $0 += $1 }
                    }
                    #expect(acknowledged.count == 200 && Set(acknowledged).count == 200)
                    #expect(try await Self.drained(client))
                    let stored = try await client.query(
                        "SELECT count(*)::int, (SELECT count(*) FROM audit_log WHERE action = 'signal.record')::int FROM fraud_signals WHERE reference = ANY(\(acknowledged))",
                        logger: TestLogging.logger).collect()[0].decode((Int, Int).self)
                    #expect(stored == (200, 200))
                    #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .intact(entries: 201))
                    for instance in instances { await instance.stop() }
                }
            }
        }
    }
}
