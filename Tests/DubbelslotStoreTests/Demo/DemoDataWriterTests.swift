import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    /// The demo dataset: fictional only, deterministic, in the published proportions, written whole.
    @Suite("Demo data")
    struct DemoDataWriterTests {
        static let anchor = LocalDate(iso8601: "2026-11-29")!

        func municipalities(_ store: Store) async throws -> [MunicipalityCode] {
            _ = try await ReferenceImporter(store: store).importMunicipalities(from: ReferenceImporterTests.gemeenten, actor: "cli:test")
            return try await store.municipalities.list().map(\.code)
        }

        @Test("the same seed gives the same dataset; another seed another")
        func deterministic() {
            let codes = ["GM0363", "GM0599", "GM0014"].map { MunicipalityCode($0)! }
            let a = DemoDataset.generate(seed: 7, anchor: Self.anchor, municipalities: codes)
            let b = DemoDataset.generate(seed: 7, anchor: Self.anchor, municipalities: codes)
            let c = DemoDataset.generate(seed: 8, anchor: Self.anchor, municipalities: codes)
            #expect(a.schools == b.schools && a.decisions == b.decisions && a.visits == b.visits && a.signals == b.signals)
            #expect(a.signals != c.signals)
        }

        @Test("every school is fictional and the proportions follow the published figures")
        func fictionalAndProportional() {
            let data = DemoDataset.generate(seed: 2019, anchor: Self.anchor, municipalities: [MunicipalityCode("GM0363")!, MunicipalityCode("GM0014")!])
            #expect(data.schools.count == 230)
            for school in data.schools {
                #expect(school.name.contains("Voorbeeld"))
                #expect(DemoDataset.fictionalKvKRange.contains(Int(school.kvkNumber.rawValue)!))
            }
            let schoolIds = Set(data.schools.map(\.id))
            #expect(data.signals.allSatisfy { schoolIds.contains($0.signal.schoolId!) })
            #expect(data.visits.allSatisfy { schoolIds.contains($0.schoolId) })
            #expect(data.signals.count == 390)
            let concerned = Set(data.signals.map(\.signal.schoolId))
            #expect((80...101).contains(concerned.count), "about 100 schools concerned (Kamerbrief 32824-261: 101)")
            #expect(data.decisions.filter { $0.status == .suspended }.count == 40)
            #expect(data.decisions.filter { $0.status == .withdrawn }.count == 20)
            #expect(data.signals.allSatisfy { $0.signal.receivedAt <= Self.anchor.adding(days: 1).startInstant() })
            #expect(data.visits.allSatisfy { $0.visitedOn <= Self.anchor })
        }

        @Test("written in one go with references and transitions, and a second write changes nothing")
        func writeOnce() async throws {
            try await withTestDatabase { store, client in
                let codes = try await municipalities(store)
                let data = DemoDataset.generate(seed: 2019, anchor: Self.anchor, municipalities: codes)
                let outcome = try await DemoDataWriter(store: store).write(data)
                #expect(outcome == .written(schools: 230, decisions: data.decisions.count, visits: data.visits.count, signals: 390))
                let again = try await DemoDataWriter(store: store).write(data)
                #expect(again == .alreadyPresent(schools: 230))
                let signals = try await client.query("SELECT count(*)::int8, count(DISTINCT reference)::int8 FROM fraud_signals").collect().first!.decode((Int, Int).self)
                #expect(signals == (390, 390))
                let transitions = try await client.query("SELECT count(*)::int8 FROM signal_transitions").collect().first!.decode(Int.self)
                #expect(transitions == data.signals.reduce(0) { $0 + $1.transitions.count })
                let realSchoolsWithSignals = try await client.query(
                    "SELECT count(*)::int8 FROM fraud_signals f JOIN schools s ON s.id = f.school_id WHERE NOT s.is_fictional").collect().first!.decode(Int.self)
                #expect(realSchoolsWithSignals == 0)
                // The corroboration links and the names signals are matched by.
                let relations = try await client.query("SELECT count(*)::int8 FROM signal_relations WHERE kind = 'corroborating'").collect().first!.decode(Int.self)
                #expect(relations == data.corroborations.count)
                #expect(!data.corroborations.isEmpty)
                let keyed = try await client.query("SELECT count(DISTINCT school_id)::int8 FROM school_name_keys").collect().first!.decode(Int.self)
                #expect(keyed == 230)
                #expect(try await store.schools.rebuildNameKeys() == 0, "the writer's keys are the rebuild's")
                // The evidence read back is what was generated.
                let school = data.schools[0]
                let evidence = try await store.evidence.evidence(schoolId: school.id)
                #expect(Set(evidence.decisions) == Set(data.decisions.filter { $0.schoolId == school.id }))
                #expect(Set(evidence.visits.map(\.id)) == Set(data.visits.filter { $0.schoolId == school.id }.map(\.id)))
            }
        }
    }
}
