import Crypto
import DubbelslotAPI
import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import PostgresNIO
import Synchronization
import Testing

extension APITests {
    /// The delivery service against a real receiver: a Hummingbird app on 127.0.0.1 that checks nothing
    /// itself, so each test verifies what arrived with its own HMAC.
    @Suite("Webhook delivery")
    struct WebhookDeliveryTests {
        /// What the receiver got, and the statuses it answers with, in order (then 204).
        final class Receiver: Sendable {
            struct Post: Sendable {
                let id: String?
                let timestamp: String?
                let signature: String?
                let contentType: String?
                let body: Data
            }

            let posts = Mutex<[Post]>([])
            let answers: Mutex<[Int]>

            init(answers: [Int] = []) { self.answers = Mutex(answers) }

            var received: [Post] { posts.withLock { $0 } }

            /// Serves on a free port of 127.0.0.1 while `body` runs; `body` gets the hook's URL.
            func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
                let router = Router()
                router.post("hook") { request, _ -> Response in
                    let bytes = try await request.body.collect(upTo: 1 << 20)
                    func header(_ name: String) -> String? { request.headers[HTTPField.Name(name)!] }
                    self.posts.withLock {
                        $0.append(Post(id: header("webhook-id"), timestamp: header("webhook-timestamp"), signature: header("webhook-signature"),
                                       contentType: header("content-type"), body: Data(bytes.readableBytesView)))
                    }
                    let status = self.answers.withLock { $0.isEmpty ? 204 : $0.removeFirst() }
                    return Response(status: .init(code: status))
                }
                let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                return try await app.test(.live) { client in try await body("http://127.0.0.1:\(client.port!)/hook") }
            }
        }

        /// Checks a post's signature as a receiver would, from the spec, not with the service's own code.
        static func verify(_ post: Receiver.Post, secret: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let key = SymmetricKey(data: try #require(Data(base64Encoded: String(secret.dropFirst("whsec_".count)))))
            let id = try #require(post.id)
            let timestamp = try #require(post.timestamp.flatMap { Int64($0) })
            #expect(abs(Double(timestamp) - Date().timeIntervalSince1970) < 60, "timestamp not now", sourceLocation: sourceLocation)
            let mac = HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).".utf8) + post.body, using: key)
            #expect(post.signature == "v1," + Data(mac).base64EncodedString(), "signature does not verify", sourceLocation: sourceLocation)
        }

        /// A service with no backoff (retries at once) and a fixed jitter, allowed to post to the loopback receiver.
        static func delivery(_ store: Store, interval: Duration = .seconds(1)) -> WebhookDelivery {
            WebhookDelivery(store: store, policy: WebhookRetryPolicy(base: 0, jitter: 0), addressPolicy: WebhookAddressPolicy(allowLoopback: true),
                            interval: interval, timeout: .seconds(5),
                            random: { 0.5 }, logger: TestLogging.logger)
        }

