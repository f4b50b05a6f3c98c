public import Testing

/// Starts the test cluster (``TestCluster/shared``) before any test of the suite it marks runs, so
/// that a missing or broken PostgreSQL is one failure of that suite naming the cause, and not one
/// failure per test.
///
/// Put it on a target's root suite; the tests still get their own database from
/// ``withTestDatabase(_:)``:
///
/// ```swift
/// @Suite(.testCluster) struct StoreTests {}
///
/// extension StoreTests {
///     @Suite struct SignalRepositoryTests { ... }
/// }
/// ```
///
/// The cluster starts once per test process, whichever suite asks first; a cluster that failed to
/// start is not tried again.
public struct TestClusterTrait: SuiteTrait, TestScoping {
    /// Applied once, around the whole suite and every suite nested in it.
    public var isRecursive: Bool { false }

    /// Starts the cluster, then runs the suite; when the cluster does not start, the suite's tests do
    /// not run and the suite fails with ``TestClusterUnavailable``.
    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        do {
            try await TestCluster.shared.start()
        } catch {
            throw TestClusterUnavailable(underlying: error)
        }
        try await function()
    }
}

extension Trait where Self == TestClusterTrait {
    /// Starts the shared test cluster once before the suite runs (``TestClusterTrait``).
    public static var testCluster: Self { TestClusterTrait() }
}

/// The test cluster did not start, so no test that needs a database ran.
public struct TestClusterUnavailable: Error, CustomStringConvertible {
    /// What went wrong starting the server or migrating the template database.
    public let underlying: any Error

    public var description: String {
        """
        The test PostgreSQL did not start, so none of this suite's tests ran: \(String(reflecting: underlying)). \
        The tests start a throwaway cluster with the PostgreSQL server programs (`bash Tests/setup.sh` installs \
        them; `DUBBELSLOT_PG_BINDIR` names their folder), or use the server whose socket folder \
        `DUBBELSLOT_TEST_SOCKET_DIR` names.
        """
    }
}
