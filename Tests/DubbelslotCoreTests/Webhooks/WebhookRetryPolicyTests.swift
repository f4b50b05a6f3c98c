import DubbelslotCore
import Testing

extension CoreTests {
    @Suite("Webhook retry policy")
    struct WebhookRetryPolicyTests {
        @Test("the wait doubles from 5 seconds, stops growing at an hour, and varies by at most 20 % either way")
        func backoff() {
            let policy = WebhookRetryPolicy()
            #expect([1, 2, 3, 4].map { policy.delay(afterAttempts: $0, random: 0.5) } == [5, 10, 20, 40])
            #expect(policy.delay(afterAttempts: 20, random: 0.5) == 3600)
            #expect(policy.delay(afterAttempts: 1_000, random: 0.5) == 3600, "no overflow however many tries")
            #expect(policy.delay(afterAttempts: 1, random: 0) == 4)
            #expect(policy.delay(afterAttempts: 1, random: 0.999_999) < 6.0001)
            #expect(policy.giveUpAfter == 86_400)
        }
    }
}
