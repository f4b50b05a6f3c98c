import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Synchronization
import Testing

extension StoreTests {
    /// Imports stream their rows with `COPY … FROM STDIN` (text format) into a staging table: values
    /// must arrive byte for byte, whatever they hold.
    @Suite("COPY imports")
    struct PostgresConnectionCopyRowsTests {
        /// Values that break a naive text COPY encoder: its delimiter, line ends, escapes, the NULL marker
        /// as text, and non-ASCII.
        static let hostile: [String?] = [
            "tab\there", "back\\slash", "line\nbreak", "carriage\rreturn", "crlf\r\n", "\\N", "\\\\N", "\\", "end\\",
            "\\.", "\\t is not a tab", "", nil, " ", "\t", "\n", "Café 't Hooft — مدرسة 語学 🎓", "\u{FEFF}bom", "\"quoted\", 'comma'",
            "\u{08}\u{0C}\u{0B} other controls", String(repeating: "\\\t\n", count: 3000),
        ]

        @Test("the encoder escapes backslash, tab, newline and carriage return, and writes NULL as \\N")
        func encoding() {
            var rows = CopyTextRows()
            rows.append("a\tb\\c\nd\re")
            rows.append(nil as String?)
            rows.append("\\N")
            rows.append(42)
            rows.append(true)
            rows.endRow()
            rows.append("é")
            rows.endRow()
            #expect(rows.buffer.getString(at: 0, length: rows.buffer.readableBytes) == "a\\tb\\\\c\\nd\\re\t\\N\t\\\\N\t42\tt\né\n")
        }

        @Test("hostile values round-trip through COPY into PostgreSQL and back")
        func hostileRoundTrip() async throws {
            try await withTestDatabase { _, client in
                let stored = try await client.withTransaction(logger: TestLogging.logger) { connection in
                    try await connection.query("CREATE TEMP TABLE copy_probe (ord int8, value text) ON COMMIT DROP", logger: TestLogging.logger)
                    try await connection.copyRows(into: "copy_probe", columns: ["ord", "value"], count: Self.hostile.count,
                                                  logger: TestLogging.logger) { i, rows in
                        rows.append(i)
                        rows.append(Self.hostile[i])
                        rows.endRow()
                    }
                    var values: [String?] = []
                    for try await value in try await connection.query("SELECT value FROM copy_probe ORDER BY ord",
                                                                      logger: TestLogging.logger).decode(String?.self) {
                        values.append(value)
                    }
                    return values
                }
                #expect(stored.count == Self.hostile.count)
                for (sent, got) in zip(Self.hostile, stored) {
                    #expect(got == sent, "sent \(String(reflecting: sent))")
                }
            }
        }

        @Test("progress is reported as rows are sent, ending at the total")
        func progress() async throws {
            try await withTestDatabase { _, client in
                let reports = Reports()
                let total = 20_000
                try await client.withTransaction(logger: TestLogging.logger) { connection in
                    try await connection.query("CREATE TEMP TABLE copy_probe (ord int8, value text) ON COMMIT DROP", logger: TestLogging.logger)
                    try await connection.copyRows(into: "copy_probe", columns: ["ord", "value"], count: total, logger: TestLogging.logger,
                                                  progress: { p in reports.list.withLock { $0.append(p) } }) { i, rows in
                        rows.append(i)
                        rows.append("Fictieve Taalschool \(i) B.V.")
                        rows.endRow()
                    }
                }
                let seen = reports.list.withLock { $0 }
                #expect(seen.count > 2, "about 600 KiB in 64 KiB chunks")
                #expect(seen.map(\.rowsDone) == seen.map(\.rowsDone).sorted())
                #expect(seen.last?.rowsDone == total && seen.allSatisfy { $0.rowsTotal == total })
            }
        }

        /// What a progress handler heard, from whatever task it ran on.
        final class Reports: Sendable {
            let list = Mutex<[ImportProgress]>([])
        }

        @Test("hostile school names and trade names arrive as sent, with their name keys")
        func hostileSchools() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let names = ["Taalschool \\N B.V.", "School\tmet tab", "Café 't Hooft — مدرسة"]
                let tradeNames = [["\"Aanhalingstekens\" \\ en komma, ja", "\\N"], ["regel\neinde"], []]
                let schools = (0..<3).map { Fixtures.newSchool(900 + $0, name: names[$0], tradeNames: tradeNames[$0]) }
                #expect(try await store.schools.upsert(schools, actor: Fixtures.actor) == ImportSummary(inserted: 3, updated: 0, unchanged: 0))
                #expect(try await store.schools.upsert(schools, actor: Fixtures.actor) == ImportSummary(inserted: 0, updated: 0, unchanged: 3))
                for school in schools {
                    let found = try await store.schools.search(SchoolQuery(kvkNumber: school.kvkNumber)).schools.first
                    #expect(found?.name == school.name)
                    #expect(found?.tradeNames == school.tradeNames)
                }
                // The keys the import wrote are those a rebuild would write.
                #expect(try await store.schools.rebuildNameKeys() == 0)
                let keys = try await execute(client, "SELECT count(*)::int8 FROM school_name_keys")[0].decode(Int.self)
                #expect(keys > 0)
            }
        }

        @Test("a batch numbers its references per municipality and year of receipt, in row order, and keeps receivedAt to the microsecond")
        func batchYears() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let late2024 = Fixtures.instant("2024-12-31T22:30:00Z").addingTimeInterval(0.123_456)   // 23:30 in Amsterdam: still 2024
                let early2025 = Fixtures.instant("2024-12-31T23:30:00Z")   // 00:30 in Amsterdam: 2025
                var hostile = Fixtures.newSignal(receivedAt: early2025)
                hostile.summary = "Regel 1\nRegel 2\t\\N \\ مدرسة"
                hostile.reportedPlace = nil
                let rows = [Fixtures.newSignal(receivedAt: late2024), hostile, Fixtures.newSignal(Fixtures.utrecht, receivedAt: late2024),
                            Fixtures.newSignal(receivedAt: late2024)]
                let stored = try await store.signals.recordBatch(rows, actor: Fixtures.actor).map(\.signal.signal)
                #expect(stored.map(\.reference) == ["SIG-GM0363-2024-000001", "SIG-GM0363-2025-000001", "SIG-GM0344-2024-000001",
                                                    "SIG-GM0363-2024-000002"])
                #expect(abs(stored[0].receivedAt.timeIntervalSince(late2024)) < 0.000_001)
                #expect(stored[1].summary == hostile.summary)
                #expect(stored[1].reportedPlace == nil)
            }
        }
    }
}
