import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    @Suite("Migrator")
    struct MigratorTests {
        let directory = Migrator.defaultDirectory()!
        var fileNames: [String] {
            (try! FileManager.default.contentsOfDirectory(atPath: directory.path)).filter { $0.hasSuffix(".sql") && $0 != "schema.sql" }.sorted()
        }

        @Test("sql/schema.sql is no migration: never pending, never applied, not in the fingerprint")
        func schemaSnapshotIgnored() async throws {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("schema.sql").path))
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("sql-" + UUID().uuidString)
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: copy) }
            try Data("SELECT 1;".utf8).write(to: copy.appendingPathComponent("0001_one.sql"))
            let before = try Migrator.fingerprint(directory: copy)
            try Data("CREATE TABLE never (id int);".utf8).write(to: copy.appendingPathComponent("schema.sql"))
            #expect(try Migrator.fingerprint(directory: copy) == before)
            try await withTestDatabase(migrated: false) { database in
                try await database.withClient { client in
                    let migrator = Migrator(client: client, directory: copy, logger: TestLogging.logger)
                    #expect(try await migrator.pending() == ["0001_one.sql"])
                    #expect(try await migrator.migrate() == ["0001_one.sql"])
                    let never = try await execute(client, "SELECT to_regclass('never') IS NULL")[0].decode(Bool.self)
                    #expect(never, "schema.sql was applied")
                }
            }
        }

        @Test("finds the package's sql/ directory")
        func findsDirectory() {
            #expect(directory.lastPathComponent == "sql")
            #expect(fileNames.first == "0001_extensions.sql")
        }

        @Test("migrates a fresh database, then a re-run is a no-op")
        func freshThenNoOp() async throws {
            try await withTestDatabase(migrated: false) { database in
                try await database.withClient { client in
                    let migrator = Migrator(client: client, directory: directory, logger: TestLogging.logger)
                    #expect(try await migrator.pending() == fileNames)

                    let applied = try await migrator.migrate()
                    #expect(applied == fileNames)
                    #expect(try await migrator.pending() == [])

                    let again = try await migrator.migrate()
                    #expect(again == [])
                    let rows = try await execute(client, "SELECT name, checksum FROM schema_migrations ORDER BY version")
                    #expect(try rows.map { try $0.decode((String, String).self).0 } == fileNames)
                    #expect(try rows.allSatisfy { try $0.decode((String, String).self).1.count == 64 })
                }
            }
        }

        @Test("two migrators at once apply each migration exactly once")
        func concurrent() async throws {
            try await withTestDatabase(migrated: false) { database in
                try await database.withClient { first in
                    try await database.withClient { second in
                        let a = Migrator(client: first, directory: directory, logger: TestLogging.logger)
                        let b = Migrator(client: second, directory: directory, logger: TestLogging.logger)
                        async let appliedByA = a.migrate()
                        async let appliedByB = b.migrate()
                        let (fromA, fromB) = try await (appliedByA, appliedByB)

                        #expect(Set(fromA).isDisjoint(with: fromB))
                        #expect((fromA + fromB).sorted() == fileNames)
                        let count = try await execute(first, "SELECT count(*)::int8 FROM schema_migrations")[0].decode(Int.self)
                        #expect(count == fileNames.count)
                    }
                }
            }
        }

        @Test("a file changed after it was applied is refused, naming the file")
        func changedFile() async throws {
            try await withCopyOfSQL { copy, migrator, client in
                _ = try await migrator.migrate()

                let file = copy.appendingPathComponent("0003_municipalities.sql")
                let handle = try FileHandle(forWritingTo: file)
                handle.seekToEndOfFile()
                handle.write(Data("\n-- an innocent-looking edit\n".utf8))
                try handle.close()

                let error = await #expect(throws: MigrationError.self) { try await migrator.migrate() }
                #expect(error?.kind == .changedAfterApplied)
                #expect(error?.description.contains("sql/0003_municipalities.sql was changed after it was applied") == true)
                #expect(error?.description.contains("add a new migration instead") == true)
                await #expect(throws: MigrationError.self) { try await migrator.pending() }
            }
        }

        @Test("an applied migration whose file is missing is refused")
        func missingFile() async throws {
            try await withCopyOfSQL { copy, migrator, client in
                _ = try await migrator.migrate()
                try FileManager.default.removeItem(at: copy.appendingPathComponent("0014_audit_log.sql"))

                let error = await #expect(throws: MigrationError.self) { try await migrator.migrate() }
                #expect(error?.kind == .missingFile)
                #expect(error?.description.contains("sql/0014_audit_log.sql") == true)
            }
        }

        @Test("a new file numbered before an applied one is refused")
        func outOfOrder() async throws {
            try await withCopyOfSQL { copy, migrator, client in
                _ = try await migrator.migrate()
                try Data("CREATE TABLE late (id int);".utf8).write(to: copy.appendingPathComponent("0000_late.sql"))

                let error = await #expect(throws: MigrationError.self) { try await migrator.migrate() }
                #expect(error?.kind == .outOfOrder)
            }
        }

        @Test("a failing migration is rolled back whole and not recorded")
        func failingMigration() async throws {
            try await withCopyOfSQL { copy, migrator, client in
                try Data("CREATE TABLE half_done (id int);\nSELECT no_such_column FROM half_done;\n".utf8)
                    .write(to: copy.appendingPathComponent("9000_broken.sql"))
                let error = await #expect(throws: MigrationError.self) { try await migrator.migrate() }
                #expect(error?.kind == .failed)
                #expect(error?.description.contains("sql/9000_broken.sql failed at statement 2") == true)
                #expect(error?.description.contains("42703") == true)

                let table = try await execute(client, "SELECT to_regclass('half_done')::text")[0].decode(String?.self)
                #expect(table == nil)
                #expect(try await migrator.pending() == ["9000_broken.sql"])
            }
        }

        @Test("badly named .sql files are refused before touching the database")
        func badFileName() async throws {
            try await withCopyOfSQL { copy, migrator, client in
                try Data("SELECT 1;".utf8).write(to: copy.appendingPathComponent("15-Extra.sql"))
                let error = await #expect(throws: MigrationError.self) { try await migrator.migrate() }
                #expect(error?.kind == .invalidFileName)
                let exists = try await execute(client, "SELECT to_regclass('schema_migrations')::text")[0].decode(String?.self)
                #expect(exists == nil)
            }
        }

        @Test("the fingerprint follows the files")
        func fingerprint() throws {
            let copy = try copyOfSQLDirectory()
            defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
            let before = try Migrator.fingerprint(directory: copy)
            #expect(before == (try Migrator.fingerprint(directory: directory)))
            try Data("SELECT 1;".utf8).write(to: copy.appendingPathComponent("9999_more.sql"))
            #expect(before != (try Migrator.fingerprint(directory: copy)))
        }

        /// Runs `body` with a copy of `sql/` (see `copyOfSQLDirectory`, removed afterwards), an empty database's
        /// client and a migrator of the copy on it; files the body writes into the copy before it migrates count.
        private func withCopyOfSQL(_ body: (_ copy: URL, _ migrator: Migrator, _ client: PostgresClient) async throws -> Void) async throws {
            let copy = try copyOfSQLDirectory()
            defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
            try await withTestDatabase(migrated: false) { database in
                try await database.withClient { client in
                    try await body(copy, Migrator(client: client, directory: copy, logger: TestLogging.logger), client)
                }
            }
        }

        /// A copy of `sql/` in a fresh temporary folder, itself named `sql`.
        private func copyOfSQLDirectory() throws -> URL {
            let parent = FileManager.default.temporaryDirectory.appendingPathComponent("dubbelslot-sql-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            let copy = parent.appendingPathComponent("sql")
            try FileManager.default.copyItem(at: directory, to: copy)
            return copy
        }
    }
}
