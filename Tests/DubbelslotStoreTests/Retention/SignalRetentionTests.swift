import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    /// Retention (docs/decisions/0013-pii-guard-and-retention.md): due texts removed everywhere they were copied, partial
    /// records finished, the facts kept, the audit chain extended with counts and still intact, one run at a time.
    @Suite("Retention")
    struct SignalRetentionTests {
        static let day: TimeInterval = 86_400
        static let removed = RetentionPolicy.removedText

        /// A signal received `daysAgo` days ago with a case reference, optionally concluded unfounded
        /// `unfoundedDaysAgo` days ago (through triaged, a transition note each).
        static func signal(_ store: Store, daysAgo: Double, caseReference: String?, unfoundedDaysAgo: Double? = nil,
                           schoolId: UUID? = nil, from municipality: Municipality = Fixtures.amsterdam) async throws -> FraudSignal {
            var new = Fixtures.newSignal(municipality, schoolId: schoolId, receivedAt: Date().addingTimeInterval(-daysAgo * day))
            new.caseReference = caseReference
            let signal = try await store.signals.record(new, actor: Fixtures.actor)
            if let unfoundedDaysAgo {
                _ = try await store.signals.transition(signal.id, to: .triaged, expectedVersion: 1, note: "Ontvankelijk, melder gebeld.",
                                                       actor: Fixtures.actor, at: Date().addingTimeInterval(-(unfoundedDaysAgo + 5) * day))
                _ = try await store.signals.transition(signal.id, to: .unfounded, expectedVersion: 2, note: "Geen aanwijzingen gevonden.",
                                                       actor: Fixtures.actor, at: Date().addingTimeInterval(-unfoundedDaysAgo * day))
            }
            return signal
        }

        /// Texts of a signal that are not the removed marker: summary, case reference and every note.
        static func remainingTexts(_ client: PostgresClient, _ id: UUID) async throws -> Int {
            let rows = try await client.query(
                """
                SELECT (SELECT count(*) FROM fraud_signals WHERE id = \(id) AND summary <> \(removed))
                     + (SELECT count(case_reference) FROM fraud_signals WHERE id = \(id))
                     + (SELECT count(*) FROM signal_transitions WHERE signal_id = \(id) AND note <> \(removed))
                     + (SELECT count(*) FROM signal_forwards WHERE signal_id = \(id) AND note <> \(removed))
                     + (SELECT count(*) FROM signal_relations WHERE (signal_id = \(id) OR related_signal_id = \(id)) AND note <> \(removed))
                     + (SELECT count(*) FROM signal_school_links WHERE signal_id = \(id) AND note <> \(removed))
                     + (SELECT count(*) FROM signal_match_rejections WHERE signal_id = \(id) AND note <> \(removed))
                """, logger: TestLogging.logger)
            for try await n in rows.decode(Int.self) { return n }
            return 0
        }

        @Test("due texts go everywhere they were copied; partial records are finished; facts and the chain stay")
        func removesDueTexts() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let other = try await store.schools.create(Fixtures.newSchool(2), actor: Fixtures.actor)
                // A: unfounded 200 days ago, with a case reference, a forward, a relation, a rejected candidate and a link.
                let a = try await Self.signal(store, daysAgo: 240, caseReference: "ZAAK-A", unfoundedDaysAgo: 200)
                // B: unfounded 150 days ago (not yet due), related to A.
                let b = try await Self.signal(store, daysAgo: 170, caseReference: "ZAAK-B", unfoundedDaysAgo: 150, schoolId: other.id,
                                         from: Fixtures.rotterdam)
                _ = try await store.signals.forward(a.id, to: .inspectorate, note: "Doorgezet naar de inspectie.", actor: Fixtures.actor)
                _ = try await store.signals.rejectCandidate(a.id, schoolId: school.id, note: "Andere vestiging.", actor: Fixtures.actor)
                _ = try await store.signals.link(a.id, schoolId: other.id, note: "KvK komt overeen.", actor: Fixtures.actor)
                _ = try await store.signals.relate(a.id, to: b.id, kind: .corroborating, note: "Zelfde patroon.", actor: Fixtures.actor)
                // C: received six years ago, still substantiated-free: only a summary (no case reference).
                let c = try await Self.signal(store, daysAgo: 6 * 366, caseReference: nil, schoolId: school.id)
                // D: received four years ago: kept.
                let d = try await Self.signal(store, daysAgo: 4 * 365, caseReference: "ZAAK-D", schoolId: school.id)
                // E: unfounded 250 days ago, its summary already removed but its case reference left (a partial record).
                let e = try await Self.signal(store, daysAgo: 300, caseReference: "ZAAK-E", unfoundedDaysAgo: 250)
                _ = try await client.query("UPDATE fraud_signals SET summary = \(Self.removed) WHERE id = \(e.id)", logger: TestLogging.logger).collect()

                let textsOfA = try await Self.remainingTexts(client, a.id)
                let textsOfE = try await Self.remainingTexts(client, e.id)
                #expect(textsOfA == 1 + 1 + 2 + 1 + 1 + 1 + 1, "summary, case reference, 2 transition notes, forward, relation, rejection, link")
                let policy = RetentionPolicy(unfoundedSignalMonths: 6, signalTextYears: 5, batchSize: 1)
                let due = try await store.retention.due(policy, now: Date())
                #expect(due.map(\.rule) == ["unfoundedSignals", "signalTexts"])
                #expect(due.map(\.signals) == [2, 1])
                let auditBefore = try await store.audit.entries(subject: "signals", after: nil, limit: 500).count

                let result = try await store.retention.run(policy, now: Date(), actor: Fixtures.actor)

                #expect(result.map(\.signals) == [2, 1])
                #expect(result.map(\.batches) == [2, 1], "batchSize 1: one transaction per signal")
                #expect(result[0].caseReferences == 2 && result[1].caseReferences == 0)
                // A's notes (all its texts minus the summary and reference) plus E's two transition notes.
                #expect(result[0].notes == (textsOfA - 2) + (textsOfE - 1))
                for id in [a.id, c.id, e.id] { #expect(try await Self.remainingTexts(client, id) == 0) }
                // B keeps its own texts; only the relation's note, shared with A, went.
                #expect(try await Self.remainingTexts(client, b.id) == 1 + 1 + 2)
                #expect(try await Self.remainingTexts(client, d.id) == 2)

                // The facts stay.
                let afterA = try #require(try await store.signals.get(a.id))
                #expect(afterA.summary == Self.removed && afterA.caseReference == nil)
                #expect((afterA.category, afterA.severity, afterA.status, afterA.receivedAt, afterA.schoolId)
                    == (a.category, a.severity, .unfounded, a.receivedAt, other.id))
                let afterC = try #require(try await store.signals.get(c.id))
                #expect(afterC.summary == Self.removed && afterC.schoolId == school.id && afterC.severity == c.severity)

                // The chain: one entry per batch, counts only, still intact.
                let entries = try await store.audit.entries(subject: "signals", after: nil, limit: 500).filter { $0.action == "retention.removeText" }
                #expect(entries.count == 3)
                #expect(try await store.audit.entries(subject: "signals", after: nil, limit: 500).count == auditBefore + 3)
                for entry in entries {
                    #expect(Set(entry.details.keys) == ["rule", "before", "signals", "caseReferences", "notes"])
                    #expect(!entry.details.values.contains { $0.contains("ZAAK") || $0.contains("Lessen") })
                }
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .intact(entries: Int64(try await store.audit.entries(subject: nil, after: nil, limit: 500).count)))

                // Nothing is due any more: a second run changes nothing and writes nothing.
                let again = try await store.retention.run(policy, now: Date(), actor: Fixtures.actor)
                #expect(again.map(\.signals) == [0, 0] && again.map(\.batches) == [0, 0])
                #expect(try await store.audit.entries(subject: "signals", after: nil, limit: 500).count == auditBefore + 3)
            }
        }

        @Test("a run while another holds the lock changes nothing and says so")
        func refusesASecondRun() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let old = try await Self.signal(store, daysAgo: 6 * 366, caseReference: "ZAAK-OUD")
                try await client.withConnection { holder in
                    _ = try await holder.query("SELECT pg_advisory_lock(\(SignalRetention.lockKey))", logger: TestLogging.logger).collect()
                    await #expect(throws: SignalRetention.RetentionError.self) {
                        _ = try await store.retention.run(RetentionPolicy(), now: Date(), actor: Fixtures.actor)
                    }
                    _ = try await holder.query("SELECT pg_advisory_unlock(\(SignalRetention.lockKey))", logger: TestLogging.logger).collect()
                }
                #expect(try await Self.remainingTexts(client, old.id) == 2)
                // Released: the next run does its work.
                #expect(try await store.retention.run(RetentionPolicy(), now: Date(), actor: Fixtures.actor).map(\.signals) == [0, 1])
            }
        }

        @Test("runs started together: each signal handled once, the others refused, the chain intact")
        func concurrentRuns() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                for i in 0..<30 { _ = try await Self.signal(store, daysAgo: 6 * 366 + Double(i), caseReference: "ZAAK-\(i)") }
                let policy = RetentionPolicy(batchSize: 4)
                let outcomes = await withTaskGroup(of: Result<[SignalRetention.RuleCounts], any Error>.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            do { return .success(try await store.retention.run(policy, now: Date(), actor: Fixtures.actor)) } catch { return .failure(error) }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                var removed = 0
                for outcome in outcomes {
                    switch outcome {
                    case .success(let counts): removed += counts.map(\.signals).reduce(0, +)
                    case .failure(let error): #expect(error is SignalRetention.RetentionError, "\(error)")
                    }
                }
                #expect(outcomes.contains { if case .success = $0 { true } else { false } })
                #expect(removed == 30, "every signal handled exactly once over all runs")
                let entries = try await store.audit.entries(subject: "signals", after: nil, limit: 500).filter { $0.action == "retention.removeText" }
                #expect(entries.compactMap { Int($0.details["signals"] ?? "") }.reduce(0, +) == 30)
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .intact(entries: Int64(try await store.audit.entries(subject: nil, after: nil, limit: 500).count)))
            }
        }
    }
}
