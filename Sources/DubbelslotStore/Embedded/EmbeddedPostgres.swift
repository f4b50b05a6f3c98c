public import Foundation
public import Logging
public import PostgresNIO
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private PostgreSQL cluster for tests and local runs: Unix socket only, trust authentication,
/// up to 300 connections. A persistent cluster (the one `dubbelslot serve` starts) keeps PostgreSQL's
/// durable defaults, so a 201 means the write is on disk; only a temporary cluster (the tests'
/// throwaway ones) runs with `fsync`, `synchronous_commit` and `full_page_writes` off.
///
/// The server runs as a child process. When this process runs as root (CI does), the programs run as
/// the `postgres` OS user through `runuser`, because PostgreSQL refuses root, and the cluster lives
/// under `/tmp` so that user can reach it (shared/SWIFT-NOTES.md, gotcha 2). The server never
/// outlives this process: ``stop()`` runs at `exit`, and a small watchdog shell stops the server
/// within about a second when this process dies any other way.
///
/// ```swift
/// let server = try await EmbeddedPostgres.start(dataDirectory: nil, logger: logger)
/// try await server.createDatabase("dubbelslot")
/// let client = PostgresClient(configuration: server.clientConfiguration(database: "dubbelslot"))
/// ```
public final class EmbeddedPostgres: Sendable {
    /// The folder holding the server's socket; a fresh temporary folder, removed on ``stop()``.
    ///
    /// Under `/tmp` as root; PostgreSQL's own socket lock file sits beside the socket.
    public let socketDirectory: String
    /// The data directory (`PGDATA`).
    public let dataDirectory: String
    /// The superuser to connect as: `postgres`, without a password.
    public let username = "postgres"

    /// The folder removed on ``stop()``: the socket folder, `initdb`'s log and, when temporary, the cluster.
    let scratchDirectory: String
    let isTemporary: Bool
    let logFile: String
    let logger: Logger
    let state: Mutex<ServerState>

    struct ServerState: ~Copyable {
        var server: Process?
        var watchdog: Process?
        var postmasterPID: Int32?
        var stopped = false
    }

    /// The socket file to connect to: `<socketDirectory>/.s.PGSQL.5432` (PostgresNIO wants the file, not the folder).
    public var socketPath: String { socketDirectory + "/.s.PGSQL.5432" }

    init(socketDirectory: String, dataDirectory: String, scratchDirectory: String, isTemporary: Bool, logFile: String, logger: Logger) {
        self.socketDirectory = socketDirectory
        self.dataDirectory = dataDirectory
        self.scratchDirectory = scratchDirectory
        self.isTemporary = isTemporary
        self.logFile = logFile
        self.logger = logger
        self.state = Mutex(ServerState())
    }

    /// Creates (`initdb`) and starts a cluster, and waits until it accepts connections.
    ///
    /// About a second for a new cluster on a 2-core machine.
    /// - Parameters:
    ///   - dataDirectory: `nil` for a temporary cluster, removed on ``stop()``; otherwise a persistent
    ///     cluster there, created when the folder holds no `PG_VERSION` yet and reused when it does.
    ///   - logger: startup and shutdown are logged at debug level. The server's own log is
    ///     `<dataDirectory>/../postgres.log` for a temporary cluster, `<dataDirectory>.log` otherwise.
    /// - Throws: ``EmbeddedPostgresError`` when the programs are missing, `initdb` or the server
    ///   fails, or the server is not ready within 30 seconds.
    public static func start(dataDirectory: URL?, logger: Logger) async throws -> EmbeddedPostgres {
        let binaries = try PostgresBinaries.locate()
        let runAs = try ProcessRunner.serverUser()
        let scratch = try ProcessRunner.makeScratchDirectory(owner: runAs)
        let data = dataDirectory?.standardizedFileURL.path ?? scratch + "/data"
        let logFile = dataDirectory == nil ? scratch + "/postgres.log" : data + ".log"
        let socketDirectory = scratch + "/socket"
        try FileManager.default.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
        try ProcessRunner.chown(socketDirectory, to: runAs)
        let server = EmbeddedPostgres(socketDirectory: socketDirectory, dataDirectory: data, scratchDirectory: scratch,
                                      isTemporary: dataDirectory == nil, logFile: logFile, logger: logger)
        do {
            if !FileManager.default.fileExists(atPath: data + "/PG_VERSION") {
                try await server.initialize(binaries: binaries, runAs: runAs)
            } else {
                try ProcessRunner.chownTree(data, to: runAs)
            }
            try await server.launch(binaries: binaries, runAs: runAs)
        } catch {
            server.stop()
            throw error
        }
        EmbeddedPostgresRegistry.register(server)
        logger.debug("embedded PostgreSQL ready", metadata: ["socket": "\(server.socketPath)", "data": "\(data)"])
        return server
    }

