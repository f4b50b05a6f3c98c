/// When to try a webhook delivery again: exponential backoff with jitter, for a limited time.
///
/// The Standard Webhooks spec recommends retrying failed deliveries with exponential backoff for
/// about a day; the jitter spreads the retries of many events that failed at once.
public struct WebhookRetryPolicy: Sendable, Hashable {
    /// The wait after the first failed try, in seconds. Defaults to `5`.
    public var base: Double
    /// The longest wait between tries, in seconds. Defaults to `3600` (1 hour).
    public var cap: Double
    /// The fraction the wait varies by, either way (0.2: ±20 %). Defaults to `0.2`.
    public var jitter: Double
    /// How long after the event tries stop and the delivery is marked failed, in seconds. Defaults to `86400` (24 hours).
    public var giveUpAfter: Double

    /// A policy; the defaults are Dubbelslot's (5 s doubling to at most 1 hour, ±20 %, for 24 hours).
    public init(base: Double = 5, cap: Double = 3600, jitter: Double = 0.2, giveUpAfter: Double = 86_400) {
        self.base = base
        self.cap = cap
        self.jitter = jitter
        self.giveUpAfter = giveUpAfter
    }

    /// The wait in seconds after the `attempts`-th failed try (1 for the first): `base · 2^(attempts−1)`,
    /// at most `cap`, times `1 + jitter · (2·random − 1)`.
    ///
    /// - Parameter random: a number in `0..<1` (injected, so tests are repeatable).
    public func delay(afterAttempts attempts: Int, random: Double) -> Double {
        let exponent = Double(max(0, min(attempts - 1, 30)))
        let wait = min(cap, base * Double(1 << Int(exponent)))
        return max(0, wait * (1 + jitter * (2 * random - 1)))
    }
}
