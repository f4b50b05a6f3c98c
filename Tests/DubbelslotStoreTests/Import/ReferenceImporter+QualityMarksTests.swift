import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import Testing

extension StoreTests {
    /// The quality-mark body's decisions imported from a file: matched by KvK number and
    /// vestigingsnummer, each row through the lifecycle, the whole file or nothing.
    @Suite("Quality-mark decisions import")
    struct ReferenceImporterQualityMarksTests {
        static let today = LocalDate(iso8601: "2026-11-30")!

        func table(_ csv: String) throws -> CSVTable { try CSVFile.parse(Data(csv.utf8)) }

        @Test("a history with a location's suspension imports once; again it changes nothing")
        func history() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1, locations: [
                    NewSchoolLocation(vestigingsnummer: Fixtures.vestiging(1), municipalityCode: Fixtures.amsterdam.code, address: "Dam 1, Amsterdam"),
                ]), actor: Fixtures.actor)
                let csv = """
                    kvkNumber,status,validFrom,validUntil,decidedOn,vestigingsnummer,reference,reason
                    \(school.kvkNumber),suspended,2024-03-01,,2024-02-20,\(Fixtures.vestiging(1)),BOW-2024-7,Fraudeonderzoek op deze vestiging.
                    \(school.kvkNumber),grantedIndefinite,2021-06-01,,2021-05-20,,BOW-2021-2,
                    \(school.kvkNumber),aspirant,2019-06-01,2021-06-01,2019-05-20,,BOW-2019-1,

                    """
                let rows = try QualityMarkImportRules.validate(try table(csv), today: Self.today)
                let first = try await store.qualityMarks.importDecisions(rows, actor: Fixtures.actor)
                #expect(first == ImportSummary(inserted: 3))
                let list = try await store.qualityMarks.list(schoolId: school.id)
                #expect(list.map(\.status) == [.aspirant, .grantedIndefinite, .suspended])
                #expect(list.last?.locationId == school.locations.first?.id)
                #expect(list[1].validDuring.until == nil, "a location's suspension does not end the school's mark")
                #expect(try await store.qualityMarks.importDecisions(rows, actor: Fixtures.actor) == ImportSummary(unchanged: 3))
                // A changed reason is not dropped without a word: decisions are never edited.
                let changed = try QualityMarkImportRules.validate(try table(csv.replacingOccurrences(of: "Fraudeonderzoek", with: "Onderzoek")), today: Self.today)
                let refusal = await #expect(throws: ValidationFailure.self) {
                    _ = try await store.qualityMarks.importDecisions(changed, actor: Fixtures.actor)
                }
                #expect(refusal?.errors.map(\.field) == ["reason"])
                #expect(refusal?.errors.first?.line == 2)
            }
        }

        @Test("unknown schools, foreign locations and steps the lifecycle refuses are named by line; nothing is written")
        func refusals() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let other = try await store.schools.create(Fixtures.newSchool(2, locations: [
                    NewSchoolLocation(vestigingsnummer: Fixtures.vestiging(2), municipalityCode: Fixtures.amsterdam.code, address: "Dam 2, Amsterdam"),
                ]), actor: Fixtures.actor)
                let csv = """
                    kvkNumber,status,validFrom,decidedOn,vestigingsnummer
                    \(school.kvkNumber),withdrawn,2020-01-01,2019-12-20,
                    \(Fixtures.kvk(99)),grantedIndefinite,2020-01-01,2019-12-20,
                    \(school.kvkNumber),suspended,2021-01-01,2020-12-20,\(Fixtures.vestiging(2))
                    \(other.kvkNumber),grantedIndefinite,2020-01-01,2019-12-20,

                    """
                let rows = try QualityMarkImportRules.validate(try table(csv), today: Self.today)
                do {
                    _ = try await store.qualityMarks.importDecisions(rows, actor: Fixtures.actor)
                    Issue.record("a file with bad rows was written")
                } catch let failure as ValidationFailure {
                    #expect(failure.errors.map(\.line) == [2, 3, 4])
                    #expect(failure.errors.map(\.field) == ["status", "kvkNumber", "vestigingsnummer"])
                    #expect(failure.errors[0].rule.contains("withdrawn"))
                }
                #expect(try await store.qualityMarks.list(schoolId: other.id).isEmpty, "the good row is not written either")
                // Shapes are checked before the database is asked.
                #expect(throws: ValidationFailure.self) {
                    try QualityMarkImportRules.validate(try table("kvkNumber,status,validFrom,decidedOn\n123,granted,2020-02-30,2030-01-01\n"), today: Self.today)
                }
            }
        }
    }
}
