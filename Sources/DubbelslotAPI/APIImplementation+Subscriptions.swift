import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation

extension APIImplementation {
    /// Registers a webhook receiver for the caller's organisation; the answer holds the secret, once.
    func createSubscription(_ input: Operations.CreateSubscription.Input) async throws -> Operations.CreateSubscription.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send application/json.") }
        var rules = InputRules()
        let url = rules.text(body.url, "url", max: 2000, required: true)
        if let url {
            if !Self.isAllowedWebhookURL(url, policy: webhookAddressPolicy) {
                rules.fail("url", webhookAddressPolicy.allowLoopback
                    ? "must be an https URL with a host (http only to 127.0.0.1 or localhost)" : "must be an https URL with a host")
            } else if let host = URL(string: url)?.host, let kind = webhookAddressPolicy.refusal(ofLiteral: host) {
                // Names are checked again after every lookup, when delivering (WebhookDelivery).
                rules.fail("url", "must not name a \(kind.rawValue) address; webhooks go only to public addresses")
            }
        }
        if body.events.isEmpty || body.events.count > 20 { rules.fail("events", "must list 1 to 20 event types") }
        if Set(body.events.map(\.rawValue)).count != body.events.count { rules.fail("events", "must not repeat an event type") }
        let events = body.events.compactMap { WebhookEventType(rawValue: $0.rawValue) }
        let school = rules.uuid(body.filter?.schoolId, "filter.schoolId")
        let municipality = rules.municipality(body.filter?.municipalityCode, "filter.municipalityCode")
        // `contracted: false` asks for no filter, as leaving it out does.
        let contracted = body.filter?.contracted == true
        if [body.filter?.schoolId != nil, body.filter?.municipalityCode != nil, contracted].filter({ $0 }).count > 1 {
            rules.fail("filter", "must name at most one of schoolId, municipalityCode and contracted")
        }
        // Only a municipality records procurement checks, so only its subscription can follow the schools it contracted.
        if contracted, try Principal.required().municipalityCode == nil {
            rules.fail("filter.contracted", "only a municipality's token can follow the schools it contracted")
        }
        try rules.throwIfAny()
        let filter: WebhookFilter = if let school { .school(school) } else if let municipality { .municipality(municipality) }
            else if contracted { .contracted } else { .none }
        let (subscription, secret) = try await store.subscriptions.create(url: url ?? "", events: events, filter: filter, actor: try Principal.actor())
        return .created(.init(body: .json(.init(subscription: .init(subscription), secret: secret))))
    }

    /// The caller organisation's active subscriptions; an admin's list holds every organisation's.
    func listSubscriptions(_ input: Operations.ListSubscriptions.Input) async throws -> Operations.ListSubscriptions.Output {
        let items = try await store.subscriptions.list(organisationId: try await callerOrganisation()).map(Components.Schemas.Subscription.init)
        return .ok(.init(body: .json(.init(items: items))))
    }

    /// Deletes one of the caller organisation's subscriptions (an admin: anyone's).
    func deleteSubscription(_ input: Operations.DeleteSubscription.Input) async throws -> Operations.DeleteSubscription.Output {
        let id = try pathID(input.path.id, "subscription")
        do {
            try await store.subscriptions.delete(id: id, organisationId: try await callerOrganisation(), actor: try Principal.actor())
        } catch let error as StoreError where error.kind == .notFound {
            throw Problem(.notFound, detail: "No subscription with id \(id.text).")
        }
        return .noContent(.init())
    }

    /// The newest deliveries of one of the caller organisation's subscriptions, with every try.
    func listSubscriptionDeliveries(_ input: Operations.ListSubscriptionDeliveries.Input) async throws -> Operations.ListSubscriptionDeliveries.Output {
        let id = try pathID(input.path.id, "subscription")
        let organisation = try await callerOrganisation()
        // Another organisation's subscription is answered as one that does not exist.
        guard let subscription = try await store.subscriptions.get(id: id), organisation == nil || subscription.organisationId == organisation else {
            throw Problem(.notFound, detail: "No subscription with id \(id.text).")
        }
        let items = try await store.subscriptions.deliveries(subscriptionId: subscription.id).map(Components.Schemas.Delivery.init)
        return .ok(.init(body: .json(.init(items: items))))
    }

    /// Queues one of the subscription's deliveries to be posted again.
    func retrySubscriptionDelivery(_ input: Operations.RetrySubscriptionDelivery.Input) async throws -> Operations.RetrySubscriptionDelivery.Output {
        let id = try pathID(input.path.id, "subscription")
        let deliveryId = try pathID(input.path.deliveryId, "delivery")
        let organisation = try await callerOrganisation()
        guard let subscription = try await store.subscriptions.get(id: id), organisation == nil || subscription.organisationId == organisation else {
            throw Problem(.notFound, detail: "No subscription with id \(id.text).")
        }
        do {
            try await store.subscriptions.retry(deliveryId: deliveryId, subscriptionId: subscription.id, actor: try Principal.actor())
        } catch let error as StoreError where error.kind == .notFound {
            throw Problem(.notFound, detail: "The subscription has no delivery with id \(deliveryId.text).")
        }
        return .accepted(.init())
    }

    /// The organisation whose subscriptions the caller manages; `nil` for an admin, who manages all.
    private func callerOrganisation() async throws -> String? {
        let principal = try Principal.required()
        if principal.role == .admin { return nil }
        guard let organisation = try await store.subscriptions.organisation(ofToken: principal.tokenId) else {
            throw Problem(.unauthenticated, detail: "The token is not known.")
        }
        return organisation
    }

    /// `https://` with a host, or, when `policy` allows loopback, `http://` to the loopback host
    /// (local receivers, tests); the table's `CHECK` on `webhook_subscriptions.url` allows no more.
    static func isAllowedWebhookURL(_ text: String, policy: WebhookAddressPolicy) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
              url.user == nil, url.password == nil else { return false }
        switch scheme {
        case "https": return text.hasPrefix("https://")
        case "http": return policy.allowLoopback && text.hasPrefix("http://") && ["127.0.0.1", "localhost"].contains(host)
        default: return false
        }
    }
}

extension Components.Schemas.Subscription {
    init(_ s: WebhookSubscription) {
        let filter: Components.Schemas.SubscriptionFilter? = switch s.filter {
        case .none: nil
        case .school(let id): .init(schoolId: id.text)
        case .municipality(let code): .init(municipalityCode: code.rawValue)
        case .contracted: .init(contracted: true)
        }
        self.init(id: s.id.text, organisation: s.organisationId, url: s.url,
                  events: s.events.compactMap { Components.Schemas.WebhookEventType(rawValue: $0.rawValue) },
                  filter: filter, createdAt: s.createdAt)
    }
}

extension Components.Schemas.Delivery {
    init(_ d: WebhookOutboxEntry) {
        self.init(id: d.id.text, eventId: d.eventId.text, _type: d.type, state: .init(rawValue: d.state.rawValue) ?? .pending,
                  createdAt: d.createdAt, nextAttemptAt: d.state == .pending ? d.nextAttemptAt : nil,
                  deliveredAt: d.deliveredAt, failedAt: d.failedAt,
                  attempts: d.attempts.map { .init(at: $0.at, status: $0.status, error: $0.error, durationMs: $0.durationMs) })
    }
}
