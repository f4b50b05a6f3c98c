public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// Webhook subscriptions (`webhook_subscriptions`, sql/0038) and the deliveries queued for them.
///
/// The signing secret is kept in the clear, because Standard Webhooks signatures (HMAC-SHA256) need
/// the key itself; it is returned once, by ``create(url:events:filter:organisationId:actor:)``, and
/// read afterwards only by the delivery service (``WebhookOutbox``).
public struct SubscriptionRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Usually reached through ``Store``; the client must be running.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The prefix of every signing secret, as the Standard Webhooks spec writes secrets.
    public static let secretPrefix = "whsec_"

    /// Registers a subscription for an organisation.
    ///
    /// The secret is `"whsec_"` + standard base64 (with padding) of 32 random bytes from the system's
    /// CSPRNG: 50 characters. The receiver base64-decodes the part after the prefix to get the HMAC key.
    /// - Parameters:
    ///   - url: `https://…`, or `http://` to `127.0.0.1`/`localhost` only (checked by the table too).
    ///   - events: at least one event type.
    ///   - organisationId: the owner; `nil` for the organisation of the token in `actor` (`"role:tokenId"`).
    /// - Returns: the subscription and its secret, which is not shown again.
    /// - Throws: ``StoreError/unknownReference(field:)`` with `organisationId` when `organisationId` is
    ///   `nil` and the actor holds no token, with `filter.schoolId` or `filter.municipalityCode` for an
    ///   unknown school or municipality.
    public func create(url: String, events: [WebhookEventType], filter: WebhookFilter, organisationId: String? = nil,
                       actor: RecordedBy) async throws -> (subscription: WebhookSubscription, secret: String) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = Self.secretPrefix + Data(bytes).base64EncodedString()
        let id = UUID()
        let token = actor.split(separator: ":", maxSplits: 1).last.flatMap { UUID(uuidString: String($0)) }
        let (school, municipality, contracted) = Self.filterColumns(filter)
        let eventTexts = events.map(\.rawValue)
        return try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    INSERT INTO webhook_subscriptions AS s
                        (id, organisation_id, url, events, filter_school_id, filter_municipality_code, filter_contracted, secret, recorded_by)
                    SELECT \(id), o.id, \(url), \(eventTexts), \(school), \(municipality), \(contracted), \(secret), \(actor)
                    FROM organisations o
                    WHERE o.id = coalesce(\(organisationId)::text, (SELECT t.organisation_id FROM api_tokens t WHERE t.id = \(token)::uuid))
                    RETURNING \(unescaped: Self.columns)
                    """, logger: logger)
                guard let row = try await rows.firstRow() else { throw StoreError.unknownReference(field: "organisationId") }
                let subscription = try Self.subscription(row)
                try await AuditLog.append(on: connection, actor: actor, action: "subscription.create", subject: "subscription:\(id.uuidString.lowercased())",
                                          details: ["organisation": subscription.organisationId, "events": eventTexts.joined(separator: ",")],
                                          logger: logger)
                return (subscription, secret)
            }
        }
    }

    /// The organisation holding a token (`api_tokens.organisation_id`); `nil` for an unknown token.
    public func organisation(ofToken tokenId: UUID) async throws -> String? {
        let rows = try await client.query("SELECT organisation_id FROM api_tokens WHERE id = \(tokenId)", logger: logger)
        return try await rows.firstRow()?.decode(String.self)
    }

    /// The active (not deleted) subscriptions, oldest first.
    ///
    /// - Parameter organisationId: only this organisation's; `nil` for all.
    public func list(organisationId: String?) async throws -> [WebhookSubscription] {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM webhook_subscriptions s
            WHERE s.deleted_at IS NULL AND (\(organisationId)::text IS NULL OR s.organisation_id = \(organisationId)::text)
            ORDER BY s.created_at, s.id
            """, logger: logger)
        var result: [WebhookSubscription] = []
        for try await row in rows { result.append(try Self.subscription(row)) }
        return result
    }

    /// One subscription, deleted or not; `nil` when there is none with that id.
    public func get(id: UUID) async throws -> WebhookSubscription? {
        let rows = try await client.query("SELECT \(unescaped: Self.columns) FROM webhook_subscriptions s WHERE s.id = \(id)", logger: logger)
        return try await rows.firstRow().map(Self.subscription)
    }

    /// Deletes a subscription: nothing is queued for it from now on, and queued deliveries that are
    /// still pending are not tried again. Its row and its deliveries stay, for the record.
    ///
    /// - Parameter organisationId: when given, only a subscription of this organisation is deleted.
    /// - Throws: ``StoreError/notFound`` when there is no such active subscription (of that organisation).
    public func delete(id: UUID, organisationId: String?, actor: RecordedBy) async throws {
        try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    UPDATE webhook_subscriptions SET deleted_at = now(), deleted_by = \(actor)
                    WHERE id = \(id) AND deleted_at IS NULL AND (\(organisationId)::text IS NULL OR organisation_id = \(organisationId)::text)
                    RETURNING organisation_id
                    """, logger: logger)
                guard let row = try await rows.firstRow() else { throw StoreError.notFound }
                let organisation = try row.decode(String.self)
                try await AuditLog.append(on: connection, actor: actor, action: "subscription.delete", subject: "subscription:\(id.uuidString.lowercased())",
                                          details: ["organisation": organisation], logger: logger)
            }
        }
    }

    /// Queues a delivery to be posted again at once, whatever its state; a failed one gets a new
    /// ``WebhookRetryPolicy/giveUpAfter`` from now. Its event and past tries are kept.
    ///
    /// - Throws: ``StoreError/notFound`` when the subscription has no such delivery.
    public func retry(deliveryId: UUID, subscriptionId: UUID, actor: RecordedBy) async throws {
        try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    UPDATE webhook_outbox SET delivered_at = NULL, failed_at = NULL, next_attempt_at = now(),
                        created_at = CASE WHEN failed_at IS NULL THEN created_at ELSE now() END
                    WHERE id = \(deliveryId) AND subscription_id = \(subscriptionId)
                    RETURNING id
                    """, logger: logger)
                guard try await rows.firstRow() != nil else { throw StoreError.notFound }
                try await AuditLog.append(on: connection, actor: actor, action: "subscription.retry",
                                          subject: "subscription:\(subscriptionId.uuidString.lowercased())",
                                          details: ["deliveryId": deliveryId.uuidString.lowercased()], logger: logger)
            }
        }
    }

    /// The deliveries queued for a subscription, newest first, each with its tries (oldest first).
    ///
    /// - Parameter limit: at most this many deliveries, 1–500.
    public func deliveries(subscriptionId: UUID, limit: Int = 100) async throws -> [WebhookOutboxEntry] {
        let rows = try await client.query(
            """
            SELECT o.id, o.subscription_id, o.event_id, o.type, o.created_at, o.next_attempt_at, o.delivered_at, o.failed_at,
                   coalesce(array_agg(a.at ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '{}'),
                   coalesce(array_agg(coalesce(a.status, 0) ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '{}'),
                   coalesce(array_agg(coalesce(a.error, '') ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '{}'),
                   coalesce(array_agg(a.duration_ms ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '{}')
            FROM webhook_outbox o LEFT JOIN webhook_attempts a ON a.outbox_id = o.id
            WHERE o.subscription_id = \(subscriptionId)
            GROUP BY o.id
            ORDER BY o.created_at DESC, o.id
            LIMIT \(max(1, min(limit, 500)))
            """, logger: logger)
        var result: [WebhookOutboxEntry] = []
        for try await (id, subscription, event, type, created, next, delivered, failed, ats, statuses, errors, durations) in rows.decode(
            (UUID, UUID, UUID, String, Date, Date, Date?, Date?, [Date], [Int32], [String], [Int32]).self) {
            let attempts = ats.indices.map { i in
                WebhookAttempt(at: ats[i], status: statuses[i] == 0 ? nil : Int(statuses[i]), error: errors[i].isEmpty ? nil : errors[i],
                               durationMs: Int(durations[i]))
            }
            let state: WebhookOutboxEntry.State = delivered != nil ? .delivered : failed != nil ? .failed : .pending
            result.append(WebhookOutboxEntry(id: id, subscriptionId: subscription, eventId: event, type: type, state: state, createdAt: created,
                                             nextAttemptAt: next, deliveredAt: delivered, failedAt: failed, attempts: attempts))
        }
        return result
    }

    static func filterColumns(_ filter: WebhookFilter) -> (UUID?, String?, Bool) {
        switch filter {
        case .none: (nil, nil, false)
        case .school(let id): (id, nil, false)
        case .municipality(let code): (nil, code.rawValue, false)
        case .contracted: (nil, nil, true)
        }
    }

    /// The columns ``subscription(_:)`` decodes, for the table aliased `s`. Never the secret.
    static let columns = """
        s.id, s.organisation_id, s.url, s.events, s.filter_school_id, s.filter_municipality_code, s.filter_contracted, s.created_at, s.recorded_by,
        s.deleted_at
        """

    static func subscription(_ row: PostgresRow) throws -> WebhookSubscription {
        let (id, organisation, url, events, school, municipality, contracted, createdAt, recordedBy, deletedAt) =
            try row.decode((UUID, String, String, [String], UUID?, String?, Bool, Date, String, Date?).self)
        var filter = WebhookFilter.none
        if contracted {
            filter = .contracted
        } else if let school {
            filter = .school(school)
        } else if let municipality {
            filter = .municipality(try parse(municipality, MunicipalityCode.init, column: "webhook_subscriptions.filter_municipality_code"))
        }
        return WebhookSubscription(
            id: id, organisationId: organisation, url: url,
            events: try events.map { try parse($0, WebhookEventType.init(rawValue:), column: "webhook_subscriptions.events") },
            filter: filter, createdAt: createdAt, recordedBy: recordedBy, deletedAt: deletedAt)
    }
}
