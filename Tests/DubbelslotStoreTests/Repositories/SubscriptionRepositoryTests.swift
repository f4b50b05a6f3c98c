import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    @Suite struct SubscriptionRepositoryTests {
        @Test("a subscription belongs to its token's organisation; the secret is returned once; delete hides it")
        func subscriptionLifecycle() async throws {
            try await withTestDatabase { store, _ in
                // Setup: a buyer token of Amsterdam.
                try await Fixtures.seedMunicipalities(store)
                let (token, _) = try await store.tokens.create(role: .buyer, municipality: Fixtures.amsterdam.code, label: "inkoop", actor: Fixtures.actor)
                let actor = "buyer:\(token.id.uuidString.lowercased())"
                // Call.
                let (created, secret) = try await store.subscriptions.create(url: "https://example.org/hook", events: [WebhookOutboxTests.type], filter: .none, actor: actor)
                // Checks.
                #expect(created.organisationId == "GM0363")
                #expect(secret.hasPrefix("whsec_") && Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
                #expect(try await store.subscriptions.list(organisationId: "GM0363") == [created])
                #expect(try await store.subscriptions.list(organisationId: "GM0344") == [])
                // Plain http only to the loopback host: the table's CHECK, whatever the API lets through.
                let refused = await sqlState {
                    _ = try await store.subscriptions.create(url: "http://example.org/hook", events: [WebhookOutboxTests.type], filter: .none, actor: actor)
                }
                #expect(refused == "23514")
                try await store.subscriptions.delete(id: created.id, organisationId: "GM0363", actor: actor)
                #expect(try await store.subscriptions.list(organisationId: nil) == [])
                let again = await storeError { try await store.subscriptions.delete(id: created.id, organisationId: nil, actor: actor) }
                #expect(again?.kind == .notFound)
            }
        }
    }
}
