import Foundation

/// Where the PostgreSQL server programs (`initdb`, `postgres`) are, and the client programs beside them.
struct PostgresBinaries: Sendable {
    let directory: URL

    var initdb: URL { directory.appendingPathComponent("initdb") }
    var postgres: URL { directory.appendingPathComponent("postgres") }
    /// The `pg_dump` of the same installation, so its version is the server's (the schema snapshot test).
    var pgDump: URL { directory.appendingPathComponent("pg_dump") }

    /// Looks in `$DUBBELSLOT_PG_BINDIR`, then `pg_config --bindir`, then `/usr/lib/postgresql/<newest>/bin`,
    /// then the usual Homebrew and Postgres.app folders.
    ///
    /// - Throws: ``EmbeddedPostgresError/binariesNotFound(searched:)``.
    static func locate() throws -> PostgresBinaries {
        var candidates: [String] = []
        if let dir = ProcessInfo.processInfo.environment["DUBBELSLOT_PG_BINDIR"], !dir.isEmpty { candidates.append(dir) }
        if let dir = pgConfigBindir() { candidates.append(dir) }
        let debian = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: debian)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        candidates += versions.map { "\(debian)/\($0)/bin" }
        candidates += ["/usr/local/bin", "/opt/homebrew/bin", "/usr/bin"]
        for dir in candidates {
            let binaries = PostgresBinaries(directory: URL(fileURLWithPath: dir, isDirectory: true))
            if FileManager.default.isExecutableFile(atPath: binaries.initdb.path),
               FileManager.default.isExecutableFile(atPath: binaries.postgres.path) {
                return binaries
            }
        }
        throw EmbeddedPostgresError.binariesNotFound(searched: candidates)
    }

    /// The output of `pg_config --bindir`, or `nil` when pg_config is not on the `PATH` or fails.
    private static func pgConfigBindir() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard let pgConfig = path.split(separator: ":").map({ "\($0)/pg_config" })
            .first(where: FileManager.default.isExecutableFile(atPath:)) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pgConfig)
        process.arguments = ["--bindir"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let dir = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return dir.isEmpty ? nil : dir
    }
}
