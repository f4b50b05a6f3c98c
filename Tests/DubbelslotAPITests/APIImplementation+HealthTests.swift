import DubbelslotAPI
import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import HummingbirdTesting
import PostgresNIO
import Testing
import Yams

extension APITests {
    /// `/health/*`, the service without its database, and the headers every response carries.
    @Suite struct APIImplementationHealthTests {
        @Test func livenessAnswersWithoutToken() async throws {
            try await withAPI { api in
                let reply = try await api.get("/health/live", as: nil)
                #expect(reply.status == .ok)
                #expect(try reply.json(Components.Schemas.Liveness.self).status == .alive)
            }
        }

        @Test func readinessIsReadyWhileTheDatabaseAnswers() async throws {
            try await withAPI { api in
                let reply = try await api.get("/health/ready", as: nil)
                #expect(reply.status == .ok, "\(reply.text)")
                let body = try reply.json(Components.Schemas.Readiness.self)
                #expect(body.status == .ready)
                #expect(body.database == .up)
            }
        }

        @Test func withoutADatabaseAnAPIRequestIsA503WithRetryAfterNotTheClientsFault() async throws {
            // Setup: a store whose client points at a socket nobody listens on, and a 2-second deadline.
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dbs-nodb-\(UUID().uuidString.prefix(8))")
            let configuration = PostgresClient.Configuration(unixSocketPath: dir.path + "/.s.PGSQL.5432", username: "nobody",
                                                             password: nil, database: "nothing")
            var quiet = Logger(label: "dubbelslot.test.nodb")
            quiet.logLevel = .critical
            let client = PostgresClient(configuration: configuration, backgroundLogger: quiet)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                let store = Store(client: client, logger: quiet)
                let app = Application(router: try buildRouter(store: store, model: try APITestSupport.riskModel(), logger: quiet,
                                                              requestTimeout: .seconds(2)))
                try await app.test(.router) { client in
                    // Call: a plain read with a token (its check needs the database), and a write.
                    let started = ContinuousClock.now
                    let read = try await client.executeRequest(uri: "/v1/signals", method: .get,
                                                               headers: [.authorization: "Bearer dbs_\(String(repeating: "x", count: 43))"], body: nil)
                    let write = try await client.executeRequest(uri: "/v1/signals", method: .post,
                                                                headers: [.authorization: "Bearer dbs_\(String(repeating: "x", count: 43))",
                                                                          .contentType: "application/json"],
                                                                body: ByteBuffer(string: APIFixtures.json(APIFixtures.newSignalBody())))
                    // Checks: 503 problem+json with Retry-After, well within the pool's own minute of retrying.
                    for reply in [read, write] {
                        #expect(reply.status == .serviceUnavailable, "\(String(buffer: reply.body))")
                        #expect(reply.headers[.contentType] == "application/problem+json")
                        #expect(reply.headers[.retryAfter] == "5")
                        #expect(String(buffer: reply.body).replacingOccurrences(of: "\\/", with: "/").contains("problems/unavailable"))
                    }
                    #expect(started.duration(to: .now) < .seconds(20))
                }
            }
        }

