import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import Testing

extension StoreTests {
    @Suite("VisitRepository")
    struct VisitRepositoryTests {
        @Test("record a visit with findings; get and list return it, findings in recorded order, newest visit first")
        func roundTrip() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(
                    Fixtures.newSchool(1, locations: [NewSchoolLocation(municipalityCode: Fixtures.amsterdam.code, address: "Dam 1")]),
                    actor: Fixtures.actor)
                let older = try await store.visits.record(
                    NewVisit(kind: .financial, announced: true, visitedOn: Fixtures.date("2024-11-05"), outcome: .compliant),
                    schoolId: school.id, actor: Fixtures.actor)
                let newer = try await store.visits.record(
                    NewVisit(locationId: school.locations[0].id, kind: .classroom, announced: false, visitedOn: Fixtures.date("2025-03-12"),
                             outcome: .majorFindings,
                             findings: [NewFinding(normCode: "4.2", severity: .major, note: "Docent niet bevoegd"),
                                        NewFinding(normCode: "10.1", severity: .minor),
                                        NewFinding(normCode: "2.3", severity: .minor, note: "Presentielijst onvolledig")]),
                    schoolId: school.id, actor: Fixtures.actor)

                #expect(newer.locationId == school.locations[0].id)
                #expect(newer.visitedOn == Fixtures.date("2025-03-12"))
                #expect(!newer.announced)
                #expect(newer.findings.map(\.normCode) == ["4.2", "10.1", "2.3"])
                #expect(newer.findings.map(\.severity) == [.major, .minor, .minor])
                #expect(newer.findings[0].note == "Docent niet bevoegd")
                #expect(older.findings.isEmpty)
                #expect(try await store.visits.get(newer.id) == newer)
                #expect(try await store.visits.get(UUID()) == nil)
                #expect(try await store.visits.list(schoolId: school.id) == [newer, older])
            }
        }

        @Test("a location of another school is an unknown reference on locationId, and nothing is written")
        func foreignLocation() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let other = try await store.schools.create(
                    Fixtures.newSchool(2, locations: [NewSchoolLocation(municipalityCode: Fixtures.amsterdam.code, address: "Dam 2")]),
                    actor: Fixtures.actor)
                let visit = NewVisit(locationId: other.locations[0].id, kind: .clientAudit, announced: true, visitedOn: Fixtures.date("2025-01-10"),
                                     outcome: .minorFindings, findings: [NewFinding(normCode: "1.1", severity: .minor)])
                let error = await storeError { _ = try await store.visits.record(visit, schoolId: school.id, actor: Fixtures.actor) }
                #expect(error == .unknownReference(field: "locationId"))
                #expect(try await store.visits.list(schoolId: school.id).isEmpty)
            }
        }

        @Test("a bad finding rolls back the whole visit")
        func badFindingRollsBack() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let visit = NewVisit(kind: .resultsAudit, announced: true, visitedOn: Fixtures.date("2025-01-10"), outcome: .minorFindings,
                                     findings: [NewFinding(normCode: "1.1", severity: .minor),
                                                NewFinding(normCode: String(repeating: "9", count: 33), severity: .minor)])
                await #expect(throws: (any Error).self) { _ = try await store.visits.record(visit, schoolId: school.id, actor: Fixtures.actor) }
                #expect(try await store.visits.list(schoolId: school.id).isEmpty)
            }
        }

        @Test("an unknown school is an unknown reference on field schoolId")
        func unknownSchool() async throws {
            try await withTestDatabase { store, _ in
                let visit = NewVisit(kind: .newEntrant, announced: true, visitedOn: Fixtures.date("2025-01-10"), outcome: .compliant)
                let error = await storeError { _ = try await store.visits.record(visit, schoolId: UUID(), actor: Fixtures.actor) }
                #expect(error == .unknownReference(field: "schoolId"))
            }
        }
    }
}
