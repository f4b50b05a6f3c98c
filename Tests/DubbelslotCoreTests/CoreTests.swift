import Testing

/// The tests of DubbelslotCore: the rules that need neither a database nor a service (identifiers
/// and dates, import rules, the quality-mark lifecycle, the signal workflow, the risk model and its
/// assessor, the webhook retry policy). Every suite of this target is nested in this one, in a file
/// that mirrors the source file it tests (Tests/README.md).
@Suite struct CoreTests {}
