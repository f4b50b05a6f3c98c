import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
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

        @Test("a renewal supersedes the fixed term in force; back-to-back periods supersede nothing")
        func supersedes() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                func decision(_ from: String, _ until: String?) -> NewQualityMarkDecision {
                    NewQualityMarkDecision(status: .grantedFixedTerm, validDuring: Fixtures.range(from, until), decidedOn: Fixtures.date("2024-12-01"))
                }
                let first = try await store.qualityMarks.record(decision("2025-01-01", "2026-01-01"), schoolId: school.id, actor: Fixtures.actor)
                let renewal = try await store.qualityMarks.record(decision("2025-12-01", nil), schoolId: school.id, actor: Fixtures.actor)
                let list = try await store.qualityMarks.list(schoolId: school.id)
                #expect(list.map(\.validDuring) == [Fixtures.range("2025-01-01", "2025-12-01"), Fixtures.range("2025-12-01", nil)])
                #expect(list.first?.endedBy == renewal.id)
                #expect(list.first?.declaredUntil == Fixtures.date("2026-01-01"))
                #expect(list.first?.id == first.id)
                // A decision of the same scope may not run into a later one: the exclusion constraint's rule, said first.
                await #expect(throws: QualityMarkLifecycleError.self) {
                    _ = try await store.qualityMarks.record(
                        NewQualityMarkDecision(status: .aspirant, validDuring: Fixtures.range("2024-01-01", nil), decidedOn: Fixtures.date("2023-12-01")),
                        schoolId: school.id, actor: Fixtures.actor)
                }
                #expect(try await store.qualityMarks.list(schoolId: school.id).count == 2, "a refused decision writes nothing")
            }
        }

        /// A fictional school with a mark granted open-ended from 2016-01-01.
        static func schoolWithGrant(_ store: Store) async throws -> (School, QualityMarkDecision) {
            try await Fixtures.seedMunicipalities(store)
            let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
            let grant = try await store.qualityMarks.record(
                NewQualityMarkDecision(status: .grantedIndefinite, validDuring: Fixtures.range("2016-01-01", nil), decidedOn: Fixtures.date("2016-01-10")),
                schoolId: school.id, actor: Fixtures.actor)
            return (school, grant)
        }

        @Test("the grant a suspension ended is answered open-ended as of before the suspension was recorded")
        func history() async throws {
            try await withTestDatabase { store, client in
                let (school, grant) = try await Self.schoolWithGrant(store)
                let between = try await execute(client, "SELECT clock_timestamp()").first!.decode(Date.self)
                let suspension = try await store.qualityMarks.record(
                    NewQualityMarkDecision(status: .suspended, validDuring: Fixtures.range("2017-07-03", nil), decidedOn: Fixtures.date("2017-07-05")),
                    schoolId: school.id, actor: Fixtures.actor)
                let before = try await store.evidence.evidence(schoolId: school.id, asOf: between)
                #expect(before.decisions.map(\.id) == [grant.id])
                #expect(before.decisions.first?.validDuring.until == nil)
                let now = try await store.evidence.evidence(schoolId: school.id)
                #expect(now.decisions.map(\.id) == [grant.id, suspension.id])
                #expect(now.decisions.first?.validDuring.until == Fixtures.date("2017-07-03"))
                #expect(try await store.evidence.evidence(schoolId: school.id, asOf: Date()) == now)
                // Never edited, never deleted.
                #expect(await sqlState { try await execute(client, "UPDATE quality_mark_decisions SET status = 'withdrawn' WHERE id = \(grant.id)") } == "42501")
                #expect(await sqlState { try await execute(client, "DELETE FROM quality_mark_decisions WHERE id = \(grant.id)") } == "42501")
            }
        }

        @Test("a rectified suspension counts for nothing from then on and gives the grant back its period")
        func rectification() async throws {
            try await withTestDatabase { store, client in
                let (school, grant) = try await Self.schoolWithGrant(store)
                let wrong = try await store.qualityMarks.record(
                    NewQualityMarkDecision(status: .suspended, validDuring: Fixtures.range("2020-03-01", nil), decidedOn: Fixtures.date("2020-03-01")),
                    schoolId: school.id, actor: Fixtures.actor)
                let between = try await execute(client, "SELECT clock_timestamp()").first!.decode(Date.self)
                let rectified = try await store.qualityMarks.rectify(decisionId: wrong.id, schoolId: school.id, reason: "Bij de verkeerde school vastgelegd.",
                                                                     actor: Fixtures.actor)
                #expect(rectified.rectification?.reason == "Bij de verkeerde school vastgelegd.")
                #expect(try await store.evidence.evidence(schoolId: school.id).decisions.map(\.id) == [grant.id])
                #expect(try await store.evidence.evidence(schoolId: school.id).decisions.first?.validDuring.until == nil)
                // As of before the rectification: as it counted then.
                #expect(try await store.evidence.evidence(schoolId: school.id, asOf: between).decisions.map(\.id) == [grant.id, wrong.id])
                #expect(try await store.qualityMarks.list(schoolId: school.id).count == 2, "the wrong decision stays in the history")
                await #expect(throws: QualityMarkRectificationError.alreadyRectified) {
                    _ = try await store.qualityMarks.rectify(decisionId: wrong.id, schoolId: school.id, reason: "Nog eens.", actor: Fixtures.actor)
                }
                // The day is free again for the right decision.
                let withdrawal = try await store.qualityMarks.record(
                    NewQualityMarkDecision(status: .withdrawn, validDuring: Fixtures.range("2020-03-01", nil), decidedOn: Fixtures.date("2020-03-01")),
                    schoolId: school.id, actor: Fixtures.actor)
                // A decision a later one ended is rectified after that one.
                await #expect(throws: QualityMarkRectificationError.endedByLaterDecision(withdrawal.id)) {
                    _ = try await store.qualityMarks.rectify(decisionId: grant.id, schoolId: school.id, reason: "Fout.", actor: Fixtures.actor)
                }
            }
        }

        @Test("a location's decision needs one of the school's locations; concurrent decisions are checked one after the other")
        func locationsAndConcurrency() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let other = try await store.schools.create(Fixtures.newSchool(2, locations: [NewSchoolLocation(municipalityCode: Fixtures.amsterdam.code, address: "Dam 2, Amsterdam")]), actor: Fixtures.actor)
                let foreign = try #require(other.locations.first)
                _ = try await store.qualityMarks.record(
                    NewQualityMarkDecision(status: .grantedIndefinite, validDuring: Fixtures.range("2016-01-01", nil), decidedOn: Fixtures.date("2016-01-10")),
                    schoolId: school.id, actor: Fixtures.actor)
                let error = await storeError {
                    _ = try await store.qualityMarks.record(
                        NewQualityMarkDecision(status: .suspended, validDuring: Fixtures.range("2024-01-01", nil), decidedOn: Fixtures.date("2024-01-01"),
                                               locationId: foreign.id),
                        schoolId: school.id, actor: Fixtures.actor)
                }
                #expect(error == .unknownReference(field: "locationId"))
                // Ten suspensions from the same day at once: exactly one is recorded, the others are told to rectify.
                let results = await withTaskGroup(of: Bool.self) { group in
                    for _ in 0..<10 {
                        group.addTask {
                            (try? await store.qualityMarks.record(
                                NewQualityMarkDecision(status: .suspended, validDuring: Fixtures.range("2025-05-01", nil), decidedOn: Fixtures.date("2025-05-01")),
                                schoolId: school.id, actor: Fixtures.actor)) != nil
                        }
                    }
                    return await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(results.filter { $0 }.count == 1)
                #expect(try await store.qualityMarks.list(schoolId: school.id).map(\.status) == [.grantedIndefinite, .suspended])
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
}