    /// Runs `initdb` into ``dataDirectory``.
    private func initialize(binaries: PostgresBinaries, runAs: ProcessRunner.User?) async throws {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        try ProcessRunner.chown(dataDirectory, to: runAs)
        #if os(Linux)
        let locale = "C.UTF-8"
        #else
        let locale = "en_US.UTF-8"
        #endif
        let log = scratchDirectory + "/initdb.log"
        let status = try await ProcessRunner.run(
            binaries.initdb,
            ["--auth=trust", "-E", "UTF8", "--locale=\(locale)", "--lc-messages=C", "-U", username, "-D", dataDirectory]
                + (isTemporary ? ["--no-sync"] : []),
            as: runAs, log: log)
        guard status == 0 else {
            throw EmbeddedPostgresError.commandFailed(command: "initdb", status: status, log: ProcessRunner.tail(of: log))
        }
    }

    /// Starts the server, waits until `postmaster.pid` says ready, then starts the watchdog.
    func launch(binaries: PostgresBinaries, runAs: ProcessRunner.User?) async throws {
        // Durability off only where losing everything at a crash costs nothing: a throwaway test cluster.
        let settings = ["listen_addresses=", "max_connections=300", "unix_socket_permissions=0777", "log_min_messages=warning"]
            + (isTemporary ? ["fsync=off", "synchronous_commit=off", "full_page_writes=off"] : [])
        let arguments = ["-D", dataDirectory, "-k", socketDirectory] + settings.flatMap { ["-c", $0] }
        let process = try ProcessRunner.spawn(binaries.postgres, arguments, as: runAs, log: logFile)
        state.withLock { $0.server = process }
        let timeout = 30
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if !process.isRunning {
                throw EmbeddedPostgresError.commandFailed(command: "postgres", status: process.terminationStatus,
                                                          log: ProcessRunner.tail(of: logFile))
            }
            if let pid = readyPostmasterPID(), FileManager.default.fileExists(atPath: socketPath) {
                let watchdog = try ProcessRunner.spawnWatchdog(
                    postmasterPID: pid, signal: isTemporary ? "QUIT" : "INT", removing: scratchDirectory)
                state.withLock {
                    $0.postmasterPID = pid
                    $0.watchdog = watchdog
                }
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw EmbeddedPostgresError.startTimedOut(seconds: timeout, log: ProcessRunner.tail(of: logFile))
    }

    /// The postmaster's pid once `postmaster.pid` reports status `ready` or `standby` (line 8), else `nil`.
    private func readyPostmasterPID() -> Int32? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // `standby`: a hot standby accepting read-only connections.
        guard lines.count >= 8, ["ready", "standby"].contains(lines[7].trimmingCharacters(in: .whitespaces)) else { return nil }
        return Int32(lines[0].trimmingCharacters(in: .whitespaces))
    }

    /// Ends the server as a crash would (`pg_ctl stop -m immediate`: SIGQUIT to the postmaster, no
    /// checkpoint, every backend gone at once) and waits until it is gone; ``stop()`` then cleans up.
    /// For tests of what survives a crash: a later ``start(dataDirectory:logger:)`` recovers from the WAL.
    public func crash() {
        guard let pid = state.withLock({ $0.postmasterPID }) else { return }
        kill(pid, SIGQUIT)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, kill(pid, 0) == 0 { usleep(20_000) }
    }

    /// Starts the server again after ``crash()``, on the same data and the same socket, as a database
    /// that comes back after an outage: for tests of what clients do then.
    public func restartAfterCrash() async throws {
        state.withLock { $0.watchdog }?.terminate()
        try await launch(binaries: try PostgresBinaries.locate(), runAs: try ProcessRunner.serverUser())
    }

    /// Stops the server and removes the temporary folders; safe to call more than once.
    ///
    /// A temporary cluster gets an immediate shutdown (`SIGQUIT`: nothing to keep), a persistent one
    /// a fast shutdown (`SIGINT`: a clean checkpoint). Waits up to 10 seconds for the server to exit.
    public func stop() {
        let signal = isTemporary ? SIGQUIT : SIGINT
        let (server, watchdog, pid, wasStopped) = state.withLock { s in
            defer { s.stopped = true }
            return (s.server, s.watchdog, s.postmasterPID, s.stopped)
        }
        guard !wasStopped else { return }
        if let pid { kill(pid, signal) } else { server?.terminate() }
        // As root, `server` is runuser, which reaps the postmaster and exits; otherwise it is the postmaster.
        func running() -> Bool { server?.isRunning == true && (pid.map({ kill($0, 0) == 0 }) ?? true) }
        var deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, running() { usleep(20_000) }
        // Fast shutdown waits for nothing but can be held up (a backend stuck in I/O): then the immediate
        // one (SIGQUIT), which the next start recovers from with the WAL, so the process never outlives us.
        if running(), let pid {
            logger.warning("embedded PostgreSQL did not stop in 10 s; stopping it immediately", metadata: ["pid": "\(pid)"])
            kill(pid, SIGQUIT)
            deadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < deadline, running() { usleep(20_000) }
        }
        if watchdog?.isRunning == true { watchdog?.terminate() }
        try? FileManager.default.removeItem(atPath: scratchDirectory)
        EmbeddedPostgresRegistry.unregister(self)
        logger.debug("embedded PostgreSQL stopped", metadata: ["data": "\(dataDirectory)"])
    }

    /// A client configuration for `database` on this cluster: the Unix socket, user `postgres`, no password, no TLS.
    public func clientConfiguration(database: String) -> PostgresClient.Configuration {
        PostgresClient.Configuration(unixSocketPath: socketPath, username: username, password: nil, database: database)
    }
}
