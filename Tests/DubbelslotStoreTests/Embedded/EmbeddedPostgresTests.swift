import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    @Suite("EmbeddedPostgres")
    struct EmbeddedPostgresTests {
        @Test("a temporary cluster starts, serves a database, and leaves nothing behind when stopped")
        func temporary() async throws {
            let server = try await EmbeddedPostgres.start(dataDirectory: nil, logger: TestLogging.logger)
            #expect(server.socketPath.hasSuffix("/.s.PGSQL.5432"))
            #expect(FileManager.default.fileExists(atPath: server.socketPath))
            try await server.createDatabase("embedded_check")
            let answer = try await TestDatabase(name: "embedded_check", socketPath: server.socketPath, username: server.username)
                .withClient { client in
                    try await client.query("SELECT current_setting('fsync') || ' ' || current_setting('listen_addresses')").collect()[0].decode(String.self)
                }
            #expect(answer == "off ")
            try await server.dropDatabase("embedded_check")
            await #expect(throws: EmbeddedPostgresError.self) { try await server.createDatabase("Robert'); DROP TABLE x; --") }
            server.stop()
            #expect(!FileManager.default.fileExists(atPath: server.dataDirectory))
            #expect(!FileManager.default.fileExists(atPath: server.socketDirectory))
            server.stop()  // idempotent
        }

        @Test("a persistent cluster keeps its data across restarts")
        func persistent() async throws {
            let parent = URL(fileURLWithPath: "/tmp/dubbelslot-embedded-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: parent) }
            let data = parent.appendingPathComponent("pgdata")
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])

            let first = try await EmbeddedPostgres.start(dataDirectory: data, logger: TestLogging.logger)
            try await first.createDatabase("kept")
            first.stop()
            #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("PG_VERSION").path))

            let second = try await EmbeddedPostgres.start(dataDirectory: data, logger: TestLogging.logger)
            defer { second.stop() }
            let state = await sqlState { try await second.createDatabase("kept") }
            #expect(state == "42P04")
            // The cluster `serve` answers from is durable: a 201 means the write is on disk.
            let durability = try await TestDatabase(name: "kept", socketPath: second.socketPath, username: second.username).withClient { client in
                try await client.query(
                    "SELECT current_setting('fsync') || ' ' || current_setting('synchronous_commit') || ' ' || current_setting('full_page_writes')"
                ).collect()[0].decode(String.self)
            }
            #expect(durability == "on on on")
        }

        /// `work`'s value, or `nil` when it has none within `limit`; `work` is left running then (a
        /// statement on a connection the crash cut is not cancellable).
        static func value<T: Sendable>(of work: Task<T, any Error>, within limit: Duration) async -> T? {
            let stream = AsyncStream<T?> { continuation in
                Task { continuation.yield(try? await work.value) }
                Task {
                    try? await Task.sleep(for: limit)
                    continuation.yield(nil)
                }
            }
            for await value in stream { return value }
            return nil
        }

        @Test("a crash under intake loses no acknowledged signal and hands out no reference twice")
        func crashUnderIntake() async throws {
            let parent = URL(fileURLWithPath: "/tmp/dubbelslot-crash-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: parent) }
            let data = parent.appendingPathComponent("pgdata")
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            let directory = try #require(Migrator.defaultDirectory())

            // A durable cluster, as `serve` runs it, migrated, with four writers recording signals.
            let first = try await EmbeddedPostgres.start(dataDirectory: data, logger: TestLogging.logger)
            defer { first.stop() }
            try await first.createDatabase("crash")
            let client = PostgresClient(configuration: TestDatabase(name: "crash", socketPath: first.socketPath, username: first.username).configuration,
                                        backgroundLogger: TestLogging.clientLogger)
            let running = Task { await client.run() }
            defer { running.cancel() }
            _ = try await Migrator(client: client, directory: directory, logger: TestLogging.logger).migrate()
            let store = Store(client: client, logger: TestLogging.logger)
            try await Fixtures.seedMunicipalities(store)
            // The crash comes once 60 writes are acknowledged (within a minute), not after a fixed time:
            // on a loaded machine a durable commit may take 100 ms, and a timed crash caught too few.
            let tally = Tally()
            let acknowledged = await withTaskGroup(of: [(UUID, String)].self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        var acked: [(UUID, String)] = []
                        // Every signal whose record() returned is acknowledged (the service answers 201 then);
                        // a write without an answer within two seconds of the crash counts as unanswered.
                        while acked.count < 5_000 {
                            let write = Task {
                                try await store.signals.record(Fixtures.newSignal(writer % 2 == 0 ? Fixtures.amsterdam : Fixtures.utrecht),
                                                               actor: Fixtures.actor)
                            }
                            var answer = await Self.value(of: write, within: .seconds(2))
                            // Before the crash a slow durable commit (seconds on a loaded machine) is waited for:
                            // ending the writer there left too few writes to tell anything.
                            while answer == nil, !(await tally.crashed) {
                                try? await Task.sleep(for: .milliseconds(50))
                                answer = await Self.value(of: write, within: .seconds(2))
                            }
                            guard let signal = answer else { break }
                            acked.append((signal.id, signal.reference))
                            await tally.add()
                        }
                        return acked
                    }
                }
                group.addTask {
                    // The crash, as `pg_ctl restart -m immediate` would do it, once writes are flowing.
                    let clock = ContinuousClock()
                    let deadline = clock.now + .seconds(60)
                    while await tally.count < 60, clock.now < deadline {
                        try? await Task.sleep(for: .milliseconds(20))
                    }
                    await tally.markCrashed()
                    first.crash()
                    return []
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
            #expect(acknowledged.count >= 60, "too few writes before the crash to tell anything")
            TestLogging.logger.info("crash under intake", metadata: ["acknowledged": "\(acknowledged.count)"])
            running.cancel()
            first.stop()

            // After recovery from the WAL: every acknowledged signal is there, and no reference twice.
            let second = try await EmbeddedPostgres.start(dataDirectory: data, logger: TestLogging.logger)
            defer { second.stop() }
            try await TestDatabase(name: "crash", socketPath: second.socketPath, username: second.username).withClient { client in
                let ids = acknowledged.map(\.0)
                let found = try await client.query("SELECT count(*)::int FROM fraud_signals WHERE id = ANY(\(ids))").collect()[0].decode(Int.self)
                #expect(found == acknowledged.count, "lost \(acknowledged.count - found) of \(acknowledged.count) acknowledged signals")
                let references = try await client.query("SELECT count(*)::int, count(DISTINCT reference)::int FROM fraud_signals")
                    .collect()[0].decode((Int, Int).self)
                #expect(references.0 == references.1, "a reference number was handed out twice")
                #expect(Set(acknowledged.map(\.1)).count == acknowledged.count)
            }
        }
    }
}

/// The number of writes acknowledged so far, shared by the writers and the crash.
private actor Tally {
    private(set) var count = 0
    /// Set just before the crash: from then on a write without an answer counts as unanswered.
    private(set) var crashed = false
    func add() { count += 1 }
    func markCrashed() { crashed = true }
}
