import DubbelslotTestSupport
import Testing

/// The tests of DubbelslotStore against a real PostgreSQL: the migrations and the schema's
/// constraints, the repositories, the imports, the audit log, retention and the embedded cluster.
/// Every suite of this target is nested in this one, in a file that mirrors the source file it tests
/// (Tests/README.md). `.testCluster` starts the test cluster before any of them runs, so a missing
/// or broken PostgreSQL fails here once; each test still takes a database of its own with
/// `withTestDatabase`.
@Suite(.testCluster) struct StoreTests {}
