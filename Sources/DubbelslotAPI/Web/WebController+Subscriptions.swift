import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import Hummingbird

extension WebController {
    /// `/app/abonnementen`: the organisation's webhook subscriptions (`listSubscriptions`, the
    /// token's organisation; an admin's: all) with each one's newest deliveries and their tries
    /// (`listSubscriptionDeliveries`). Read-only: subscriptions are made and deleted over the API,
    /// where the signing secret is shown once.
    func subscriptionsPage(_ web: WebRequest) async throws -> Response {
        let subscriptions = try await web.call("listSubscriptions") { try await api.listSubscriptions(.init()) }.ok.body.json.items
        var rows: [[String: Any]] = []
        for s in subscriptions {
            let deliveries = try await web.call("listSubscriptionDeliveries") {
                try await api.listSubscriptionDeliveries(.init(path: .init(id: s.id)))
            }.ok.body.json.items.prefix(Self.deliveriesShown)
            rows.append([
                "id": s.id, "url": s.url, "organisation": s.organisation, "created": Self.moment(s.createdAt),
                "events": s.events.map { Self.eventName($0.rawValue) }.joined(separator: "; "),
                "filter": Self.filterText(s.filter),
                "deliveries": deliveries.map { d -> [String: Any] in
                    let last = d.attempts.last
                    return ["created": Self.moment(d.createdAt), "type": Self.eventName(d._type), "state": Self.deliveryState(d.state.rawValue),
                            "failed": d.state == .failed, "tries": d.attempts.count,
                            "last": last.map { a in a.status.map { "HTTP \($0)" } ?? a.error ?? "—" } ?? "nog niet geprobeerd",
                            "eventId": d.eventId]
                },
                "hasDeliveries": !deliveries.isEmpty,
            ])
        }
        let context: [String: Any] = [
            "title": "Abonnementen", "subscriptions": rows, "hasSubscriptions": !rows.isEmpty,
            "organisation": web.principal.role == .admin ? "alle organisaties"
                : try await store.subscriptions.organisation(ofToken: web.principal.tokenId) ?? "uw organisatie",
            "shown": Self.deliveriesShown,
        ]
        return web.render("subscriptions", context)
    }

    /// Deliveries shown per subscription, newest first.
    static let deliveriesShown = 10

    /// An instant as Dutch readers write it, in Europe/Amsterdam: `1 maart 2026, 14:05`.
    static func moment(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "nl_NL")
        formatter.timeZone = TimeZone(identifier: "Europe/Amsterdam")
        formatter.dateFormat = "yyyy-MM-dd' 'HH:mm"
        let text = formatter.string(from: date)
        return "\(Dutch.date(String(text.prefix(10)))), \(text.suffix(5))"
    }

    /// The event type in Dutch, with its technical name for whoever configures the receiver.
    static func eventName(_ type: String) -> String {
        let name = switch type {
        case "nl.dubbelslot.quality-mark.decision-recorded": "Keurmerkbesluit vastgelegd of gerectificeerd"
        case "nl.dubbelslot.signal.status-changed": "Status van een signaal van onze gemeente gewijzigd"
        case "nl.dubbelslot.signal.corroborated": "Signalen van verschillende gemeenten bevestigen elkaar"
        case "nl.dubbelslot.school.verdict-changed": "Oordeel over een school die wij contracteerden gewijzigd"
        default: type
        }
        return name == type ? type : "\(name) (\(type))"
    }

    static func filterText(_ filter: Components.Schemas.SubscriptionFilter?) -> String {
        if let school = filter?.schoolId { return "Eén school (\(school))" }
        if let code = filter?.municipalityCode { return "Scholen gevestigd in \(code)" }
        if filter?.contracted == true { return "Scholen die wij contracteerden (inkoopcheck met besluit ‘doorgaan’, contract loopt)" }
        return "Alle scholen"
    }

    static func deliveryState(_ state: String) -> String {
        switch state {
        case "delivered": "Afgeleverd"
        case "failed": "Mislukt (24 uur geprobeerd)"
        default: "Wacht op aflevering"
        }
    }
}
