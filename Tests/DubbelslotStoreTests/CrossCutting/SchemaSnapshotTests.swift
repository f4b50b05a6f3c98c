@testable import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import Testing

extension StoreTests {
    /// `sql/schema.sql` is the schema as `pg_dump --schema-only` prints it after every migration, so a
    /// reader sees each table whole instead of across the migrations that built it. This test keeps it
    /// true: it migrates a throwaway database, dumps it the same way and compares.
    ///
    /// Regenerate with `sql/dump-schema.sh` (this test with `DUBBELSLOT_WRITE_SCHEMA=1`, which writes the
    /// file instead of comparing).
    @Suite("Schema snapshot")
    struct SchemaSnapshotTests {
        static let writeKey = "DUBBELSLOT_WRITE_SCHEMA"

        @Test("sql/schema.sql is what the migrations build")
        func schemaMatchesMigrations() async throws {
            let directory = try #require(Migrator.defaultDirectory(), "no sql/ directory")
            let file = directory.appendingPathComponent("schema.sql")
            let dumped = try await withTestDatabase(migrated: false) { database in
                try await database.withClient { client in
                    _ = try await Migrator(client: client, directory: directory, logger: TestLogging.logger).migrate()
                }
                return try await SchemaDump.dump(database)
            }
            if ProcessInfo.processInfo.environment[Self.writeKey] == "1" {
                try Data(dumped.utf8).write(to: file)
                return
            }
            let kept = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            guard kept != dumped else { return }
            let keptLines = kept.split(separator: "\n", omittingEmptySubsequences: false)
            let dumpedLines = dumped.split(separator: "\n", omittingEmptySubsequences: false)
            let line = Array(zip(keptLines, dumpedLines)).firstIndex { $0 != $1 } ?? min(keptLines.count, dumpedLines.count)
            Issue.record("""
                sql/schema.sql is out of date with the migrations (first difference at line \(line + 1): \
                kept "\(line < keptLines.count ? keptLines[line] : "<end of file>")", \
                dumped "\(line < dumpedLines.count ? dumpedLines[line] : "<end of dump>")"). \
                Regenerate it with `bash sql/dump-schema.sh` and commit it with the migration.
                """)
        }

        @Test("the volatile lines of a dump are left out")
        func normalisation() {
            let raw = """
                --
                -- PostgreSQL database dump
                --

                \\restrict AbC123

                -- Dumped from database version 15.14 (Debian 15.14-0+deb12u1)
                -- Dumped by pg_dump version 15.14 (Debian 15.14-0+deb12u1)

                SET statement_timeout = 0;


                CREATE TABLE t (id int);

                \\unrestrict AbC123
                """
            let text = SchemaDump.normalise(raw)
            #expect(!text.contains("restrict") && !text.contains("Dumped"))
            #expect(text.contains("CREATE TABLE t (id int);\n"))
            #expect(!text.contains("\n\n\n"), "runs of blank lines folded into one")
            #expect(text.hasSuffix(");\n"))
        }
    }
}

/// `pg_dump --schema-only --no-owner --no-privileges` of a test database, made stable.
enum SchemaDump {
    /// The schema of `database`, normalised (``normalise(_:)``).
    /// - Throws: when `pg_dump` is not found beside `initdb` (as the test cluster finds it) or fails.
    static func dump(_ database: TestDatabase) async throws -> String {
        let socket = URL(fileURLWithPath: database.socketPath)
        let port = socket.lastPathComponent.split(separator: ".").last.map(String.init) ?? "5432"
        let process = Process()
        process.executableURL = try PostgresBinaries.locate().pgDump
        process.arguments = ["--schema-only", "--no-owner", "--no-privileges",
                             "--host", socket.deletingLastPathComponent().path, "--port", port,
                             "--username", database.username, "--dbname", database.name]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read before waiting: a schema is larger than a pipe's buffer.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SchemaDumpError(message: "pg_dump exited with \(process.terminationStatus): " + String(decoding: message, as: UTF8.self))
        }
        return normalise(String(decoding: data, as: UTF8.self))
    }

    /// The dump without what changes from run to run or machine to machine: the version comments of
    /// `pg_dump` and of the server, and the `\restrict`/`\unrestrict` lines (a random key per dump, in
    /// newer minor releases). Runs of blank lines become one; the text ends with one newline.
    static func normalise(_ text: String) -> String {
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-- Dumped from database version") || line.hasPrefix("-- Dumped by pg_dump version")
                || line.hasPrefix("\\restrict") || line.hasPrefix("\\unrestrict") { continue }
            if line.isEmpty, lines.last?.isEmpty == true { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}

struct SchemaDumpError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
