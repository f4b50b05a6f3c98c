public import Foundation

/// Which schools' events a subscription receives. At most one criterion; the receiver still gets
/// only the event types it subscribed to.
public enum WebhookFilter: Sendable, Hashable {
    /// Events about every school.
    case none
    /// Events about one school (its id).
    case school(UUID)
    /// Events about schools registered in one municipality (`GMnnnn`, the school's `municipality_code`).
    case municipality(MunicipalityCode)
    /// Events about schools the subscribing organisation contracted: it holds a procurement check on
    /// the school decided `proceed` whose contract period (`contractFrom` through `contractTo`, the
    /// last day; open-ended without it) runs on the event's date (Europe/Amsterdam). Only a
    /// municipality records procurement checks, so for other organisations it matches nothing.
    case contracted
}

/// An organisation's registration of a webhook receiver. The signing secret is never part of it:
/// it is shown once, when the subscription is created.
public struct WebhookSubscription: Sendable, Hashable {
    /// The subscription's id.
    public var id: UUID
    /// The organisation that owns it: a CBS code (`GMnnnn`) or a national body's slug.
    public var organisationId: String
    /// Where events are posted: `https://…`, or `http://127.0.0.1…` / `http://localhost…` for local receivers.
    public var url: String
    /// The event types it receives, at least one.
    public var events: [WebhookEventType]
    /// Which schools' events it receives.
    public var filter: WebhookFilter
    /// When it was created (database time).
    public var createdAt: Date
    /// Who created it (`recorded_by`).
    public var recordedBy: String
    /// When it was deleted; `nil` while active.
    public var deletedAt: Date?

    /// A subscription as stored.
    public init(id: UUID, organisationId: String, url: String, events: [WebhookEventType], filter: WebhookFilter,
                createdAt: Date, recordedBy: String, deletedAt: Date? = nil) {
        self.id = id
        self.organisationId = organisationId
        self.url = url
        self.events = events
        self.filter = filter
        self.createdAt = createdAt
        self.recordedBy = recordedBy
        self.deletedAt = deletedAt
    }
}
