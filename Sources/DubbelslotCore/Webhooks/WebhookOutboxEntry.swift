public import Foundation

/// One try to post an outbox row to its receiver.
public struct WebhookAttempt: Sendable, Hashable {
    /// When the try started (database time).
    public var at: Date
    /// The receiver's HTTP status; `nil` when none came (refused connection, timeout: see ``error``).
    public var status: Int?
    /// Why no status came, or why the status was not a success; at most 1000 characters.
    public var error: String?
    /// How long the try took, in milliseconds.
    public var durationMs: Int

    /// A try as stored.
    public init(at: Date, status: Int?, error: String?, durationMs: Int) {
        self.at = at
        self.status = status
        self.error = error
        self.durationMs = durationMs
    }
}

/// An event queued for one subscription (a row of the outbox) with its tries so far.
public struct WebhookOutboxEntry: Sendable, Hashable {
    /// Where it stands.
    public enum State: String, Sendable, Hashable {
        /// Not yet delivered; tried again at ``WebhookOutboxEntry/nextAttemptAt``.
        case pending
        /// A try got a 2xx.
        case delivered
        /// Tries stopped without a 2xx, 24 hours after the event.
        case failed
    }

    /// The outbox row's id.
    public var id: UUID
    /// The subscription it is queued for.
    public var subscriptionId: UUID
    /// The CloudEvents `id`, sent as `webhook-id`.
    public var eventId: UUID
    /// The CloudEvents `type`, a ``WebhookEventType`` raw value such as `nl.dubbelslot.quality-mark.decision-recorded`.
    public var type: String
    /// Pending, delivered or failed.
    public var state: State
    /// When the event was written to the outbox, in the same transaction as the change it reports (database time).
    public var createdAt: Date
    /// When the next try is due; meaningful while pending.
    public var nextAttemptAt: Date
    /// When a try got a 2xx; `nil` otherwise.
    public var deliveredAt: Date?
    /// When tries stopped without a 2xx; `nil` otherwise.
    public var failedAt: Date?
    /// The tries, oldest first.
    public var attempts: [WebhookAttempt]

    /// An outbox row as stored.
    public init(id: UUID, subscriptionId: UUID, eventId: UUID, type: String, state: State, createdAt: Date, nextAttemptAt: Date,
                deliveredAt: Date?, failedAt: Date?, attempts: [WebhookAttempt]) {
        self.id = id
        self.subscriptionId = subscriptionId
        self.eventId = eventId
        self.type = type
        self.state = state
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
        self.failedAt = failedAt
        self.attempts = attempts
    }
}
