import DubbelslotTestSupport
import Testing

/// The tests of DubbelslotAPI: the HTTP service against a real PostgreSQL, through its contract
/// (handlers, middleware, access policy, web pages, webhooks, replicas, killed processes). Every
/// suite of this target is nested in this one, in a file that mirrors the source file it tests
/// (Tests/README.md). `.testCluster` starts the test cluster before any of them runs, so a missing
/// or broken PostgreSQL fails here once; each test still takes a database of its own with
/// `withTestDatabase` or `withAPI`.
@Suite(.testCluster) struct APITests {}
