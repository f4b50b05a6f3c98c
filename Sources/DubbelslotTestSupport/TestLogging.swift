import Foundation
public import Logging

/// The logger test helpers use: label `dubbelslot.test`, level from `$DUBBELSLOT_TEST_LOG_LEVEL`
/// (`trace` … `critical`), `warning` by default so that a passing run stays quiet.
public enum TestLogging {
    static let configuredLevel = ProcessInfo.processInfo.environment["DUBBELSLOT_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))

    /// For test code and helpers.
    public static let logger: Logger = {
        var logger = Logger(label: "dubbelslot.test")
        logger.logLevel = configuredLevel ?? .warning
        return logger
    }()

    /// The background logger of test clients: `error` unless `$DUBBELSLOT_TEST_LOG_LEVEL` says otherwise.
    ///
    /// PostgresNIO warns when a query asks for a connection before `run()` has started; in a test
    /// that starts `run()` in a task group just before the first query that is a harmless race.
    public static let clientLogger: Logger = {
        var logger = Logger(label: "dubbelslot.test.client")
        logger.logLevel = configuredLevel ?? .error
        return logger
    }()
}
