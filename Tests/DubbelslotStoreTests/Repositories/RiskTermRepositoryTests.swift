import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    /// `verifyRiskTerms`, what `dubbelslot risk verify` runs: it finds a term that is missing, one that is
    /// wrong and one that should not be there, and nothing when the triggers kept them.
    @Suite("Risk terms verified against the evidence")
    struct RiskTermRepositoryTests {
        @Test("terms kept by the triggers agree; a deleted, an altered and an extra term are each named")
        func verifyNamesEveryDifference() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let other = try await store.schools.create(Fixtures.newSchool(2), actor: Fixtures.actor)
                let visit = try await store.visits.record(Fixtures.visitWithMinorFinding, schoolId: school.id, actor: Fixtures.actor)
                let signal = try await store.signals.record(Fixtures.newSignal(schoolId: school.id), actor: Fixtures.actor)
                _ = try await store.signals.record(Fixtures.newSignal(schoolId: other.id), actor: Fixtures.actor)
                let ids = [school.id, other.id]
                #expect(try await store.verifyRiskTerms(schoolIds: ids, asOf: nil).isEmpty)

                // Behind the triggers' back: the visit's term goes, the signal's key changes, the other school gets one too many.
                let logger = TestLogging.logger
                _ = try await client.query("DELETE FROM risk_terms WHERE evidence_id = \(visit.id)", logger: logger).collect()
                _ = try await client.query("UPDATE risk_terms SET key = 'signal/high/substantiated' WHERE evidence_id = \(signal.id)",
                                           logger: logger).collect()
                let stray = UUID()
                _ = try await client.query("""
                    INSERT INTO risk_terms (evidence_id, school_id, kind, key, anchor_date, sys_from)
                    VALUES (\(stray), \(other.id), 'visit', 'visit/financial/majorFindings', DATE '2025-01-01', now())
                    """, logger: logger).collect()

                let differences = Dictionary(uniqueKeysWithValues: try await store.verifyRiskTerms(schoolIds: ids, asOf: nil).map { ($0.schoolId, $0) })
                let mine = try #require(differences[school.id])
                #expect(Set(mine.missing.map(\.evidenceId)) == [visit.id, signal.id])
                #expect(mine.unexpected.map(\.key) == ["signal/high/substantiated"])
                let theirs = try #require(differences[other.id])
                #expect(theirs.missing.isEmpty && theirs.unexpected.map(\.evidenceId) == [stray])
            }
        }
    }
}
