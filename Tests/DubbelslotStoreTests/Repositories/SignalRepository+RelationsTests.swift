import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    /// Duplicates and corroboration (docs/decisions/0008-signal-lifecycle-and-intake.md), and what the risk model then
    /// sees.
    @Suite("Signal relations")
    struct SignalRepositoryRelationsTests {
        static func signal(_ store: Store, _ municipality: Municipality = Fixtures.amsterdam, school: UUID? = nil,
                           category: SignalCategory = .lessonsNotGiven, status: SignalStatus = .received) async throws -> FraudSignal {
            var new = Fixtures.newSignal(municipality, schoolId: school)
            new.category = category
            new.status = status
            return try await store.signals.record(new, actor: "signaller:1")
        }

        static func rule(_ body: () async throws -> Void) async -> String? {
            do {
                try await body()
                return nil
            } catch let error as SignalWorkflowError {
                return error.rule ?? "kind \(error.kind)"
            } catch {
                return "not a SignalWorkflowError: \(String(reflecting: error))"
            }
        }

        @Test("a duplicate of a closed signal leaves it closed and unchanged")
        func duplicateOfClosed() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let original = try await Self.signal(store, status: .substantiated)
                let repeatReport = try await Self.signal(store)
                let relation = try await store.signals.relate(repeatReport.id, to: original.id, kind: .duplicate, note: "Zelfde melding, opnieuw ingestuurd.",
                                                              actor: "inspector:1")
                #expect(relation.kind == .duplicate && relation.signalId == repeatReport.id && relation.relatedSignalId == original.id)
                let after = try await store.signals.getVersioned(original.id)
                #expect(after?.signal.status == .substantiated && after?.version == 1)
                #expect(try await store.signals.transitions(original.id).count == 1)
                let duplicate = try await store.signals.getVersioned(repeatReport.id)
                #expect(duplicate?.signal.duplicateOf == original.id && duplicate?.version == 2 && duplicate?.signal.status == .received)
                #expect(try await store.signals.relations(original.id) == [relation])
                #expect(try await store.signals.relations(repeatReport.id) == [relation])
                let count = try await execute(client, "SELECT count(*)::int8 FROM signal_relations")[0].decode(Int.self)
                #expect(count == 1)
            }
        }

        @Test("duplicate rules: same municipality, no chains, not twice, not to itself")
        func duplicateRules() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let original = try await Self.signal(store)
                let utrecht = try await Self.signal(store, Fixtures.utrecht)
                #expect(await Self.rule {
                    _ = try await store.signals.relate(utrecht.id, to: original.id, kind: .duplicate, note: "x", actor: "inspector:1")
                }?.contains("same reporting municipality") == true)
                let copy = try await Self.signal(store)
                _ = try await store.signals.relate(copy.id, to: original.id, kind: .duplicate, note: "Kopie.", actor: "inspector:1")
                let third = try await Self.signal(store)
                #expect(await Self.rule {
                    _ = try await store.signals.relate(third.id, to: copy.id, kind: .duplicate, note: "x", actor: "inspector:1")
                }?.contains("not to another duplicate") == true)
                #expect(await Self.rule {
                    _ = try await store.signals.relate(copy.id, to: third.id, kind: .duplicate, note: "x", actor: "inspector:1")
                }?.contains("already marked") == true)
                #expect(await Self.rule {
                    _ = try await store.signals.relate(original.id, to: third.id, kind: .duplicate, note: "x", actor: "inspector:1")
                }?.contains("other signals are duplicates of this one") == true)
                #expect(await Self.rule {
                    _ = try await store.signals.relate(third.id, to: third.id, kind: .duplicate, note: "x", actor: "inspector:1")
                }?.contains("itself") == true)
                #expect(await Self.rule {
                    _ = try await store.signals.relate(third.id, to: UUID(), kind: .duplicate, note: "x", actor: "inspector:1")
                } == "kind notFound")
            }
        }

        @Test("corroboration rules: same school, same category, another municipality, no duplicates; one link per pair")
        func corroborationRules() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let other = try await store.schools.create(Fixtures.newSchool(2), actor: Fixtures.actor)
                let a = try await Self.signal(store, school: school.id)
                let unmatched = try await Self.signal(store, Fixtures.utrecht)
                let otherSchool = try await Self.signal(store, Fixtures.utrecht, school: other.id)
                let otherCategory = try await Self.signal(store, Fixtures.utrecht, school: school.id, category: .kickbacks)
                let sameMunicipality = try await Self.signal(store, school: school.id)
                let b = try await Self.signal(store, Fixtures.utrecht, school: school.id)
                func attempt(_ x: FraudSignal, _ y: FraudSignal) async -> String? {
                    await Self.rule { _ = try await store.signals.relate(x.id, to: y.id, kind: .corroborating, note: "x", actor: "inspector:1") }
                }
                #expect(await attempt(a, unmatched)?.contains("same school") == true)
                #expect(await attempt(unmatched, a)?.contains("same school") == true)
                #expect(await attempt(a, otherSchool)?.contains("same school") == true)
                #expect(await attempt(a, otherCategory)?.contains("same category") == true)
                #expect(await attempt(a, sameMunicipality)?.contains("different municipalities") == true)
                let relation = try await store.signals.relate(a.id, to: b.id, kind: .corroborating, note: "Onafhankelijk gemeld.", actor: "inspector:1")
                #expect(relation.kind == .corroborating)
                #expect(try await store.signals.getVersioned(a.id)?.version == 1, "corroboration changes no signal")
                let twice = await storeError { _ = try await store.signals.relate(b.id, to: a.id, kind: .corroborating, note: "x", actor: "inspector:1") }
                #expect(twice == .duplicate(field: "relatedSignalId"))
                // A duplicate does not corroborate.
                _ = try await store.signals.relate(sameMunicipality.id, to: a.id, kind: .duplicate, note: "Kopie.", actor: "inspector:1")
                #expect(await attempt(sameMunicipality, b)?.contains("duplicate does not corroborate") == true)
            }
        }

        @Test("evidence leaves duplicates out and carries the corroboration pairs, single and batched")
        func evidence() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let second = try await store.schools.create(Fixtures.newSchool(2), actor: Fixtures.actor)
                let a = try await Self.signal(store, school: school.id)
                let b = try await Self.signal(store, Fixtures.utrecht, school: school.id)
                let c = try await Self.signal(store, Fixtures.rotterdam, school: school.id)
                let copy = try await Self.signal(store, school: school.id)
                let d = try await Self.signal(store, school: second.id, category: .inducements)
                let e = try await Self.signal(store, Fixtures.groningen, school: second.id, category: .inducements)
                _ = try await store.signals.relate(a.id, to: b.id, kind: .corroborating, note: "Zelfde patroon.", actor: "inspector:1")
                _ = try await store.signals.relate(c.id, to: b.id, kind: .corroborating, note: "Zelfde patroon.", actor: "inspector:1")
                _ = try await store.signals.relate(copy.id, to: a.id, kind: .duplicate, note: "Kopie.", actor: "inspector:1")
                _ = try await store.signals.relate(e.id, to: d.id, kind: .corroborating, note: "Zelfde patroon.", actor: "inspector:1")

                let evidence = try await store.evidence.evidence(schoolId: school.id)
                #expect(Set(evidence.signals.map(\.id)) == [a.id, b.id, c.id])
                #expect(evidence.corroborations == [SignalPair(a.id, b.id), SignalPair(c.id, b.id)])
                let batch = try await store.evidence.evidence(schoolIds: [school.id, second.id])
                #expect(batch[school.id] == evidence)
                #expect(batch[second.id]?.corroborations == [SignalPair(e.id, d.id)])
                // A signal later linked to another school takes no pair with it.
                _ = try await store.signals.link(c.id, schoolId: second.id, note: "Toch de andere school.", actor: "inspector:1")
                #expect(try await store.evidence.evidence(schoolId: school.id).corroborations == [SignalPair(a.id, b.id)])
            }
        }
    }
}
