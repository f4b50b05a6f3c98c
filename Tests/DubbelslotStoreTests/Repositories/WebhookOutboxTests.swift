import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    @Suite("Webhook subscriptions and outbox")
    struct WebhookOutboxTests {
        static let type = WebhookEventType.qualityMarkDecisionRecorded

        @Test("a recorded decision queues one CloudEvent per matching subscription, in its transaction; a refused one none")
        func enqueueInTransaction() async throws {
            try await withTestDatabase { store, client in
                // Setup: a school in Amsterdam; subscriptions by school, by its municipality, by another municipality, for no type of it.
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                try await execute(client, "INSERT INTO organisations (id, recorded_by) VALUES ('blik-op-werk', 'test') ON CONFLICT DO NOTHING")
                func subscribe(_ filter: WebhookFilter) async throws -> UUID {
                    try await store.subscriptions.create(url: "https://example.org/hook", events: [Self.type], filter: filter,
                                                         organisationId: "blik-op-werk", actor: Fixtures.actor).subscription.id
                }
                let bySchool = try await subscribe(.school(school.id))
                let byMunicipality = try await subscribe(.municipality(Fixtures.amsterdam.code))
                let elsewhere = try await subscribe(.municipality(Fixtures.utrecht.code))
                let deleted = try await subscribe(.none)
                try await store.subscriptions.delete(id: deleted, organisationId: nil, actor: Fixtures.actor)

                // Call.
                let decision = try await store.qualityMarks.record(
                    NewQualityMarkDecision(status: .grantedIndefinite, validDuring: Fixtures.range("2025-01-01", nil), decidedOn: Fixtures.date("2024-12-01")),
                    schoolId: school.id, actor: Fixtures.actor)
                await #expect(throws: QualityMarkLifecycleError.self) {
                    _ = try await store.qualityMarks.record(
                        NewQualityMarkDecision(status: .aspirant, validDuring: Fixtures.range("2024-01-01", nil), decidedOn: Fixtures.date("2023-12-01")),
                        schoolId: school.id, actor: Fixtures.actor)
                }

                // Checks.
                let rows = try await execute(client, "SELECT subscription_id, event_id, payload::text FROM webhook_outbox ORDER BY subscription_id")
                let queued = try rows.map { try $0.decode((UUID, UUID, String).self) }
                #expect(Set(queued.map(\.0)) == [bySchool, byMunicipality])
                #expect(Set(queued.map(\.1)).count == 1, "one event id for all subscribers")
                #expect(try await store.subscriptions.deliveries(subscriptionId: elsewhere).isEmpty)
                let event = try #require(try JSONSerialization.jsonObject(with: Data(queued[0].2.utf8)) as? [String: Any])
                #expect(event["specversion"] as? String == "1.0")
                #expect(event["type"] as? String == Self.type.rawValue)
                #expect(event["source"] as? String == "/dubbelslot")
                #expect(event["subject"] as? String == school.id.uuidString.lowercased())
                #expect(event["id"] as? String == queued[0].1.uuidString.lowercased())
                #expect(event["dataref"] as? String == "/v1/schools/\(school.id.uuidString.lowercased())/quality-mark-decisions")
                #expect((event["time"] as? String)?.hasSuffix("Z") == true)
                let data = try #require(event["data"] as? [String: String])
                #expect(data == ["schoolId": school.id.uuidString.lowercased(), "decisionId": decision.id.uuidString.lowercased(), "status": "grantedIndefinite"])
            }
        }

        @Test("a claimed row is leased; a failed try is retried after the backoff; a 2xx settles it; past the limit it fails")
        func claimAndSettle() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                try await execute(client, "INSERT INTO organisations (id, recorded_by) VALUES ('blik-op-werk', 'test') ON CONFLICT DO NOTHING")
                let (subscription, secret) = try await store.subscriptions.create(url: "https://example.org/hook", events: [Self.type], filter: .none,
                                                                                organisationId: "blik-op-werk", actor: Fixtures.actor)
                _ = try await store.qualityMarks.record(
                    NewQualityMarkDecision(status: .grantedIndefinite, validDuring: Fixtures.range("2025-01-01", nil), decidedOn: Fixtures.date("2024-12-01")),
                    schoolId: school.id, actor: Fixtures.actor)

                let claimed = try await store.webhookOutbox.claimDue(limit: 10, lease: 60)
                #expect(claimed.count == 1)
                #expect(claimed.first?.secret == secret)
                #expect(try await store.webhookOutbox.claimDue(limit: 10, lease: 60).isEmpty, "leased")
                let row = try #require(claimed.first)
                try await store.webhookOutbox.recordAttempt(id: row.id, status: 500, error: nil, durationMs: 12, retryAfter: 0, giveUpAfter: 86_400)
                let retried = try await store.webhookOutbox.claimDue(limit: 10, lease: 60)
                #expect(retried.map(\.attempts) == [1])
                try await store.webhookOutbox.recordAttempt(id: row.id, status: 204, error: nil, durationMs: 3, retryAfter: 0, giveUpAfter: 86_400)
                let deliveries = try await store.subscriptions.deliveries(subscriptionId: subscription.id)
                #expect(deliveries.map(\.state) == [.delivered])
                #expect(deliveries.first?.attempts.map(\.status) == [500, 204])
                #expect(deliveries.first?.attempts.first?.error == "HTTP 500")

                // A second event whose retry would pass the limit is marked failed.
                _ = try await store.qualityMarks.record(
                    NewQualityMarkDecision(status: .suspended, validDuring: Fixtures.range("2025-06-01", nil), decidedOn: Fixtures.date("2025-05-01")),
                    schoolId: school.id, actor: Fixtures.actor)
                let second = try #require(try await store.webhookOutbox.claimDue(limit: 10, lease: 60).first)
                try await store.webhookOutbox.recordAttempt(id: second.id, status: nil, error: "connection refused", durationMs: 1, retryAfter: 10, giveUpAfter: 5)
                #expect(try await store.subscriptions.deliveries(subscriptionId: subscription.id).map(\.state) == [.failed, .delivered])
            }
        }
    }
}
