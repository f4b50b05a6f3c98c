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
    public var subscriptionId: UUID
    /// The CloudEvents `id`, sent as `webhook-id`.
    public var eventId: UUID
    public var type: String
    public var state: State
    public var createdAt: Date
    public var nextAttemptAt: Date
    public var deliveredAt: Date?
    public var failedAt: Date?
    /// The tries, oldest first.
    public var attempts: [WebhookAttempt]

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
