import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import Testing

extension APITests {
    /// The risk terms (sql/0039) against the evidence they stand for, and the bounded ranking against the
    /// brute force: random histories of every kind of write, checked at every instant they passed through.
    @Suite struct RiskTermTests {
        /// A random history of intake, transitions, links, duplicates, corroborations, back-dated visits and
        /// decisions, rectifications and retention; then, at each instant it passed through and on business
        /// dates before, inside and past the model's windows:
        /// - the terms kept equal the terms recomputed from the evidence as known then (`risk verify`),
        /// - every school's bound is at least its score,
        /// - the bounded ranking (top 2 and top 1,000) is the ranking of every school fully assessed.
        @Test func termsFollowTheEvidenceAndBoundedRankingsEqualFullOnes() async throws {
            try await withAPI { api in
                let today = APIFixtures.today
                let store = api.store
                var history = RandomHistory(store: store, seed: 20261202)
                var schools: [School] = []
                for n in 0..<5 {
                    let school = try await APIFixtures.school(store, 961 + n)
                    try await APIFixtures.mark(store, school, .grantedIndefinite, from: today.adding(days: -1500), until: nil)
                    schools.append(school)
                }
                var instants: [Date] = []
                var kinds: Set<String> = []
                for _ in 0..<70 {
                    let school = schools.randomElement(using: &history.rng)!
                    let written: String? =
                        switch Int.random(in: 0..<9, using: &history.rng) {
                        case 0, 1: try await history.intake(about: school)
                        case 2: try await history.transition()
                        case 3: try await history.link(to: school)
                        case 4: try await history.relate(Bool.random(using: &history.rng) ? .duplicate : .corroborating)
                        // Back-dated: visited up to four years ago, recorded now.
                        case 5, 6: try await history.visit(school, today: today, daysBack: 1500)
                        case 7: try await history.decide(school, [.suspended, .withdrawn, .grantedIndefinite], today: today, daysBack: 1400)
                        default: try await history.rectifyOrRetention()
                        }
                    guard let what = written else { continue }
                    kinds.insert(what)
                    // To the millisecond, as `asOf` is given; a pause so the next write falls in a later one.
                    instants.append(Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000))
                    try await Task.sleep(for: .milliseconds(2))
                }
                #expect(kinds.isSuperset(of: ["intake", "transition", "link", "duplicate", "corroborating", "visit", "decision"]),
                        "the kinds of write that happened: \(kinds.sorted())")

                let ids = schools.map(\.id)
                let model = try APITestSupport.riskModel()
                let assessor = RiskAssessor(model: model)
                let weights = RiskTerms.weights(for: model)
                let dates = [today.adding(days: -200), today, today.adding(days: 400), today.adding(days: 1096), today.adding(days: 1500)]
                // Every fifth instant and the last: each sees a different history.
                for (n, instant) in instants.enumerated() where n % 5 == 4 || n == instants.count - 1 {
                    let differences = try await store.verifyRiskTerms(schoolIds: ids, asOf: instant)
                    #expect(differences.isEmpty, "terms at instant \(n): \(differences)")
                    let evidence = try await store.evidence.evidence(schoolIds: ids, asOf: instant)
                    let asOf = AsOfTests.iso(instant)
                    for date in dates {
                        let full = Ranking.byScore(schools.map { s in
                            (s, assessor.assess(evidence[s.id] ?? RiskEvidence(schoolId: s.id, decisions: [], visits: [], signals: []),
                                                request: AssessmentRequest(date: date)))
                        })
                        let bounds = try await store.riskTerms.scoreBounds(schoolIds: ids, date: date, asOf: instant, weights: weights)
                        for (school, assessment) in full {
                            #expect(bounds[school.id]! >= assessment.oversight.score,
                                    "instant \(n), \(date): bound \(bounds[school.id]!) below score \(assessment.oversight.score)")
                        }
                        for top in [2, 1000] {
                            let ranking = try await api.get("/v1/reports/risk-ranking?top=\(top)&date=\(date)&asOf=\(asOf)", as: .analyst)
                                .json(Components.Schemas.RiskRanking.self)
                            #expect(ranking.items.map(\.school.id) == full.prefix(top).map(\.0.id.text), "instant \(n), \(date), top \(top)")
                            #expect(ranking.items.map(\.score) == full.prefix(top).map(\.1.oversight.score), "instant \(n), \(date), top \(top)")
                        }
                    }
                }
                #expect(try await store.verifyRiskTerms(schoolIds: ids, asOf: nil).isEmpty)
            }
        }

        /// A ranking narrowed to some schools, as the report asks for the earlier scores of those it lists;
        /// a bad list is a field error.
        @Test func rankingOfNamedSchools() async throws {
            try await withAPI { api in
                let today = APIFixtures.today
                var schools: [School] = []
                for n in 0..<3 {
                    let school = try await APIFixtures.school(api.store, 971 + n)
                    try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: today.adding(days: -400), until: nil)
                    schools.append(school)
                }
                try await APIFixtures.signal(api.store, about: schools[2], severity: .high, status: .substantiated)
                let two = [schools[0], schools[2]].map(\.id.text).joined(separator: ",")
                let ranking = try await api.get("/v1/reports/risk-ranking?schools=\(two)", as: .analyst).json(Components.Schemas.RiskRanking.self)
                #expect(ranking.items.map(\.school.id) == [schools[2].id.text, schools[0].id.text])
                #expect(ranking.items.first?.score == 16)
                for bad in ["not-an-id", "\(schools[0].id.text),", Array(repeating: schools[0].id.text, count: 101).joined(separator: ",")] {
                    _ = try expectProblem(try await api.get("/v1/reports/risk-ranking?schools=\(bad)", as: .analyst), 400, "validation",
                                          field: "schools")
                }
            }
        }
    }
}
