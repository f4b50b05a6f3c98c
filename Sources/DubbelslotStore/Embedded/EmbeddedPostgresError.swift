/// Why a throwaway PostgreSQL cluster could not be started or used.
public struct EmbeddedPostgresError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Value: Hashable, Sendable {
        case binariesNotFound(searched: [String])
        case noPostgresUser
        case commandFailed(command: String, status: Int32, log: String)
        case startTimedOut(seconds: Int, log: String)
        case invalidDatabaseName(String)
    }

    private let value: Value

    private init(_ value: Value) { self.value = value }

    /// `initdb` and `postgres` were not found in any of the searched folders.
    public static func binariesNotFound(searched: [String]) -> EmbeddedPostgresError { .init(.binariesNotFound(searched: searched)) }

    /// Running as root, but there is no `postgres` OS user to run the server as.
    public static var noPostgresUser: EmbeddedPostgresError { .init(.noPostgresUser) }

    /// A command (`initdb`, `postgres`) exited with a failure; `log` is the end of its output.
    public static func commandFailed(command: String, status: Int32, log: String) -> EmbeddedPostgresError {
        .init(.commandFailed(command: command, status: status, log: log))
    }

    /// The server did not report ready in time; `log` is the end of the server log.
    public static func startTimedOut(seconds: Int, log: String) -> EmbeddedPostgresError {
        .init(.startTimedOut(seconds: seconds, log: log))
    }

    /// A database name that is not a plain lowercase identifier (`[a-z_][a-z0-9_]*`, at most 63 bytes).
    public static func invalidDatabaseName(_ name: String) -> EmbeddedPostgresError { .init(.invalidDatabaseName(name)) }

    /// What went wrong and what to do, in English.
    public var description: String {
        switch value {
        case .binariesNotFound(let searched):
            "PostgreSQL server binaries (initdb, postgres) not found in \(searched.joined(separator: ", ")). Install them (apt-get install -y postgresql postgresql-contrib) or set DUBBELSLOT_PG_BINDIR."
        case .noPostgresUser:
            "PostgreSQL refuses to run as root and there is no 'postgres' OS user to run it as. Create one (the Debian postgresql package does) or run as another user."
        case .commandFailed(let command, let status, let log):
            "\(command) exited with status \(status):\n\(log)"
        case .startTimedOut(let seconds, let log):
            "PostgreSQL did not become ready within \(seconds) s:\n\(log)"
        case .invalidDatabaseName(let name):
            "'\(name)' is not a plain database name: use lowercase letters, digits and _, starting with a letter or _, at most 63 bytes."
        }
    }
}
