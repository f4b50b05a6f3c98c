public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// An outbox row claimed for delivery: what to post, where, and with which key.
public struct ClaimedWebhook: Sendable, Hashable {
    /// The outbox row's id.
    public var id: UUID
    /// The CloudEvents `id`, sent as `webhook-id`.
    public var eventId: UUID
    /// The receiver's URL.
    public var url: String
    /// The subscription's signing secret, `whsec_` + base64 of the key.
    public var secret: String
    /// The body to post: the CloudEvents structured JSON envelope, exactly as signed.
    public var body: String
    /// Tries before this one.
    public var attempts: Int
    /// Seconds since the event was queued, when it was claimed.
    public var ageSeconds: Double
}

/// The webhook outbox (`webhook_outbox`, `webhook_attempts`, sql/0038): events are queued in the
/// writing transaction (``enqueue(on:type:schoolId:audience:dataref:data:logger:)``), then claimed and settled
/// by the delivery service in short transactions of their own.
///
/// A claim leases the rows (moves `next_attempt_at` forward) and commits before anything is posted,
/// so no connection is held during HTTP calls; a delivery interrupted by a crash is tried again when
/// its lease ends. Receivers may therefore get an event twice and must be idempotent on `webhook-id`
/// (Standard Webhooks spec, "Idempotency").
public struct WebhookOutbox: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Usually reached through ``Store``; the client must be running.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Queues one event about a school for every active subscription of the `audience` whose `events`
    /// contain `type` and whose filter matches the school, on `connection` inside the caller's
    /// transaction, so the event exists exactly when the change commits.
    ///
    /// A filter matches: none, always; a school, its id; a municipality, the school's
    /// `municipality_code`; "contracted", when the subscription's organisation holds a procurement
    /// check on the school decided `proceed` whose contract period (`contract_from` through
    /// `contract_to`, open-ended when that is `NULL`) runs on the transaction's date in
    /// Europe/Amsterdam (sql/0040). An event about no school (`schoolId` `nil`) reaches only
    /// subscriptions without a filter.
    ///
    /// The payload is a CloudEvents 1.0 structured JSON envelope (NL GOV profile for CloudEvents):
    /// `specversion` "1.0", `id` (one UUID for all subscriptions), `source` "/dubbelslot", `type`,
    /// `subject` the school id (absent for an event about no school), `time` the transaction's `now()`
    /// in RFC 3339 UTC, `datacontenttype` "application/json", `dataref` and `data`. No audit entry:
    /// the caller's change has its own.
    /// - Parameters:
    ///   - schoolId: the school the event is about; `nil` for none (a signal not linked to a school).
    ///   - audience: who may hear of it at all, before filters; defaults to ``WebhookAudience/everyone``.
    ///   - dataref: the API path of the resource, such as `/v1/schools/{id}/quality-mark-decisions`.
    ///   - data: ids, statuses and dates only, never free text; only what every receiver in `audience` may read.
    /// - Returns: how many subscriptions it was queued for.
    @discardableResult
    public static func enqueue(on connection: PostgresConnection, type: WebhookEventType, schoolId: UUID?,
                               audience: WebhookAudience = .everyone, dataref: String,
                               data: [String: String], logger: Logger) async throws -> Int {
        let dataJSON = String(decoding: try JSONSerialization.data(withJSONObject: data, options: [.sortedKeys]), as: UTF8.self)
        let eventId = UUID()
        let (organisation, roles) = audience.columns
        let rows = try await connection.query(
            """
            INSERT INTO webhook_outbox (subscription_id, event_id, type, payload)
            SELECT s.id, \(eventId), \(type.rawValue),
                   jsonb_strip_nulls(jsonb_build_object(
                       'specversion', '1.0', 'id', \(eventId.uuidString.lowercased())::text, 'source', '/dubbelslot',
                       'type', \(type.rawValue)::text, 'subject', sc.id::text,
                       'time', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                       'datacontenttype', 'application/json', 'dataref', \(dataref)::text, 'data', \(dataJSON)::jsonb))
            FROM webhook_subscriptions s LEFT JOIN schools sc ON sc.id = \(schoolId)::uuid
            WHERE s.deleted_at IS NULL AND s.events @> ARRAY[\(type.rawValue)::text]
              AND (\(organisation)::text IS NULL OR s.organisation_id = \(organisation)::text)
              AND (\(roles)::text[] IS NULL OR EXISTS (
                       SELECT 1 FROM api_tokens t
                       WHERE t.organisation_id = s.organisation_id AND t.role = ANY(\(roles)::text[])
                         AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())))
              AND (s.filter_school_id IS NULL OR s.filter_school_id = sc.id)
              AND (s.filter_municipality_code IS NULL OR s.filter_municipality_code = sc.municipality_code)
              AND (NOT s.filter_contracted OR EXISTS (
                       SELECT 1 FROM procurement_checks pc
                       JOIN procurement_decisions pd ON pd.check_id = pc.id AND pd.decision = 'proceed'
                       WHERE pc.school_id = sc.id AND pc.municipality_code = s.organisation_id
                         AND pc.contract_from <= (now() AT TIME ZONE 'Europe/Amsterdam')::date
                         AND (pc.contract_to IS NULL OR pc.contract_to >= (now() AT TIME ZONE 'Europe/Amsterdam')::date)))
            RETURNING 1
            """, logger: logger)
        return try await rows.collect().count
    }

    /// Claims up to `limit` due deliveries of active subscriptions (`FOR UPDATE SKIP LOCKED`, so
    /// instances never claim the same row) and leases them for `lease` seconds, in one short transaction.
    ///
    /// - Parameters:
    ///   - limit: at most this many rows, 1–100.
    ///   - lease: seconds before an unsettled claim is due again; longer than a delivery's timeout.
    public func claimDue(limit: Int, lease: Double) async throws -> [ClaimedWebhook] {
        try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                WITH due AS (
                    SELECT o.id FROM webhook_outbox o
                    WHERE o.delivered_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= now()
                    ORDER BY o.next_attempt_at
                    LIMIT \(max(1, min(limit, 100)))
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE webhook_outbox o SET next_attempt_at = now() + make_interval(secs => \(lease))
                FROM due, webhook_subscriptions s
                WHERE o.id = due.id AND s.id = o.subscription_id AND s.deleted_at IS NULL
                RETURNING o.id, o.event_id, s.url, s.secret, o.payload::text, o.attempts,
                          extract(epoch FROM now() - o.created_at)::float8
                """, logger: logger)
            var result: [ClaimedWebhook] = []
            for try await (id, event, url, secret, body, attempts, age) in rows.decode((UUID, UUID, String, String, String, Int32, Double).self) {
                result.append(ClaimedWebhook(id: id, eventId: event, url: url, secret: secret, body: body, attempts: Int(attempts), ageSeconds: age))
            }
            return result
        }
    }

    /// Records one try and settles the row, in one short transaction: delivered on a 2xx; otherwise
    /// due again after `retryAfter` seconds, or failed when that would pass `giveUpAfter` seconds
    /// after the event was queued.
    ///
    /// - Parameters:
    ///   - status: the receiver's HTTP status; `nil` when none came.
    ///   - error: why the try did not succeed; cut to 1000 characters.
    ///   - durationMs: how long the try took, in milliseconds.
    public func recordAttempt(id: UUID, status: Int?, error: String?, durationMs: Int, retryAfter: Double, giveUpAfter: Double) async throws {
        let delivered = status.map { (200..<300).contains($0) } ?? false
        let error = error.map { String($0.prefix(1000)) } ?? (delivered ? nil : "HTTP \(status ?? 0)")
        let statusValue = status.map(Int32.init)
        try await client.withTransaction(logger: logger) { connection in
            _ = try await connection.query(
                """
                INSERT INTO webhook_attempts (outbox_id, status, error, duration_ms)
                VALUES (\(id), \(statusValue)::int4, \(error)::text, \(Int32(clamping: max(0, durationMs))))
                """, logger: logger).collect()
            _ = try await connection.query(
                """
                UPDATE webhook_outbox SET
                    attempts = attempts + 1, last_status = \(statusValue)::int4, last_error = \(error)::text,
                    delivered_at = CASE WHEN \(delivered) THEN now() END,
                    failed_at = CASE WHEN NOT \(delivered) AND now() + make_interval(secs => \(retryAfter)) > created_at + make_interval(secs => \(giveUpAfter))
                                     THEN now() END,
                    next_attempt_at = now() + make_interval(secs => \(retryAfter))
                WHERE id = \(id)
                """, logger: logger).collect()
        }
    }
}
