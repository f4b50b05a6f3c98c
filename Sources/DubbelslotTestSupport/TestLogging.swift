import Foundation
public import Logging

/// The logger test helpers use: label `dubbelslot.test`, level from `$DUBBELSLOT_TEST_LOG_LEVEL`
/// (`trace` … `critical`), `warning` by default so that a passing run stays quiet.
public enum TestLogging {
    public static let logger: Logger = {
        var logger = Logger(label: "dubbelslot.test")
        let level = ProcessInfo.processInfo.environment["DUBBELSLOT_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        logger.logLevel = level ?? .warning
        return logger
    }()
}
