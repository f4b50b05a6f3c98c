import Testing

/// The tests of DubbelslotReport: the risk report's own rules (table layout, terminal width, the
/// renderer), without a service or a database. Every suite of this target is nested in this one, in
/// a file that mirrors the source file it tests (Tests/README.md).
@Suite struct ReportTests {}
