import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    /// `dubbelslot import signals FILE.csv` (docs/decisions/0008-signal-lifecycle-and-intake.md): validated whole,
    /// nothing written on any bad row, every bad row reported, idempotent on the municipality's case reference.
    @Suite("Signal import")
    struct SignalImporterTests {
        static let today = LocalDate(iso8601: "2025-06-13")!
        static let header = "caseReference,reportedSchoolName,reportedKvkNumber,reportedVestigingsnummer,reportedPlace,category,severity,observedFrom,observedUntil,summary,source\n"
        static let goodRows = """
            Z-2025-001,Taalschool 't Hooft B.V.,00050001,,Amsterdam,lessonsNotGiven,high,2025-03-03,2025-04-01,Lessen vonden niet plaats.,learnerComplaint
            Z-2025-002,IJsselschool,,,Zwolle,inducements,medium,2025-02-03,,"Cursisten kregen een laptop, zei een docent.",staffReport
            Z-2025-003,Café Taal,,,,kickbacks,low,2025-01-06,2025-01-07,Geld voor een handtekening.,ownCaseWork

            """

        func file(_ text: String) throws -> URL {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("signals-\(UUID().uuidString).csv")
            try Data(text.utf8).write(to: url)
            return url
        }

        func count(_ client: PostgresClient) async throws -> Int {
            try await execute(client, "SELECT count(*)::int8 FROM fraud_signals")[0].decode(Int.self)
        }

        @Test("a good file imports once; sending it again creates nothing")
        func importTwice() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1, name: "Taalschool 't Hooft B.V."), actor: Fixtures.actor)
                let importer = SignalImporter(store: store)
                let url = try file(Self.header + Self.goodRows)
                let first = try await importer.importSignals(from: url, municipality: Fixtures.amsterdam.code, today: Self.today, actor: "cli:test")
                #expect(first == ImportSummary(inserted: 3, updated: 0, unchanged: 0))
                let second = try await importer.importSignals(from: url, municipality: Fixtures.amsterdam.code, today: Self.today, actor: "cli:test")
                #expect(second == ImportSummary(inserted: 0, updated: 0, unchanged: 3))
                #expect(try await count(client) == 3)
                let signals = try await store.signals.list(SignalQuery(municipality: Fixtures.amsterdam.code)).signals
                let hooft = signals.first { $0.caseReference == "Z-2025-001" }
                #expect(hooft?.schoolId == school.id, "linked by its KvK number")
                #expect(hooft?.observedUntil == LocalDate(iso8601: "2025-04-01"))
                #expect(signals.first { $0.caseReference == "Z-2025-002" }?.summary == "Cursisten kregen een laptop, zei een docent.")
                // The same file from another municipality is another municipality's cases.
                let other = try await importer.importSignals(csv: Data((Self.header + Self.goodRows).utf8), municipality: Fixtures.utrecht.code,
                                                             today: Self.today, actor: "cli:test")
                #expect(other.map(\.created) == [true, true, true])
            }
        }

        @Test("one bad row: nothing is written and every bad row is reported")
        func badRow() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let bad = Self.header + Self.goodRows
                    + "Z-2025-004,Taalschool Noord,1234,,,lessonsNotGiven,high,2025-03-03,,Samenvatting.,learnerComplaint\n"
                    + "Z-2025-001,Taalschool Zuid,,,,fraud,high,2025-03-03,,Samenvatting.,learnerComplaint\n"
                do {
                    _ = try await SignalImporter(store: store).importSignals(from: try file(bad), municipality: Fixtures.amsterdam.code,
                                                                             today: Self.today, actor: "cli:test")
                    Issue.record("a file with bad rows was accepted")
                } catch let failure as ValidationFailure {
                    #expect(failure.errors.map { "\($0.line!):\($0.field)" } == ["5:reportedKvkNumber", "6:category", "6:caseReference"])
                }
                #expect(try await count(client) == 0)
            }
        }

        @Test("an unknown municipality writes nothing")
        func unknownMunicipality() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let error = await storeError {
                    _ = try await SignalImporter(store: store).importSignals(from: try file(Self.header + Self.goodRows),
                                                                             municipality: MunicipalityCode("GM9999")!, today: Self.today, actor: "cli:test")
                }
                #expect(error == .unknownReference(field: "municipalityCode"))
                #expect(try await count(client) == 0)
            }
        }
    }
}
