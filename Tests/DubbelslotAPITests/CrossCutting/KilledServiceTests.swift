import AsyncHTTPClient
import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import PostgresNIO
import Testing

extension APITests {
    /// The service as a process of its own, killed with SIGKILL in the middle of intake.
    @Suite("A killed service")
    struct KilledServiceTests {
        /// `dubbelslot serve` on `database` at `port`, its output discarded; the built binary beside the tests'.
        static func serve(_ database: TestDatabase, port: Int, environment: [String: String] = [:]) throws -> Process {
            let binary = APITestSupport.packageRoot.appendingPathComponent(".build/debug/dubbelslot")
            guard FileManager.default.isExecutableFile(atPath: binary.path) else {
                // `swift build --build-tests` builds it; without it these tests cannot tell anything.
                throw MissingBinary(path: binary.path)
            }
            let socketDirectory = URL(fileURLWithPath: database.socketPath).deletingLastPathComponent().path
            let process = Process()
            process.executableURL = binary
            process.currentDirectoryURL = APITestSupport.packageRoot
            process.arguments = ["serve", "--database-url", "postgres://\(database.username)@localhost/\(database.name)?host=\(socketDirectory)",
                                 "--port", String(port), "--log-level", "error"]
            if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }

        /// Seeds the municipalities and returns a new signaller token of Amsterdam.
        static func amsterdamSignaller(_ client: PostgresClient) async throws -> String {
            let store = Store(client: client, logger: TestLogging.logger)
            try await APIFixtures.seedMunicipalities(store)
            return try await APIFixtures.token(store, .signaller, municipality: APIFixtures.amsterdam)
        }

