import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    /// `dubbelslot import municipalities|schools`: validated whole, nothing written on any bad row,
    /// re-import is a no-op (docs/decisions/0019-bad-input-and-safe-errors.md).
    @Suite("Reference data import")
    struct ReferenceImporterTests {
        static let packageRoot: URL = {
            var url = URL(fileURLWithPath: #filePath)
            while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { url.deleteLastPathComponent() }
            return url
        }()

        static let gemeenten = packageRoot.appendingPathComponent("data/reference/gemeenten_2025.csv")

        func file(_ text: String, bom: Bool = false) throws -> URL {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString).csv")
            var data = Data(text.utf8)
            if bom { data.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0) }
            try data.write(to: url)
            return url
        }

        func validationErrors(_ body: () async throws -> Void) async -> [FieldError] {
            do {
                try await body()
                Issue.record("expected the import to be refused")
                return []
            } catch let failure as ValidationFailure {
                return failure.errors
            } catch {
                Issue.record("expected a ValidationFailure, got \(String(reflecting: error))")
                return []
            }
        }

        @Test("the real 2025 municipalities import, and importing them again changes nothing")
        func realMunicipalities() async throws {
            try await withTestDatabase { store, _ in
                let importer = ReferenceImporter(store: store)
                let first = try await importer.importMunicipalities(from: Self.gemeenten, actor: "cli:test")
                #expect(first == ImportSummary(inserted: 342, updated: 0, unchanged: 0))
                let second = try await importer.importMunicipalities(from: Self.gemeenten, actor: "cli:test")
                #expect(second == ImportSummary(inserted: 0, updated: 0, unchanged: 342))
                let amsterdam = try await store.municipalities.get(MunicipalityCode("GM0363")!)
                #expect(amsterdam?.name == "Amsterdam")
                #expect(amsterdam?.provinceCode.rawValue == "PV27")
            }
        }

        static let schoolHeader = "kvkNumber,name,municipalityCode,routes,tradeNames\n"

        @Test("a schools file with a BOM imports like one without")
        func bomAccepted() async throws {
            try await withTestDatabase { store, _ in
                let importer = ReferenceImporter(store: store)
                _ = try await importer.importMunicipalities(from: Self.gemeenten, actor: "cli:test")
                let text = Self.schoolHeader + "00000901,Taalschool Voorbeeld 901 B.V.,GM0363,b1Route|zRoute,Voorbeeld 901\n"
                let summary = try await importer.importSchools(from: try file(text, bom: true), actor: "cli:test")
                #expect(summary.inserted == 1)
                let again = try await importer.importSchools(from: try file(text), actor: "cli:test")
                #expect(again == ImportSummary(inserted: 0, updated: 0, unchanged: 1))
            }
        }

        @Test("bad school files are refused whole, naming line, column and rule", arguments: [
            ("semicolons", "kvkNumber;name;municipalityCode;routes\n00000901;Taalschool Voorbeeld 901;GM0363;b1Route\n", [FieldError(field: "file", rule: "must be comma-separated; found ';' separators (save as \"CSV UTF-8 (comma delimited)\")", line: 1)]),
            ("missing column", "kvkNumber,name,routes\n00000901,Taalschool Voorbeeld 901,b1Route\n", [FieldError(field: "municipalityCode", rule: "column is missing from the header", line: 1)]),
            ("duplicate KvK", schoolHeader + "00000901,Taalschool Voorbeeld 901,GM0363,b1Route,\n00000902,Taalschool Voorbeeld 902,GM0363,b1Route,\n00000901,Taalschool Voorbeeld 903,GM0599,zRoute,\n",
             [FieldError(field: "kvkNumber", rule: "duplicate KvK number, first on line 2", line: 4)]),
            ("bad values", schoolHeader + "0000090,Taalschool Voorbeeld 901,GM363,b1Route,\n00000902,,GM0363,busRoute,\n",
             [FieldError(field: "kvkNumber", rule: KvKNumber.rule, line: 2), FieldError(field: "municipalityCode", rule: MunicipalityCode.rule, line: 2),
              FieldError(field: "name", rule: "is required and must not be blank", line: 3),
              FieldError(field: "routes", rule: "must be one or more of b1Route, educationRoute, zRoute separated by |", line: 3)]),
            ("ragged row", schoolHeader + "00000901,Taalschool Voorbeeld 901,GM0363\n", [FieldError(field: "record", rule: "has 3 fields where the header has 5", line: 2)]),
        ])
        func badSchoolFiles(name: String, text: String, expected: [FieldError]) async throws {
            try await withTestDatabase { store, client in
                let importer = ReferenceImporter(store: store)
                _ = try await importer.importMunicipalities(from: Self.gemeenten, actor: "cli:test")
                // A good row before the bad ones: it must not be written either.
                let errors = await validationErrors { _ = try await importer.importSchools(from: try file(text), actor: "cli:test") }
                #expect(errors == expected, "\(name)")
                let count = try await client.query("SELECT count(*)::int8 FROM schools").collect().first?.decode(Int.self)
                #expect(count == 0, "nothing written for \(name)")
            }
        }

        @Test("a school whose seat is not an imported municipality is refused")
        func unknownMunicipality() async throws {
            try await withTestDatabase { store, _ in
                let errors = await validationErrors {
                    _ = try await ReferenceImporter(store: store).importSchools(
                        from: try file(Self.schoolHeader + "00000901,Taalschool Voorbeeld 901,GM0363,b1Route,\n"), actor: "cli:test")
                }
                #expect(errors.map(\.field) == ["municipalityCode"])
                #expect(errors.first?.line == 2)
            }
        }

        @Test("a municipalities file with a bad code is refused and writes nothing")
        func badMunicipalities() async throws {
            try await withTestDatabase { store, _ in
                let text = "gemeentecode_gm,gemeentenaam,provinciecode_pv,provincienaam\nGM0363,Amsterdam,PV27,Noord-Holland\nGM363,Nergens,PV27,Noord-Holland\n"
                let errors = await validationErrors { _ = try await ReferenceImporter(store: store).importMunicipalities(from: try file(text), actor: "cli:test") }
                #expect(errors == [FieldError(field: "gemeentecode_gm", rule: MunicipalityCode.rule, line: 3)])
                let stored = try await store.municipalities.list()
                #expect(stored.isEmpty)
            }
        }
    }
}
