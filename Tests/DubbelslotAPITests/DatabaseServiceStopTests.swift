@testable import DubbelslotAPI
import Foundation
import Testing

/// The shutdown of `DatabaseService` is bounded: a connection pool that does not return from `run()`
/// after cancellation (seen with PostgresNIO after a load run) must not hold the process.
@Suite struct DatabaseServiceStopTests {
    @Test func aTaskThatEndsIsSeenToEnd() async {
        let quick = Task<Void, Never> { try? await Task.sleep(for: .milliseconds(10)) }
        #expect(await DatabaseService.ends(quick, within: .seconds(30)))
    }

    @Test func aTaskThatNeverEndsIsLeftAfterTheBound() async {
        // Ignores cancellation, as the pool did: waits for a continuation nobody resumes.
        let stuck = Task<Void, Never> { await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in } }
        stuck.cancel()
        let start = ContinuousClock.now
        #expect(await DatabaseService.ends(stuck, within: .milliseconds(200)) == false)
        #expect(ContinuousClock.now - start < .seconds(20), "returned at the bound, not when the task ended")
    }
}
