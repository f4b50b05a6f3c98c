import DubbelslotAPI
import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

extension APITests {
    /// Reads from a real streaming-replication standby (`pg_basebackup -R` of a primary of its own), with
    /// read-your-writes, and readiness when the primary goes away.
    @Suite struct ReadRoutingMiddlewareTests {
        @Test func overviewsComeFromTheStandbyAndACallerAlwaysSeesItsOwnWrites() async throws {
            let primary = try await EmbeddedPostgres.start(dataDirectory: nil, logger: TestLogging.logger)
            defer { primary.stop() }
            try await primary.createDatabase("replica")
            let client = PostgresClient(configuration: primary.clientConfiguration(database: "replica"), backgroundLogger: TestLogging.clientLogger)
            let standby = try await EmbeddedPostgres.startStandby(of: primary, logger: TestLogging.logger)
            defer { standby.stop() }
            let standbyClient = PostgresClient(configuration: standby.clientConfiguration(database: "replica"),
                                               backgroundLogger: TestLogging.clientLogger)
            let replica = ReadReplica(client: standbyClient)
            let store = Store(holder: ClientHolder(client), replica: replica, logger: TestLogging.logger)
            let standbySettings = Settings.Database(url: "postgresql://postgres@/replica?host=\(standby.socketDirectory)")

            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                group.addTask { await standbyClient.run() }
                group.addTask { try await ReplicaService(replica: replica, database: standbySettings, logger: TestLogging.logger).run() }
                defer { group.cancelAll() }

                // Setup on the primary: the schema, tokens, the model, a fictional school with a mark.
                _ = try await Migrator(client: client, directory: try #require(Migrator.defaultDirectory()), logger: TestLogging.logger).migrate()
                try await APIFixtures.seedMunicipalities(store)
                let tokens = try await APIFixtures.tokens(store)
                try await store.riskModels.publish(try APITestSupport.riskModel(), actor: APIFixtures.actor)
                let school = try await APIFixtures.school(store, 991)
                try await APIFixtures.mark(store, school, .grantedIndefinite, from: APIFixtures.today.adding(days: -300), until: nil)
                try await Self.waitUntilReplayed(replica, store: store)

                let app = Application(responder: HeadResponder(base: try buildRouter(store: store, model: try APITestSupport.riskModel(),
                                                                                     logger: TestLogging.logger).buildResponder()))
                try await app.test(.router) { c in
                    let api = APIHarness(client: c, store: store, database: client, tokens: tokens)
                    let path = "/v1/schools/\(school.id.text)/overview"
                    func classroomVisit(_ role: Role) async throws -> String? {
                        let reply = try await api.get(path, as: role)
                        #expect(reply.status == .ok, "\(reply.text)")
                        return try reply.json(Components.Schemas.DoubleLockOverview.self).coverage.lastVisitByKind.classroom
                    }
                    #expect(try await classroomVisit(.analyst) == nil)

                    // The standby stops replaying: what the primary writes now is not on the standby.
                    try await Self.onStandby(standby, "SELECT pg_wal_replay_pause()")
                    let visit = try await api.post("/v1/schools/\(school.id.text)/visits", as: .inspector,
                                                    json: APIFixtures.json(APIFixtures.newVisitBody(on: APIFixtures.today)))
                    #expect(visit.status == .created, "\(visit.text)")

                    // The inspector who wrote reads it at once (from the primary); the analyst, who wrote
                    // nothing, reads the standby, which does not have it yet.
                    #expect(try await classroomVisit(.inspector) == APIFixtures.today.description)
                    #expect(try await classroomVisit(.analyst) == nil, "the analyst's read came from the standby")
                    #expect(try await classroomVisit(.buyer) == nil)

                    // Replay resumes: once past the write, everyone reads it, the inspector from the standby too.
                    try await Self.onStandby(standby, "SELECT pg_wal_replay_resume()")
                    try await Self.waitUntilReplayed(replica, store: store)
                    #expect(try await classroomVisit(.analyst) == APIFixtures.today.description)
                    let inspector = try await store.tokens.authenticate(secret: tokens[.inspector]!)
                    let inspectorId = try #require(inspector).tokenId.uuidString
                    #expect(await WebhookDeliveryFailoverTests.eventually(20) { replica.serves(inspectorId) }, "the inspector's reads go to the standby again")

                    // The primary goes away: ready answers 503 (its check gives up after 2 s; bounded loosely here,
                    // as a test on a loaded machine must not fail on time alone).
                    primary.stop()
                    let started = ContinuousClock.now
                    let ready = try await api.get("/health/ready", as: nil)
                    #expect(ready.status == .serviceUnavailable)
                    #expect(started.duration(to: .now) < .seconds(10), "\(started.duration(to: .now))")
                }
            }
        }

        /// Waits (up to 20 s) until the standby has replayed past the primary's current WAL position.
        static func waitUntilReplayed(_ replica: ReadReplica, store: Store) async throws {
            let target = try await store.primaryWALPosition()
            let deadline = ContinuousClock.now + .seconds(20)
            while (replica.replayed ?? 0) < target {
                guard ContinuousClock.now < deadline else { Issue.record("the standby did not replay to \(target)"); return }
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        /// Runs one statement on the standby as its superuser.
        static func onStandby(_ standby: EmbeddedPostgres, _ sql: String) async throws {
            let configuration = PostgresConnection.Configuration(unixSocketPath: standby.socketPath, username: standby.username,
                                                                 password: nil, database: "replica")
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 9, logger: TestLogging.logger)
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestLogging.logger).collect()
            try await connection.close()
        }
    }
}
