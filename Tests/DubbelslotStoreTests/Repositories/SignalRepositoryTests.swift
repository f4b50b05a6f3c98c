import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    @Suite("SignalRepository")
    struct SignalRepositoryTests {
        @Test("references are SIG-GMnnnn-YYYY-nnnnnn, numbered per municipality and year of receipt in Europe/Amsterdam")
        func referenceFormat() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                // 23:30 UTC on New Year's Eve is already 2026 in Amsterdam.
                let newYear = try await store.signals.record(Fixtures.newSignal(receivedAt: Fixtures.instant("2025-12-31T23:30:00Z")), actor: Fixtures.actor)
                let summer = try await store.signals.record(Fixtures.newSignal(receivedAt: Fixtures.instant("2025-06-01T10:00:00Z")), actor: Fixtures.actor)
                let next = try await store.signals.record(Fixtures.newSignal(receivedAt: Fixtures.instant("2026-02-01T09:00:00Z")), actor: Fixtures.actor)
                let utrecht = try await store.signals.record(Fixtures.newSignal(Fixtures.utrecht, receivedAt: Fixtures.instant("2026-02-01T09:00:00Z")),
                                                             actor: Fixtures.actor)
                #expect(newYear.reference == "SIG-GM0363-2026-000001")
                #expect(summer.reference == "SIG-GM0363-2025-000001")
                #expect(next.reference == "SIG-GM0363-2026-000002")
                #expect(utrecht.reference == "SIG-GM0344-2026-000001", "each municipality counts its own signals")

                let now = try await store.signals.record(Fixtures.newSignal(), actor: Fixtures.actor)
                #expect(now.reference.wholeMatch(of: /SIG-GM\d{4}-\d{4}-\d{6}/) != nil)
                #expect(now.reference.hasPrefix("SIG-GM0363-\(LocalDate(instant: now.receivedAt).year)-"))
                #expect(abs(now.receivedAt.timeIntervalSinceNow) < 60)
            }
        }

        @Test("concurrent intakes of two municipalities get distinct, consecutive references each")
        func concurrentReferences() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let count = 40
                let references = try await withThrowingTaskGroup(of: String.self, returning: [String].self) { group in
                    for i in 0..<count {
                        group.addTask {
                            try await store.signals.record(Fixtures.newSignal(i % 2 == 0 ? Fixtures.amsterdam : Fixtures.utrecht,
                                                                              receivedAt: Fixtures.instant("2025-03-03T12:00:00Z")),
                                                           actor: Fixtures.actor).reference
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(Set(references).count == count)
                #expect(references.filter { $0.hasPrefix("SIG-GM0363-") }.sorted() == (1...count / 2).map { String(format: "SIG-GM0363-2025-%06ld", $0) })
                #expect(references.filter { $0.hasPrefix("SIG-GM0344-") }.sorted() == (1...count / 2).map { String(format: "SIG-GM0344-2025-%06ld", $0) })
            }
        }

        @Test("a signal of one municipality does not wait for another's intake in progress")
        func oneMunicipalityDoesNotWaitForAnother() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                _ = try await store.signals.record(Fixtures.newSignal(), actor: Fixtures.actor)
                try await client.withTransaction(logger: TestLogging.logger) { connection in
                    // Amsterdam's counter held as an intake of Amsterdam holds it until its commit.
                    _ = try await connection.query(
                        "SELECT last FROM signal_reference_counters_by_municipality WHERE municipality_code = 'GM0363' FOR UPDATE",
                        logger: TestLogging.logger).collect()
                    _ = try await connection.query("SET LOCAL lock_timeout = '2s'", logger: TestLogging.logger).collect()
                    // Utrecht's intake goes through meanwhile; a second Amsterdam intake would wait here.
                    let utrecht = try await store.signals.record(Fixtures.newSignal(Fixtures.utrecht), actor: Fixtures.actor)
                    #expect(utrecht.reference.hasPrefix("SIG-GM0344-"))
                }
            }
        }

        @Test("record then get round-trips every field and writes the first transition")
        func roundTrip() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let new = NewSignal(municipalityCode: Fixtures.utrecht.code, schoolId: school.id, reportedSchoolName: "Fictieve Taalschool 1",
                                    reportedKvkNumber: Fixtures.kvk(1), reportedPlace: "Utrecht", category: .attendanceFalsified,
                                    severity: .high, observedFrom: Fixtures.date("2024-09-02"), observedUntil: nil,
                                    summary: "Handtekeningen op de presentielijst lijken nagemaakt.", source: .staffReport,
                                    receivedAt: Fixtures.instant("2025-04-01T08:15:30Z"))
                let signal = try await store.signals.record(new, actor: "signaller:123")
                #expect(signal.municipalityCode == Fixtures.utrecht.code)
                #expect(signal.schoolId == school.id)
                #expect(signal.reportedKvkNumber == Fixtures.kvk(1))
                #expect(signal.category == .attendanceFalsified)
                #expect(signal.severity == .high)
                #expect(signal.observedFrom == Fixtures.date("2024-09-02"))
                #expect(signal.observedUntil == nil)
                #expect(signal.source == .staffReport)
                #expect(signal.status == .received)
                #expect(signal.receivedAt == Fixtures.instant("2025-04-01T08:15:30Z"))
                #expect(signal.recordedBy == "signaller:123")
                #expect(try await store.signals.get(signal.id) == signal)
                #expect(try await store.signals.get(UUID()) == nil)

                let transitions = try await execute(client, """
                    SELECT from_status, to_status, at, by FROM signal_transitions WHERE signal_id = \(signal.id)
                    """).map { try $0.decode((String?, String, Date, String).self) }
                #expect(transitions.count == 1)
                #expect(transitions.first?.0 == nil)
                #expect(transitions.first?.1 == "received")
                #expect(transitions.first?.2 == signal.receivedAt)
                #expect(transitions.first?.3 == "signaller:123")
            }
        }

        @Test("a signal without schoolId is linked by its reported KvK number when a school has it")
        func linkByKvK() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let linked = try await store.signals.record(Fixtures.newSignal(kvk: Fixtures.kvk(1)), actor: Fixtures.actor)
                let unmatched = try await store.signals.record(Fixtures.newSignal(kvk: Fixtures.kvk(2)), actor: Fixtures.actor)
                let anonymous = try await store.signals.record(Fixtures.newSignal(), actor: Fixtures.actor)
                #expect(linked.schoolId == school.id)
                #expect(unmatched.schoolId == nil)
                #expect(anonymous.schoolId == nil)
            }
        }

        @Test("unknown municipality or school is an unknown reference")
        func unknownReferences() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let nowhere = Fixtures.municipality("GM9999", "Nergens", "PV27", "Noord-Holland")
                let noMunicipality = await storeError { _ = try await store.signals.record(Fixtures.newSignal(nowhere), actor: Fixtures.actor) }
                #expect(noMunicipality == .unknownReference(field: "municipalityCode"))
                let noSchool = await storeError { _ = try await store.signals.record(Fixtures.newSignal(schoolId: UUID()), actor: Fixtures.actor) }
                #expect(noSchool == .unknownReference(field: "schoolId"))
            }
        }

        @Test("list filters by school, status and municipality and pages newest first")
        func list() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                var recorded: [FraudSignal] = []
                for day in 1...5 {
                    let municipality = day.isMultiple(of: 2) ? Fixtures.utrecht : Fixtures.amsterdam
                    recorded.append(try await store.signals.record(
                        Fixtures.newSignal(municipality, schoolId: day <= 3 ? school.id : nil,
                                           receivedAt: Fixtures.instant("2025-05-0\(day)T12:00:00Z")),
                        actor: Fixtures.actor))
                }
                try await execute(client, "UPDATE fraud_signals SET status = 'triaged' WHERE id = \(recorded[0].id)")
                let newestFirst = recorded.reversed().map(\.id)

                var seen: [UUID] = []
                var cursor: UUID?
                repeat {
                    let page = try await store.signals.list(SignalQuery(after: cursor, limit: 2))
                    seen += page.signals.map(\.id)
                    cursor = page.nextCursor
                } while cursor != nil && seen.count < 10
                #expect(seen == newestFirst)

                #expect(try await store.signals.list(SignalQuery(schoolId: school.id)).signals.map(\.id) == [recorded[2].id, recorded[1].id, recorded[0].id])
                #expect(try await store.signals.list(SignalQuery(municipality: Fixtures.utrecht.code)).signals.map(\.id) == [recorded[3].id, recorded[1].id])
                let triaged = try await store.signals.list(SignalQuery(status: .triaged)).signals
                #expect(triaged.map(\.id) == [recorded[0].id])
                #expect(triaged.first?.status == .triaged)
                #expect(try await store.signals.list(SignalQuery(schoolId: school.id, status: .received, municipality: Fixtures.amsterdam.code))
                            .signals.map(\.id) == [recorded[2].id])
            }
        }
    }
}
