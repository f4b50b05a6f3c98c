import DubbelslotAPI
import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import HTTPTypes
import NIOCore
import Testing

extension APITests {
    /// The SSRF guard: which addresses a webhook may reach, checked when a subscription is created (IP
    /// literals) and when delivering (every resolved address).
    @Suite("Webhook address policy")
    struct WebhookAddressPolicyTests {
        static let table: [(String, WebhookAddressKind)] = [
            ("93.184.215.14", .global), ("8.8.8.8", .global), ("2a00:1450:400e:80f::200e", .global),
            ("127.0.0.1", .loopback), ("127.255.0.9", .loopback), ("::1", .loopback),
            ("10.1.2.3", .private), ("172.16.0.1", .private), ("172.31.255.255", .private), ("192.168.1.1", .private),
            ("172.32.0.1", .global), ("172.15.255.255", .global),
            ("100.64.0.1", .sharedAddressSpace), ("100.127.255.254", .sharedAddressSpace), ("100.128.0.1", .global),
            ("169.254.169.254", .metadata), ("fd00:ec2::254", .metadata), ("169.254.1.1", .linkLocal), ("fe80::1", .linkLocal),
            ("224.0.0.1", .multicast), ("239.255.255.250", .multicast), ("ff02::1", .multicast),
            ("fc00::1", .uniqueLocal), ("fd12:3456:789a::1", .uniqueLocal),
            ("0.0.0.0", .unspecified), ("::", .unspecified), ("255.255.255.255", .reserved), ("192.0.2.10", .reserved),
            ("2001:db8::1", .reserved),
            // IPv4 inside IPv6 is judged by the IPv4 address.
            ("::ffff:127.0.0.1", .loopback), ("::ffff:169.254.169.254", .metadata), ("64:ff9b::10.0.0.1", .private),
            ("2002:a9fe:a9fe::1", .metadata), ("::ffff:93.184.215.14", .global),
        ]

        @Test("each address is classified by its range", arguments: table)
        func classify(_ text: String, _ kind: WebhookAddressKind) throws {
            let address = try SocketAddress(ipAddress: text, port: 443)
            #expect(WebhookAddressKind(address) == kind, "\(text)")
            #expect(WebhookAddressPolicy().allows(address) == (kind == .global), "\(text)")
            #expect(WebhookAddressPolicy(allowLoopback: true).allows(address) == (kind == .global || kind == .loopback), "\(text)")
        }

        @Test("resolving refuses a name that leads to loopback unless allowed; literals are taken as they are")
        func resolve() async throws {
            await #expect(throws: WebhookAddressRefusal.self) { _ = try await WebhookAddressPolicy().resolve(host: "localhost", port: 80) }
            await #expect(throws: WebhookAddressRefusal.self) { _ = try await WebhookAddressPolicy().resolve(host: "[::1]", port: 80) }
            let local = try await WebhookAddressPolicy(allowLoopback: true).resolve(host: "127.0.0.1", port: 8080)
            #expect(local.ipAddress == "127.0.0.1" && local.port == 8080)
        }

        @Test("a subscription URL naming an internal address is a 400 naming url; http to loopback only when allowed")
        func subscriptionRefused() async throws {
            try await withAPI(webhooks: WebhookAddressPolicy()) { api in
                for url in ["https://10.0.0.8/hook", "https://169.254.169.254/latest/meta-data", "https://[fd00::1]/hook",
                            "https://100.64.1.1/hook", "https://127.0.0.1/hook", "http://127.0.0.1:8080/hook", "http://localhost/hook"] {
                    let reply = try await api.send(.post, "/v1/subscriptions", token: api.token(.buyer), body: APIFixtures.json(
                        ["url": url, "events": [WebhookEventType.qualityMarkDecisionRecorded.rawValue]]))
                    _ = try expectProblem(reply, 400, "validation", field: "url")
                }
                #expect(try await api.count("webhook_subscriptions") == 0)
                let allowed = try await api.send(.post, "/v1/subscriptions", token: api.token(.buyer), body: APIFixtures.json(
                    ["url": "https://93.184.215.14/hook", "events": [WebhookEventType.qualityMarkDecisionRecorded.rawValue]]))
                #expect(allowed.status.code == 201, "\(allowed.text)")
            }
        }

        @Test("delivery refuses to connect to a loopback receiver unless allowed, and records why")
        func deliveryRefused() async throws {
            let receiver = WebhookDeliveryTests.Receiver()
            try await withAPI { api in
                try await receiver.serve { url in
                    // Setup: a subscription to the local receiver, then a decision that queues an event for it.
                    let (subscription, _) = try await APIImplementationSubscriptionsTests.subscribe(api, token: api.token(.inspector), url: url)
                    let school = try await APIFixtures.school(api.store, 956)
                    _ = try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: APIFixtures.today.adding(days: -30), until: nil)
                    let strict = WebhookDelivery(store: api.store, policy: WebhookRetryPolicy(base: 0, jitter: 0), timeout: .seconds(5),
                                                 random: { 0.5 }, logger: TestLogging.logger)

                    // Call.
                    #expect(try await strict.deliverDue() == 1)

                    // Checks: nothing arrived; the try says why.
                    #expect(receiver.received.isEmpty)
                    let deliveries = try await api.store.subscriptions.deliveries(subscriptionId: subscription)
                    #expect(deliveries.first?.attempts.first?.error?.contains("loopback") == true, "\(deliveries)")
                    #expect(deliveries.first?.state == .pending)
                }
            }
        }
    }
}
