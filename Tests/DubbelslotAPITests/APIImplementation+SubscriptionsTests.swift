import DubbelslotAPI
import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

extension APITests {
    /// Webhook subscriptions through the API, and the events a quality-mark decision queues for them.
    @Suite("Webhook subscriptions")
    struct APIImplementationSubscriptionsTests {
        static let type = WebhookEventType.qualityMarkDecisionRecorded.rawValue

        /// Creates a subscription with `token`; returns its id and secret.
        static func subscribe(_ api: APIHarness, token: String, url: String = "https://example.org/hook",
                              filter: [String: String]? = nil) async throws -> (UUID, String) {
            var body: [String: Any] = ["url": url, "events": [type]]
            if let filter { body["filter"] = filter }
            let reply = try await api.send(.post, "/v1/subscriptions", token: token, body: APIFixtures.json(body))
            #expect(reply.status.code == 201, "\(reply.text)")
            let object = try reply.object()
            let subscription = try #require(object["subscription"] as? [String: Any])
            let id = try #require(UUID(uuidString: subscription["id"] as? String ?? ""))
            return (id, try #require(object["secret"] as? String))
        }

        @Test("a subscription shows its secret once, belongs to the caller's organisation, and bad input is named")
        func createListDelete() async throws {
            try await withAPI { api in
                // Call.
                let (id, secret) = try await Self.subscribe(api, token: api.token(.buyer))
                // Checks: the secret's shape, never in the list; the list is the organisation's own, an admin's all.
                #expect(secret.hasPrefix("whsec_") && Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
                let own = try await api.send(.get, "/v1/subscriptions", token: api.token(.signaller))
                #expect(own.text.contains(id.text) && own.text.contains("GM0363"))
                #expect(!own.text.contains(String(secret.dropFirst(6))), "the secret is listed")
                let other = try await api.send(.get, "/v1/subscriptions", token: api.token(.inspector))
                #expect(!other.text.contains(id.text), "another organisation sees the subscription")
                let admin = try await api.send(.get, "/v1/subscriptions", token: api.token(.admin))
                #expect(admin.text.contains(id.text))
                _ = try expectProblem(try await api.send(.get, "/v1/subscriptions/\(id.text)/deliveries", token: api.token(.inspector)), 404, "not-found")
                _ = try expectProblem(try await api.send(.delete, "/v1/subscriptions/\(id.text)", token: api.token(.inspector)), 404, "not-found")

                // Bad input: each rule named.
                func refused(_ body: [String: Any]) async throws -> Reply {
                    try await api.send(.post, "/v1/subscriptions", token: api.token(.buyer), body: APIFixtures.json(body))
                }
                _ = try expectProblem(try await refused(["url": "http://example.org/hook", "events": [Self.type]]), 400, "validation", field: "url")
                _ = try expectProblem(try await refused(["url": "https://example.org/hook", "events": []]), 400, "validation", field: "events")
                _ = try expectProblem(try await refused(["url": "https://example.org/hook", "events": [Self.type],
                                                         "filter": ["schoolId": UUID().text, "municipalityCode": "GM0363"]]), 400, "validation", field: "filter")
                _ = try expectProblem(try await refused(["url": "https://example.org/hook", "events": [Self.type], "filter": ["schoolId": UUID().text]]),
                                      422, "unknown-reference", field: "filter.schoolId")

                // Deleted: gone from the list, a second delete is not found.
                let deleted = try await api.send(.delete, "/v1/subscriptions/\(id.text)", token: api.token(.signaller))
                #expect(deleted.status.code == 204, "\(deleted.text)")
                #expect(!(try await api.send(.get, "/v1/subscriptions", token: api.token(.buyer))).text.contains(id.text))
                _ = try expectProblem(try await api.send(.delete, "/v1/subscriptions/\(id.text)", token: api.token(.buyer)), 404, "not-found")
            }
        }

        @Test("a decision recorded through the API queues one event for a matching subscription, in its transaction; none for others or when refused")
        func decisionEnqueues() async throws {
            try await withAPI { api in
                // Setup: the quality-mark body follows one school; Amsterdam's buyer follows Rotterdam's schools.
                let school = try await APIFixtures.school(api.store, 931)
                let (matching, _) = try await Self.subscribe(api, token: api.token(.inspector), filter: ["schoolId": school.id.text])
                let (elsewhere, _) = try await Self.subscribe(api, token: api.token(.buyer), filter: ["municipalityCode": "GM0599"])
                let from = APIFixtures.today.adding(days: -400)
                let body = APIFixtures.json(APIFixtures.newDecisionBody(from: from, until: from.adding(days: 100)))

                // Call: one decision recorded, the same again refused (a decision already starts on that day).
                let recorded = try await api.send(.post, "/v1/schools/\(school.id.text)/quality-mark-decisions", token: api.token(.inspector), body: body)
                #expect(recorded.status.code == 201, "\(recorded.text)")
                let refused = try await api.send(.post, "/v1/schools/\(school.id.text)/quality-mark-decisions", token: api.token(.inspector), body: body)
                #expect(refused.status.code == 409, "\(refused.text)")

                // Checks.
                let deliveries = try await api.send(.get, "/v1/subscriptions/\(matching.text)/deliveries", token: api.token(.inspector)).object()
                let items = try #require(deliveries["items"] as? [[String: Any]])
                #expect(items.count == 1)
                #expect(items.first?["state"] as? String == "pending")
                #expect(items.first?["type"] as? String == Self.type)
                let none = try await api.send(.get, "/v1/subscriptions/\(elsewhere.text)/deliveries", token: api.token(.buyer)).object()
                #expect((none["items"] as? [Any])?.isEmpty == true)
                // Queued by the decision's own transaction: the same now(), the decision's id in the event.
                let decisionId = try #require(try recorded.object()["id"] as? String)
                let rows = try await api.database.query(
                    """
                    SELECT o.created_at = d.recorded_at FROM webhook_outbox o
                    JOIN quality_mark_decisions d ON d.id::text = o.payload->'data'->>'decisionId'
                    WHERE o.subscription_id = \(matching)
                    """, logger: TestLogging.logger).collect()
                #expect(try rows.map { try $0.decode(Bool.self) } == [true])
                #expect(try await api.count("webhook_outbox") == 1, "decisionId \(decisionId): one event for one matching subscription")
            }
        }
    }
}
