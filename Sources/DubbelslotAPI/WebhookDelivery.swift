import AsyncHTTPClient
public import DubbelslotCore
public import DubbelslotStore
import Crypto
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
public import ServiceLifecycle

/// Posts the events of the webhook outbox to their receivers, signed as the Standard Webhooks spec
/// asks, and retries failed posts with exponential backoff and jitter (``WebhookRetryPolicy``) until
/// 24 hours after the event, then marks the delivery failed.
///
/// Every ``interval`` it claims due rows (``WebhookOutbox/claimDue(limit:lease:)``: `FOR UPDATE SKIP
/// LOCKED` and a lease, in a short transaction of its own), posts them concurrently with no database
/// connection held, and settles each in another short transaction. So any number of instances can
/// run it side by side, and a delivery cut short by a crash or a shutdown is simply tried again when
/// its lease ends: receivers may see a `webhook-id` twice and must treat it as done (Standard
/// Webhooks, "Idempotency"). Nothing is queried once the task is cancelled.
///
/// Each post is a CloudEvents 1.0 structured-mode HTTP message (CloudEvents HTTP Protocol Binding,
/// §3.2: `Content-Type: application/cloudevents+json; charset=utf-8`, the envelope as body) with the
/// headers `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature` (``WebhookSignature``).
///
/// Before each post the receiver's host is resolved and every address checked against
/// ``addressPolicy`` (no private, loopback, link-local, metadata, multicast, CGNAT or unique-local
/// address); the connection is then pinned to the checked address (AsyncHTTPClient's `dnsOverride`,
/// which keeps the host name for TLS), and redirects are not followed, so neither a second lookup nor
/// a `Location` header can lead elsewhere. A refused address is recorded as a failed try.
public struct WebhookDelivery: Service {
    /// How often due rows are looked for. Defaults to `1` second.
    public var interval: Duration
    /// How long a receiver has to answer one post. Defaults to `10` seconds.
    public var timeout: Duration
    /// When to try again after a failure, and when to give up.
    public var policy: WebhookRetryPolicy
    /// At most this many rows per claim. Defaults to `20`.
    public var batchSize: Int
    /// Which addresses posts may connect to. Defaults to public addresses only.
    public var addressPolicy: WebhookAddressPolicy

    let store: Store
    let random: @Sendable () -> Double
    let logger: Logger

