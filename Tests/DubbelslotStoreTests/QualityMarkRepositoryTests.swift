import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import Testing

@Suite("QualityMarkRepository")
struct QualityMarkRepositoryTests {
    @Test("record then list returns the decisions ordered by period start, dates exact")
    func roundTrip() async throws {
        try await withTestDatabase { store, _ in
            try await Fixtures.seedMunicipalities(store)
            let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
            let later = NewQualityMarkDecision(status: .grantedIndefinite, validDuring: Fixtures.range("2026-07-01", nil),
                                               decidedOn: Fixtures.date("2026-06-15"), reference: "BOW-2026-0002")
            let earlier = NewQualityMarkDecision(status: .aspirant, validDuring: Fixtures.range("2024-02-29", "2026-07-01"),
                                                 decidedOn: Fixtures.date("2024-02-01"), reference: "BOW-2024-0001",
                                                 reason: "Nieuwe aanbieder", objection: "Bezwaar ingediend 2024-03-10")
            let recordedLater = try await store.qualityMarks.record(later, schoolId: school.id, actor: Fixtures.actor)
            let recordedEarlier = try await store.qualityMarks.record(earlier, schoolId: school.id, actor: "inspector:abc")

            #expect(recordedEarlier.validDuring == earlier.validDuring)
            #expect(recordedEarlier.decidedOn == Fixtures.date("2024-02-01"))
            #expect(recordedEarlier.reason == "Nieuwe aanbieder")
            #expect(recordedEarlier.objection == "Bezwaar ingediend 2024-03-10")
            #expect(recordedEarlier.recordedBy == "inspector:abc")
            #expect(recordedLater.validDuring.until == nil)
            #expect(try await store.qualityMarks.list(schoolId: school.id) == [recordedEarlier, recordedLater])
            #expect(try await store.qualityMarks.list(schoolId: UUID()) == [])
        }
    }

    @Test("an overlapping period is .overlappingPeriod; back-to-back periods are fine")
    func overlap() async throws {
        try await withTestDatabase { store, _ in
            try await Fixtures.seedMunicipalities(store)
            let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
            func decision(_ from: String, _ until: String?) -> NewQualityMarkDecision {
                NewQualityMarkDecision(status: .grantedFixedTerm, validDuring: Fixtures.range(from, until), decidedOn: Fixtures.date("2024-12-01"))
            }
            _ = try await store.qualityMarks.record(decision("2025-01-01", "2026-01-01"), schoolId: school.id, actor: Fixtures.actor)
            let error = await storeError {
                _ = try await store.qualityMarks.record(decision("2025-12-01", nil), schoolId: school.id, actor: Fixtures.actor)
            }
            #expect(error == .overlappingPeriod)
            _ = try await store.qualityMarks.record(decision("2026-01-01", nil), schoolId: school.id, actor: Fixtures.actor)
            #expect(try await store.qualityMarks.list(schoolId: school.id).count == 2)
        }
    }

    @Test("an unknown school is an unknown reference on field schoolId")
    func unknownSchool() async throws {
        try await withTestDatabase { store, _ in
            let decision = NewQualityMarkDecision(status: .aspirant, validDuring: Fixtures.range("2025-01-01", nil), decidedOn: Fixtures.date("2025-01-01"))
            let error = await storeError { _ = try await store.qualityMarks.record(decision, schoolId: UUID(), actor: Fixtures.actor) }
            #expect(error == .unknownReference(field: "schoolId"))
        }
    }
}
