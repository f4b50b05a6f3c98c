import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    @Suite("EvidenceRepository")
    struct EvidenceRepositoryTests {
        @Test("evidence holds a school's decisions, visits with findings and linked signals, and nothing of other schools")
        func single() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let other = try await store.schools.create(Fixtures.newSchool(2), actor: Fixtures.actor)
                let decision = try await store.qualityMarks.record(
                    NewQualityMarkDecision(status: .grantedFixedTerm, validDuring: Fixtures.range("2024-01-01", "2027-01-01"),
                                           decidedOn: Fixtures.date("2023-12-01")),
                    schoolId: school.id, actor: Fixtures.actor)
                let visit = try await store.visits.record(Fixtures.visitWithMinorFinding, schoolId: school.id, actor: Fixtures.actor)
                let signal = try await store.signals.record(Fixtures.newSignal(schoolId: school.id), actor: Fixtures.actor)
                _ = try await store.signals.record(Fixtures.newSignal(schoolId: other.id), actor: Fixtures.actor)
                _ = try await store.signals.record(Fixtures.newSignal(), actor: Fixtures.actor)

                let evidence = try await store.evidence.evidence(schoolId: school.id)
                #expect(evidence == RiskEvidence(schoolId: school.id, decisions: [decision], visits: [visit], signals: [signal.fact]))
                #expect(evidence.visits.first?.findings.count == 1)
                let unknown = UUID()
                #expect(try await store.evidence.evidence(schoolId: unknown) == RiskEvidence(schoolId: unknown, decisions: [], visits: [], signals: []))
            }
        }

        @Test("the batch returns one entry per school asked, equal to the single look-ups")
        func batch() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                var ids: [UUID] = []
                for n in 1...6 {
                    let school = try await store.schools.create(Fixtures.newSchool(n), actor: Fixtures.actor)
                    ids.append(school.id)
                    for v in 0..<(n % 3) {
                        _ = try await store.visits.record(
                            NewVisit(kind: .followUp, announced: true, visitedOn: Fixtures.date("2025-01-01").adding(days: v), outcome: .majorFindings,
                                     findings: [NewFinding(normCode: "\(n).\(v)", severity: .major), NewFinding(normCode: "x", severity: .minor)]),
                            schoolId: school.id, actor: Fixtures.actor)
                    }
                    if n.isMultiple(of: 2) {
                        _ = try await store.signals.record(Fixtures.newSignal(schoolId: school.id), actor: Fixtures.actor)
                        // A mark, then a suspension that supersedes it (a suspension needs a mark to suspend).
                        _ = try await store.qualityMarks.record(
                            NewQualityMarkDecision(status: .grantedIndefinite, validDuring: Fixtures.range("2024-01-01", nil),
                                                   decidedOn: Fixtures.date("2023-12-20")),
                            schoolId: school.id, actor: Fixtures.actor)
                        _ = try await store.qualityMarks.record(
                            NewQualityMarkDecision(status: .suspended, validDuring: Fixtures.range("2025-01-01", "2025-04-01"),
                                                   decidedOn: Fixtures.date("2024-12-20")),
                            schoolId: school.id, actor: Fixtures.actor)
                    }
                }
                let missing = UUID()
                let batch = try await store.evidence.evidence(schoolIds: ids + [missing, ids[0]])
                #expect(Set(batch.keys) == Set(ids + [missing]))
                for id in ids {
                    #expect(try await batch[id] == store.evidence.evidence(schoolId: id))
                }
                #expect(batch[ids[1]]?.visits.count == 2)
                #expect(batch[ids[1]]?.visits.first?.visitedOn == Fixtures.date("2025-01-02"))
                #expect(batch[ids[1]]?.signals.count == 1)
                #expect(batch[missing]?.visits.isEmpty == true)
                #expect(try await store.evidence.evidence(schoolIds: []).isEmpty)
            }
        }

        @Test("every kind of evidence change moves its school's generation, and only its school's")
        func generationsMove() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let other = try await store.schools.create(Fixtures.newSchool(2), actor: Fixtures.actor)
                var last = try await store.evidence.generations(of: [school.id, other.id])
                #expect(last == [school.id: 0, other.id: 0])
                /// Runs `change` and checks that exactly `moved` have a new generation.
                func expectMoves(_ what: String, _ moved: Set<UUID>, _ change: () async throws -> Void) async throws {
                    try await change()
                    let now = try await store.evidence.generations(of: [school.id, other.id])
                    for id in [school.id, other.id] {
                        #expect((now[id]! > last[id]!) == moved.contains(id), "\(what): \(id == school.id ? "school" : "other")")
                    }
                    last = now
                }
                try await expectMoves("decision", [school.id]) {
                    _ = try await store.qualityMarks.record(
                        NewQualityMarkDecision(status: .grantedFixedTerm, validDuring: Fixtures.range("2024-01-01", "2027-01-01"),
                                               decidedOn: Fixtures.date("2023-12-01")), schoolId: school.id, actor: Fixtures.actor)
                }
                var visitId = UUID()
                try await expectMoves("visit with a finding", [school.id]) {
                    visitId = try await store.visits.record(Fixtures.visitWithMinorFinding, schoolId: school.id, actor: Fixtures.actor).id
                }
                var signalId = UUID()
                try await expectMoves("intake", [school.id]) {
                    signalId = try await store.signals.record(Fixtures.newSignal(schoolId: school.id), actor: Fixtures.actor).id
                }
                var unmatched = UUID()
                try await expectMoves("intake of an unmatched signal", []) {
                    unmatched = try await store.signals.record(Fixtures.newSignal(Fixtures.utrecht), actor: Fixtures.actor).id
                }
                try await expectMoves("link", [other.id]) {
                    _ = try await store.signals.link(unmatched, schoolId: other.id, note: "Zelfde KvK.", actor: Fixtures.actor)
                }
                try await expectMoves("re-link to another school", [school.id, other.id]) {
                    _ = try await store.signals.link(unmatched, schoolId: school.id, note: "Toch de andere.", actor: Fixtures.actor)
                }
                try await expectMoves("transition", [school.id]) {
                    _ = try await store.signals.transition(signalId, to: .triaged, expectedVersion: 1, note: "Bekeken.", actor: Fixtures.actor)
                }
                try await expectMoves("corroborating link", [school.id]) {
                    _ = try await store.signals.relate(unmatched, to: signalId, kind: .corroborating, note: "Zelfde feiten.", actor: Fixtures.actor)
                }
                try await expectMoves("reply", [school.id]) {
                    _ = try await store.replies.record(.finding, subjectId: try #require(try await store.visits.get(visitId)?.findings.first?.id),
                                                       reply: "Opgelost.", receivedOn: Fixtures.date("2025-03-01"), actor: Fixtures.actor)
                }
            }
        }

        @Test("every table the evidence statements read moves the generation on insert, update and delete")
        func everyEvidenceTableHasItsTriggers() async throws {
            try await withTestDatabase { _, client in
                // The tables of EvidenceStatements.swift and VisitRepository.visits, and the replies an overview shows;
                // the *_versions views are written by triggers on these tables.
                let tables = ["quality_mark_decisions", "supervision_visits", "visit_findings", "fraud_signals", "signal_relations", "school_replies"]
                let rows = try await client.query("""
                    SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                    WHERE NOT t.tgisinternal AND t.tgname LIKE '%_evidence_%' AND t.tgenabled <> 'D'
                    """)
                var found: Set<String> = []
                for try await (table, name) in rows.decode((String, String).self) { found.insert("\(table) \(name)") }
                for table in tables {
                    for event in ["insert", "update", "delete"] {
                        #expect(found.contains("\(table) \(table)_evidence_\(event)"), "\(table) has no \(event) trigger")
                    }
                }
            }
        }
    }
}
