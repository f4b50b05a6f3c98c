import Crypto
@testable import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import Testing

extension StoreTests {
    @Suite("Migrator: edits of comments alone")
    struct MigratorCommentEditsTests {
        private func sha256(_ text: String) -> String {
            SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        }

        @Test("withoutComments drops -- and /* */ comments, and keeps them inside quotes and function bodies")
        func withoutComments() {
            let text = "-- heading\n"
                + "CREATE TABLE a (x text DEFAULT '-- kept' /* dropped /* nested */ still dropped */);\n"
                + "CREATE FUNCTION f() RETURNS int AS $$ -- kept in the body\nSELECT 1 $$ LANGUAGE sql; -- trailing"
            #expect(SQLScript.withoutComments(text) == "\n"
                + "CREATE TABLE a (x text DEFAULT '-- kept' );\n"
                + "CREATE FUNCTION f() RETURNS int AS $$ -- kept in the body\nSELECT 1 $$ LANGUAGE sql; ")
        }

        @Test("every shipped comment edit is one: the file's code still hashes to the recorded checksum")
        func shippedEditsTouchOnlyComments() throws {
            let files = try MigrationFile.load(from: Migrator.defaultDirectory()!)
            #expect(!Migrator.commentEdits.isEmpty)
            for edit in Migrator.commentEdits {
                let file = try #require(files.first { $0.name == edit.file }, "\(edit.file) is not a migration")
                #expect(file.codeChecksum == edit.codeChecksum, "\(edit.file): a statement changed, not only a comment")
                #expect(file.checksum != edit.earlierChecksum, "\(edit.file) was not edited")
            }
            for file in files {
                #expect(file.sql.range(of: #"issue \d"#, options: [.regularExpression, .caseInsensitive]) == nil,
                        "\(file.name) points at a tracker issue a reader of the repository cannot open")
            }
        }

        @Test("a database migrated before a comment edit is accepted; a later change of a statement is not")
        func databaseFromBeforeTheEdit() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sql-" + UUID().uuidString)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("0001_table.sql")
            let before = "-- The table (see the tracker).\nCREATE TABLE a (x int);\n"
            let after = "-- The table (docs/decisions/0001).\nCREATE TABLE a (x int);\n"
            let edit = Migrator.CommentEdit(file: "0001_table.sql", earlierChecksum: sha256(before),
                                            codeChecksum: sha256(SQLScript.withoutComments(after)))
            try await withTestDatabase(migrated: false) { database in
                try await database.withClient { client in
                    try Data(before.utf8).write(to: file)
                    #expect(try await Migrator(client: client, directory: directory, logger: TestLogging.logger).migrate() == ["0001_table.sql"])

                    try Data(after.utf8).write(to: file)
                    let strict = Migrator(client: client, directory: directory, logger: TestLogging.logger, commentEdits: [])
                    let refused = await #expect(throws: MigrationError.self) { try await strict.migrate() }
                    #expect(refused?.kind == .changedAfterApplied, "without the listed edit, a changed file is refused")
                    let listed = Migrator(client: client, directory: directory, logger: TestLogging.logger, commentEdits: [edit])
                    #expect(try await listed.pending() == [])
                    #expect(try await listed.migrate() == [])

                    try Data(after.replacingOccurrences(of: "x int", with: "x bigint").utf8).write(to: file)
                    let changed = await #expect(throws: MigrationError.self) { try await listed.migrate() }
                    #expect(changed?.kind == .changedAfterApplied, "a statement changed after a listed comment edit")
                }
            }
        }
    }
}