        @Test("a signed CloudEvent is posted; a 500 is tried again; a second 2xx for the same webhook-id is fine")
        func signedRetriedIdempotent() async throws {
            let receiver = Receiver(answers: [500])
            try await withAPI { api in
                try await receiver.serve { url in
                    // Setup: the quality-mark body subscribes to every school; a decision is recorded.
                    let (subscription, secret) = try await APIImplementationSubscriptionsTests.subscribe(api, token: api.token(.inspector), url: url)
                    let school = try await APIFixtures.school(api.store, 941)
                    let decision = try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: APIFixtures.today.adding(days: -30), until: nil)
                    let delivery = Self.delivery(api.store)

                    // Call: the first try gets a 500, the retry a 204.
                    #expect(try await delivery.deliverDue() == 1)
                    #expect(try await delivery.deliverDue() == 1)
                    #expect(try await delivery.deliverDue() == 0, "delivered: nothing left")

                    // Checks: two posts of the same event, each signed; the body is the CloudEvent.
                    let posts = receiver.received
                    #expect(posts.count == 2)
                    #expect(Set(posts.map(\.id)).count == 1)
                    for post in posts { try Self.verify(post, secret: secret) }
                    #expect(posts.first?.contentType?.hasPrefix("application/cloudevents+json") == true)
                    let first = try #require(posts.first)
                    let event = try #require(try JSONSerialization.jsonObject(with: first.body) as? [String: Any])
                    #expect(event["specversion"] as? String == "1.0")
                    #expect(event["id"] as? String == posts.first?.id)
                    #expect(event["type"] as? String == WebhookEventType.qualityMarkDecisionRecorded.rawValue)
                    #expect(event["subject"] as? String == school.id.text)
                    #expect((event["data"] as? [String: String])?["decisionId"] == decision.id.text)
                    let deliveries = try await api.send(.get, "/v1/subscriptions/\(subscription.text)/deliveries", token: api.token(.inspector)).object()
                    let item = try #require((deliveries["items"] as? [[String: Any]])?.first)
                    #expect(item["state"] as? String == "delivered")
                    #expect((item["attempts"] as? [[String: Any]])?.map { $0["status"] as? Int } == [500, 204])

                    // An instance that died after posting but before settling: the event goes again, the receiver
                    // answers 2xx again for a webhook-id it has seen, and the delivery stays delivered.
                    try await api.database.query("UPDATE webhook_outbox SET delivered_at = NULL, next_attempt_at = now()", logger: TestLogging.logger).collect()
                    #expect(try await delivery.deliverDue() == 1)
                    #expect(receiver.received.count == 3)
                    #expect(Set(receiver.received.map(\.id)).count == 1, "the same webhook-id each time")
                    let again = try await api.send(.get, "/v1/subscriptions/\(subscription.text)/deliveries", token: api.token(.inspector)).object()
                    #expect((again["items"] as? [[String: Any]])?.first?["state"] as? String == "delivered")

                    // Sent again on request: the same event, once more.
                    let deliveryId = try #require(item["id"] as? String)
                    let retry = try await api.send(.post, "/v1/subscriptions/\(subscription.text)/deliveries/\(deliveryId)/retry", token: api.token(.inspector), body: "{}")
                    #expect(retry.status.code == 202, "\(retry.text)")
                    _ = try expectProblem(try await api.send(.post, "/v1/subscriptions/\(subscription.text)/deliveries/\(UUID().text)/retry",
                                                             token: api.token(.inspector), body: "{}"), 404, "not-found")
                    #expect(try await delivery.deliverDue() == 1)
                    #expect(receiver.received.count == 4 && Set(receiver.received.map(\.id)).count == 1)
                }
            }
        }

        @Test("the running service delivers within 2 seconds and stops when cancelled")
        func runningService() async throws {
            let receiver = Receiver()
            try await withAPI { api in
                try await receiver.serve { url in
                    let (_, secret) = try await APIImplementationSubscriptionsTests.subscribe(api, token: api.token(.inspector), url: url)
                    let service = Self.delivery(api.store, interval: .milliseconds(100))
                    let running = Task { try await service.run() }
                    let school = try await APIFixtures.school(api.store, 942)
                    _ = try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: APIFixtures.today.adding(days: -30), until: nil)
                    let clock = ContinuousClock()
                    let recorded = clock.now
                    // The service polls every 100 ms; on a quiet machine the post arrives well within 2 s (a benchmark
                    // figure, not asserted here: a test on a loaded CI machine must not fail on time alone).
                    while receiver.received.isEmpty && clock.now - recorded < .seconds(20) { try await Task.sleep(for: .milliseconds(20)) }
                    print("webhook delivered \(clock.now - recorded) after the decision")
                    #expect(receiver.received.count == 1, "not delivered within 20 s")
                    if let post = receiver.received.first { try Self.verify(post, secret: secret) }
                    running.cancel()
                    try await running.value
                }
            }
        }
    }
}