    /// - Parameters:
    ///   - store: the store whose outbox is delivered (its current client at each claim).
    ///   - addressPolicy: where posts may connect; `WebhookAddressPolicy(allowLoopback: true)` for
    ///     local receivers (`webhooks.allowInsecureLocalhost`).
    ///   - random: numbers in `0..<1` for the jitter; inject a constant in tests.
    public init(store: Store, policy: WebhookRetryPolicy = WebhookRetryPolicy(), addressPolicy: WebhookAddressPolicy = WebhookAddressPolicy(),
                interval: Duration = .seconds(1), timeout: Duration = .seconds(10), batchSize: Int = 20,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, logger: Logger) {
        self.store = store
        self.addressPolicy = addressPolicy
        self.policy = policy
        self.interval = interval
        self.timeout = timeout
        self.batchSize = batchSize
        self.random = random
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation; errors are logged and the next round tries again.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var claimed = 0
                do {
                    claimed = try await deliverDue()
                } catch let error where !Task.isCancelled {
                    logger.warning("webhook delivery: \(String(reflecting: error))")
                } catch {}
                // A full batch suggests more are due: claim again at once.
                if claimed < batchSize { try? await Task.sleep(for: interval) }
            }
        }
    }

    /// Claims the due rows once, posts them and records each try.
    ///
    /// - Returns: how many rows were claimed.
    /// - Throws: the store's error when claiming fails; a failed post is recorded, not thrown.
    @discardableResult
    public func deliverDue() async throws -> Int {
        guard !Task.isCancelled else { return 0 }
        // The lease outlasts a post (connect and answer, each within the timeout) and the recording of
        // its try, so no other instance takes a row still being posted; an instance that died holds
        // its rows no longer than this.
        let lease = Double(timeout.components.seconds) * 3 + 5
        let batch = try await store.webhookOutbox.claimDue(limit: batchSize, lease: lease)
        await withTaskGroup(of: Void.self) { group in
            for webhook in batch {
                group.addTask { await deliver(webhook) }
            }
        }
        return batch.count
    }

    /// Posts one claimed row and settles it; after cancellation it is left to its lease.
    private func deliver(_ webhook: ClaimedWebhook) async {
        let clock = ContinuousClock()
        let started = clock.now
        var status: Int?
        var failure: String?
        do {
            status = try await post(webhook)
        } catch {
            failure = Self.describe(error)
        }
        guard !Task.isCancelled else { return }
        let elapsed = clock.now - started
        let durationMs = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let retryAfter = policy.delay(afterAttempts: webhook.attempts + 1, random: random())
        do {
            try await store.webhookOutbox.recordAttempt(id: webhook.id, status: status, error: failure, durationMs: durationMs,
                                                        retryAfter: retryAfter, giveUpAfter: policy.giveUpAfter)
        } catch where !Task.isCancelled {
            logger.warning("webhook delivery: the try could not be recorded: \(String(reflecting: error))",
                           metadata: ["outboxId": "\(webhook.id)"])
        } catch {}
    }

    /// Checks the receiver's addresses, then posts the body with the Standard Webhooks headers over a
    /// connection pinned to the checked address, following no redirect.
    /// - Returns: the receiver's HTTP status.
    /// - Throws: ``WebhookAddressRefusal`` for a refused address; the client's error (refused
    ///   connection, timeout, unknown host); ``WebhookDeliveryError`` for an unusable secret or URL.
    private func post(_ webhook: ClaimedWebhook) async throws -> Int {
        guard let key = WebhookSignature.key(fromSecret: webhook.secret) else { throw WebhookDeliveryError("the subscription's secret is unusable") }
        guard let url = URL(string: webhook.url), let host = url.host, let scheme = url.scheme?.lowercased() else {
            throw WebhookDeliveryError("the subscription's URL is unusable")
        }
        let address = try await addressPolicy.resolve(host: host, port: url.port ?? (scheme == "https" ? 443 : 80))
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(timeout.components.seconds)))
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        if (try? SocketAddress(ipAddress: bare, port: 0)) == nil, let ip = address.ipAddress {
            configuration.dnsOverride = [host: ip]
        }
        // A client per post (shut down when it returns): the pinned address is a client setting, not a request's.
        return try await HTTPClient.withHTTPClient(configuration: configuration) { client in
            try await send(webhook, key: key, with: client)
        }
    }

    private func send(_ webhook: ClaimedWebhook, key: SymmetricKey, with client: HTTPClient) async throws -> Int {
        let body = Data(webhook.body.utf8)
        let id = webhook.eventId.uuidString.lowercased()
        let timestamp = Int64(Date().timeIntervalSince1970)
        var request = HTTPClientRequest(url: webhook.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/cloudevents+json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: "Dubbelslot-Webhooks")
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(name: "webhook-signature", value: WebhookSignature.sign(id: id, timestamp: timestamp, body: body, key: key))
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .seconds(timeout.components.seconds))
        // The answer's body means nothing to us; read a little of it so the connection closes cleanly.
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return Int(response.status.code)
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? WebhookAddressRefusal { return error.description }
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout { return "timed out" }
            return "HTTP client: \(error)"
        }
        return String(describing: error)
    }
}

/// Why a post could not be sent at all.
public struct WebhookDeliveryError: Error, CustomStringConvertible {
    /// Why, in one line (no secret, no body).
    public let description: String
    init(_ description: String) { self.description = description }
}
