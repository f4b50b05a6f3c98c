import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Running the PostgreSQL programs: as the `postgres` OS user when this process is root.
enum ProcessRunner {
    /// An OS user to run the server as.
    struct User: Sendable {
        let name: String
        let uid: uid_t
        let gid: gid_t
    }

    /// `postgres` when running as root (PostgreSQL refuses root), `nil` (this process's user) otherwise.
    ///
    /// - Throws: ``EmbeddedPostgresError/noPostgresUser`` as root without a `postgres` user.
    static func serverUser() throws -> User? {
        guard geteuid() == 0 else { return nil }
        guard let entry = getpwnam("postgres") else { throw EmbeddedPostgresError.noPostgresUser }
        return User(name: "postgres", uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// A new empty folder owned by `owner`: under `/tmp` as root (so that `postgres` can reach it),
    /// else under the user's temporary folder; short, because a socket path has at most 107 bytes.
    static func makeScratchDirectory(owner: User?) throws -> String {
        let base = owner == nil ? FileManager.default.temporaryDirectory.path : "/tmp"
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let path = (base.hasSuffix("/") ? base : base + "/") + "dubbelslot-pg-" + suffix
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try chown(path, to: owner)
        return path
    }

    /// Gives `path` to `user`; nothing when `user` is `nil`.
    static func chown(_ path: String, to user: User?) throws {
        guard let user else { return }
        #if canImport(Glibc)
        let status = Glibc.chown(path, user.uid, user.gid)
        #else
        let status = Darwin.chown(path, user.uid, user.gid)
        #endif
        guard status == 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// Gives `path` and everything below it to `user`; nothing when `user` is `nil`.
    static func chownTree(_ path: String, to user: User?) throws {
        guard let user else { return }
        try chown(path, to: user)
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let relative = enumerator?.nextObject() as? String {
            _ = lchown(path + "/" + relative, user.uid, user.gid)
        }
    }

    /// Runs `executable` to completion, output to `log`, and returns its exit status.
    static func run(_ executable: URL, _ arguments: [String], as user: User?, log: String) async throws -> Int32 {
        let process = try makeProcess(executable, arguments, as: user, log: log)
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }

    /// Starts `executable` as a long-running child, output to `log`.
    static func spawn(_ executable: URL, _ arguments: [String], as user: User?, log: String) throws -> Process {
        let process = try makeProcess(executable, arguments, as: user, log: log)
        try process.run()
        return process
    }

    /// Starts a shell that waits for this process to end, then shuts the server down (`signal`:
    /// `QUIT` immediate, `INT` fast) and removes `folder`. Covers deaths that skip `atexit`
    /// (`SIGKILL`, a crash); it polls once a second.
    static func spawnWatchdog(postmasterPID: Int32, signal: String, removing folder: String) throws -> Process {
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            kill -\(signal) \(postmasterPID) 2>/dev/null
            i=0; while kill -0 \(postmasterPID) 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i+1)); done
            rm -rf \(shellQuoted(folder))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The last `lines` lines of a log file, for error messages.
    static func tail(of path: String, lines: Int = 30) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "(no log at \(path))" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    private static func makeProcess(_ executable: URL, _ arguments: [String], as user: User?, log: String) throws -> Process {
        FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        output.seekToEndOfFile()
        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: runuserPath())
            process.arguments = ["-u", user.name, "--", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("PG") { environment[key] = nil }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        return process
    }

    private static func runuserPath() -> String {
        ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first(where: FileManager.default.isExecutableFile(atPath:))
            ?? "/usr/sbin/runuser"
    }

    private static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