        @Test func aWriteHeldUpPastTheStatementTimeoutIsA503AndWritesNothing() async throws {
            try await withTestDatabase(migrated: true) { database in
                // Setup: the service's client with a one-second statement_timeout, as `serve` sets it from
                // database.statementTimeoutSeconds; another connection holds fraud_signals locked.
                var configuration = database.configuration
                configuration.options.additionalStartupParameters = [("statement_timeout", "1000")]
                let client = PostgresClient(configuration: configuration, backgroundLogger: TestLogging.clientLogger)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await client.run() }
                    defer { group.cancelAll() }
                    let store = Store(client: client, logger: TestLogging.logger)
                    try await APIFixtures.seedMunicipalities(store)
                    let tokens = try await APIFixtures.tokens(store)
                    try await store.riskModels.publish(try APITestSupport.riskModel(), actor: APIFixtures.actor)
                    let app = Application(router: try buildRouter(store: store, model: try APITestSupport.riskModel(), logger: TestLogging.logger))
                    try await database.withClient { locker in
                        try await locker.withTransaction(logger: TestLogging.logger) { connection in
                            try await connection.query("LOCK TABLE fraud_signals IN ACCESS EXCLUSIVE MODE", logger: TestLogging.logger)
                            try await app.test(.router) { http in
                                // Call: an intake with an Idempotency-Key; its INSERT waits on the lock.
                                let reply = try await http.executeRequest(
                                    uri: "/v1/signals", method: .post,
                                    headers: [.authorization: "Bearer \(tokens[.signaller]!)", .contentType: "application/json",
                                              HTTPField.Name("Idempotency-Key")!: "held-up-1"],
                                    body: ByteBuffer(string: APIFixtures.json(APIFixtures.newSignalBody())))
                                // Checks: the database stopped the statement; the client hears 503, not its own fault.
                                #expect(reply.status == .serviceUnavailable, "\(String(buffer: reply.body))")
                                #expect(reply.headers[.retryAfter] == "5")
                                #expect(reply.headers[.contentType] == "application/problem+json")
                            }
                        }
                    }
                    // Nothing half-written: no signal, no audit entry of one.
                    let rows = try await client.query("""
                        SELECT (SELECT count(*) FROM fraud_signals) + (SELECT count(*) FROM audit_log WHERE action LIKE 'signal.%')
                               + (SELECT count(*) FROM audit_pending WHERE action LIKE 'signal.%')
                        """,
                                                      logger: TestLogging.logger)
                    #expect(try await rows.decode(Int.self).reduce(0, +) == 0)
                }
            }
        }

        @Test func afterAnOutageTheServiceIsBackWithTheDatabaseNotWithThePoolsBackoff() async throws {
            // Setup: a cluster of its own (the shared one must not go away), the service's client run by DatabaseService.
            let server = try await EmbeddedPostgres.start(dataDirectory: nil, logger: TestLogging.logger)
            defer { server.stop() }
            try await server.createDatabase("outage")
            let database = Settings.Database(socketPath: server.socketPath, name: "outage", user: server.username, maxConnections: 4,
                                             migrate: false)
            var quiet = Logger(label: "dubbelslot.test.outage")
            quiet.logLevel = .critical  // the connection failures are the point of this test
            let original = PostgresClient(configuration: try database.clientConfiguration(serving: true), backgroundLogger: quiet)
            let holder = ClientHolder(original)
            let store = Store(holder: holder, logger: quiet)
            let service = DatabaseService(holder: holder, database: database, logger: quiet, probeInterval: .milliseconds(200))
            let running = Task { try await service.run() }
            defer { running.cancel() }
            func answers() async -> Bool {
                await withTaskGroup(of: Bool.self) { group in
                    group.addTask { (try? await store.ping()) != nil }
                    group.addTask {
                        try? await Task.sleep(for: .seconds(1))
                        return false
                    }
                    defer { group.cancelAll() }
                    return await group.next() ?? false
                }
            }
            #expect(await answers())

            // Call: the database goes away for twenty seconds while a probe asks every half second, as a
            // load balancer asks /health/ready; the pool's wait between attempts grows meanwhile.
            server.crash()
            let outage = ContinuousClock.now
            while outage.duration(to: .now) < .seconds(20) {
                #expect(await !answers())
                try await Task.sleep(for: .milliseconds(500))
            }
            try await server.restartAfterCrash()
            let back = ContinuousClock.now
            var answered = false
            while !answered && back.duration(to: .now) < .seconds(60) {
                answered = await answers()
                if !answered { try await Task.sleep(for: .milliseconds(100)) }
            }
            // Checks: the store answers again; how soon is measured (logged at info level), not asserted.
            #expect(answered)
            TestLogging.logger.info("answering again after the outage", metadata: ["seconds": "\(back.duration(to: .now))",
                                                                                  "newPool": "\(holder.current !== original)"])
        }

        @Test func aPoolThatDoesNotAnswerWhileTheDatabaseDoesIsReplaced() async throws {
            try await withTestDatabase(migrated: true) { database in
                // Setup: the store's pool points at a socket nobody listens on (a pool waiting out its
                // backoff after an outage behaves the same: no connection), the database itself answers.
                var quiet = Logger(label: "dubbelslot.test.pool")
                quiet.logLevel = .critical
                let stuck = PostgresClient(configuration: .init(unixSocketPath: "/tmp/dbs-nobody-\(UUID().uuidString.prefix(8))/.s.PGSQL.5432",
                                                                username: "nobody", password: nil, database: "nothing"), backgroundLogger: quiet)
                let holder = ClientHolder(stuck)
                let store = Store(holder: holder, logger: quiet)
                let settings = Settings.Database(socketPath: database.socketPath, name: database.name, user: database.username, maxConnections: 2)
                let running = Task { try await DatabaseService(holder: holder, database: settings, logger: quiet, probeInterval: .milliseconds(100)).run() }
                defer { running.cancel() }
                // Call: wait for the service to notice (bounded, so a broken service fails rather than hangs).
                var replaced = false
                for _ in 0..<300 where !replaced {
                    replaced = holder.current !== stuck
                    if !replaced { try await Task.sleep(for: .milliseconds(100)) }
                }
                // Checks: a new pool on the database's own settings serves the store.
                #expect(replaced)
                try await store.ping()
            }
        }

        @Test func readinessIsNotReadyWithoutADatabase() async throws {
            // Setup: a store whose client points at a socket nobody listens on.
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dbs-nodb-\(UUID().uuidString.prefix(8))")
            let configuration = PostgresClient.Configuration(unixSocketPath: dir.path + "/.s.PGSQL.5432", username: "nobody",
                                                             password: nil, database: "nothing")
            var quiet = Logger(label: "dubbelslot.test.nodb")
            quiet.logLevel = .critical  // the client's connection failures are the point of this test
            let client = PostgresClient(configuration: configuration, backgroundLogger: quiet)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                let store = Store(client: client, logger: TestLogging.logger)
                let app = Application(router: try buildRouter(store: store, model: try APITestSupport.riskModel(), logger: TestLogging.logger))
                try await app.test(.router) { client in
                    // Call
                    let ready = try await client.executeRequest(uri: "/health/ready", method: .get, headers: [:], body: nil)
                    let live = try await client.executeRequest(uri: "/health/live", method: .get, headers: [:], body: nil)
                    // Checks: not ready, but alive (liveness never touches the database).
                    #expect(ready.status == .serviceUnavailable)
                    let body = try APIHarness.decoder.decode(Components.Schemas.Readiness.self, from: Data(ready.body.readableBytesView))
                    #expect(body.status == .notReady)
                    #expect(body.database == .down)
                    #expect(live.status == .ok)
                }
            }
        }

        /// Every response, errors included, names the contract version (NL GOV API-57) and carries the security headers.
        @Test func responsesCarryVersionAndSecurityHeaders() async throws {
            try await withAPI { api in
                let replies = [
                    try await api.get("/v1/municipalities", as: .buyer),
                    try await api.get("/health/live", as: nil),
                    try await api.get("/v1/municipalities", as: nil),
                    try await api.get("/v1/schools?limit=0", as: .buyer),
                    try await api.get("/v1/signals", as: .buyer),
                    try await api.get("/v1/nothing-here", as: .buyer),
                ]
                #expect(replies.map(\.status.code) == [200, 200, 401, 400, 403, 404])
                for reply in replies {
                    #expect(reply.headers[.init("API-Version")!] == "1.0.0", "\(reply.path)")
                    #expect(reply.headers[.init("X-Content-Type-Options")!] == "nosniff", "\(reply.path)")
                    #expect(reply.headers[.cacheControl] == "no-store", "\(reply.path)")
                }
            }
        }
    }
}