        /// Waits until `/health/ready` answers 200, up to 60 seconds; whether it did.
        static func ready(_ http: HTTPClient, port: Int) async -> Bool {
            for _ in 0..<600 {
                if let reply = try? await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/health/ready"), timeout: .seconds(2)),
                   reply.status == .ok { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return false
        }

        /// One intake; the signal's id when the service answered 201.
        static func report(_ http: HTTPClient, port: Int, token: String, n: Int) async -> String? {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/signals")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: """
                {"municipalityCode":"GM0363","reportedSchoolName":"Fictieve Taalschool Kill \(n)","category":"kickbacks","severity":"medium",\
                "observedFrom":"2026-01-05","summary":"Melding \(n) tijdens het stoppen.","source":"ownCaseWork"}
                """))
            guard let reply = try? await http.execute(request, timeout: .seconds(5)), reply.status == .created,
                  let body = try? await reply.body.collect(upTo: 1 << 20),
                  let object = try? JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any]
            else { return nil }
            return object["id"] as? String
        }

        @Test("two service processes on one database take intake; kill -9 of the leader: the other takes over, the chain verifies")
        func twoProcessesAndOneDies() async throws {
            try await withTestDatabase(migrated: true) { database in
                try await database.withClient { client in
                    let token = try await Self.amsterdamSignaller(client)
                    let http = HTTPClient(eventLoopGroupProvider: .singleton)
                    let port = Int.random(in: 40_000..<60_000)
                    let first = try Self.serve(database, port: port)
                    defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
                    #expect(await Self.ready(http, port: port), "the first service did not start")
                    // Alone, the first process takes the lead: it sequences the entries of the setup.
                    #expect(try await AuditSequencerTests.drained(client))
                    let second = try Self.serve(database, port: port + 1)
                    defer { if second.isRunning { second.terminate(); second.waitUntilExit() } }
                    #expect(await Self.ready(http, port: port + 1), "the second service did not start")

                    // Writers on both processes at once.
                    func intake(_ n: Int) async -> [String] {
                        await withTaskGroup(of: [String].self) { group in
                            for writer in 0..<4 {
                                group.addTask {
                                    var ids: [String] = []
                                    for k in 0..<n {
                                        if let id = await Self.report(http, port: port + writer % 2, token: token, n: writer * 1_000 + k) { ids.append(id) }
                                    }
                                    return ids
                                }
                            }
                            return await group.reduce(into: []) { $0 += $1 }
                        }
                    }
                    let both = await intake(20)
                    #expect(both.count == 80 && Set(both).count == 80, "every intake through either process answered 201 once")
                    #expect(try await AuditSequencerTests.drained(client))

                    // The leader dies without a word; the other process takes the lead and sequences alone.
                    kill(first.processIdentifier, SIGKILL)
                    first.waitUntilExit()
                    var after: [String] = []
                    for k in 0..<20 { if let id = await Self.report(http, port: port + 1, token: token, n: 9_000 + k) { after.append(id) } }
                    #expect(after.count == 20)
                    #expect(try await AuditSequencerTests.drained(client), "the surviving process sequences what waits")
                    let subjects = (both + after).compactMap(UUID.init(uuidString:)).map { "signal:\($0.uuidString.lowercased())" }
                    #expect(try await client.query("SELECT count(*)::int FROM audit_log WHERE action = 'signal.record' AND subject = ANY(\(subjects))",
                                                   logger: TestLogging.logger).collect()[0].decode(Int.self) == 100)
                    let verified = try await AuditLog.verify(client: client, logger: TestLogging.logger)
                    if case .intact = verified {} else { Issue.record("the chain does not verify: \(verified)") }
                    try await http.shutdown()
                }
            }
        }

        @Test("kill -9 during intake: after a restart every acknowledged signal is stored and sequenced, and the chain verifies")
        func killedDuringIntake() async throws {
            try await withTestDatabase(migrated: true) { database in
                try await database.withClient { client in
                    let token = try await Self.amsterdamSignaller(client)
                    let http = HTTPClient(eventLoopGroupProvider: .singleton)
                    let port = Int.random(in: 20_000..<40_000)

                    let first = try Self.serve(database, port: port)
                    defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
                    #expect(await Self.ready(http, port: port), "the service did not start")
                    let acknowledged = await withTaskGroup(of: [String].self) { group in
                        for writer in 0..<4 {
                            group.addTask {
                                var ids: [String] = []
                                for n in 0..<10_000 {
                                    guard let id = await Self.report(http, port: port, token: token, n: writer * 10_000 + n) else { break }
                                    ids.append(id)
                                }
                                return ids
                            }
                        }
                        group.addTask {
                            // SIGKILL once intake flows: no graceful shutdown, no chance to sequence what waits.
                            while (try? await client.query("SELECT count(*)::int FROM fraud_signals", logger: TestLogging.logger)
                                .collect().first?.decode(Int.self)) ?? 0 < 60 {
                                try? await Task.sleep(for: .milliseconds(20))
                            }
                            kill(first.processIdentifier, SIGKILL)
                            return []
                        }
                        return await group.reduce(into: []) { $0 += $1 }
                    }
                    first.waitUntilExit()
                    #expect(acknowledged.count >= 40, "too few writes before the kill to tell anything")
                    let ids = acknowledged.compactMap(UUID.init(uuidString:))
                    #expect(try await client.query("SELECT count(*)::int FROM fraud_signals WHERE id = ANY(\(ids))", logger: TestLogging.logger)
                        .collect()[0].decode(Int.self) == ids.count, "an acknowledged signal was lost")

                    // A new process sequences what the killed one left waiting.
                    let second = try Self.serve(database, port: port + 1)
                    defer { second.terminate(); second.waitUntilExit() }
                    #expect(await Self.ready(http, port: port + 1), "the service did not start again")
                    #expect(try await AuditSequencerTests.drained(client), "entries left waiting were not sequenced")
                    let subjects = ids.map { "signal:\($0.uuidString.lowercased())" }
                    #expect(try await client.query("SELECT count(*)::int FROM audit_log WHERE action = 'signal.record' AND subject = ANY(\(subjects))",
                                                   logger: TestLogging.logger).collect()[0].decode(Int.self) == ids.count)
                    let verified = try await AuditLog.verify(client: client, logger: TestLogging.logger)
                    if case .intact = verified {} else { Issue.record("the chain does not verify: \(verified)") }
                    try await http.shutdown()
                }
            }
        }
    }
}

/// The `dubbelslot` executable the process tests run is not built.
struct MissingBinary: Error, CustomStringConvertible {
    let path: String
    var description: String { "no executable at \(path): run swift build --build-tests first" }
}
