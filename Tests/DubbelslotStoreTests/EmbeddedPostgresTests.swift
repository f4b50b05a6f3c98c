import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

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
}

