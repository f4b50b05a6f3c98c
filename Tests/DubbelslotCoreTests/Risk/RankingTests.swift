import DubbelslotCore
import Foundation
import Testing

extension CoreTests {
    /// The orders of ranked lists (Risk/Ranking.swift), on assessments made by the shipped model.
    @Suite struct RankingTests {
        /// A fictional school `n` assessed with `signals` high signals received `today`, a mark in force and
        /// a recent compliant visit; `blocked` adds a recent refused visit (a hard block).
        func assessed(_ n: Int, name: String, highSignals: Int, blocked: Bool = false) -> (School, Assessment) {
            let school = School(id: UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", n))!, name: name, tradeNames: [],
                                kvkNumber: KvKNumber(String(format: "%08d", 70_000 + n))!, municipalityCode: MunicipalityCode("GM0363")!,
                                routes: [.b1Route], isFictional: true, locations: [], recordedAt: Date(timeIntervalSince1970: 0))
            var visits = [visit(on: today.adding(days: -60))]
            if blocked { visits.append(visit(.classroom, .accessRefused, on: today.adding(days: -10))) }
            let evidence = RiskEvidence(schoolId: schoolId, decisions: [decision(.grantedIndefinite, "2020-01-01")], visits: visits,
                                        signals: (0..<highSignals).map { _ in signal(.high, .substantiated, receivedOn: today.adding(days: -400)) })
            return (school, RiskAssessor(model: shippedModel).assess(evidence, request: AssessmentRequest(date: today)))
        }

        @Test func theReportRanksByScoreThenNameThenId() {
            let items = [assessed(1, name: "Bravo Voorbeeld", highSignals: 1), assessed(2, name: "Alfa Voorbeeld", highSignals: 1),
                         assessed(3, name: "Charlie Voorbeeld", highSignals: 3), assessed(4, name: "Alfa Voorbeeld", highSignals: 1)]
            let order = Ranking.byScore(items).map { $0.0.id.uuidString.suffix(1) }
            #expect(order == ["3", "2", "4", "1"])
            #expect(Ranking.byScore(items.reversed()).map(\.0.id) == Ranking.byScore(items).map(\.0.id), "the order depends on the input order")
        }

        @Test func aMunicipalitysListPutsBlockedFirstThenCautionThenClear() {
            let items = [assessed(1, name: "Clear Voorbeeld", highSignals: 0), assessed(2, name: "Blocked Voorbeeld", highSignals: 0, blocked: true),
                         assessed(3, name: "Many Voorbeeld", highSignals: 3)]
            let verdicts = Ranking.byVerdict(items).map(\.1.verdict)
            #expect(verdicts == verdicts.sorted { order($0) < order($1) }, "\(verdicts)")
            #expect(Ranking.byVerdict(items).first?.1.verdict == .blocked)
            #expect(Ranking.byVerdict(items.reversed()).map(\.0.id) == Ranking.byVerdict(items).map(\.0.id))
        }

        /// The bounded ranking equals the first `top` of the full one whatever the bounds, as long as none is
        /// below its school's score, and assesses fewer schools the tighter the bounds; ties at the top
        /// (several schools at one score) are broken by name as in the full ranking.
        @Test func aBoundedRankingEqualsTheFullOneAndAssessesOnlyWhatItNeeds() async throws {
            var rng = SeededGenerator(seed: 7)
            let names = ["Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]
            let items = (1...40).map { n in
                assessed(n, name: "\(names.randomElement(using: &rng)!) Voorbeeld", highSignals: Int.random(in: 0...8, using: &rng))
            }
            let byId = Dictionary(uniqueKeysWithValues: items.map { ($0.0.id, $0) })
            for top in [1, 3, 10, 40, 100] {
                for slack in [0.0, 0.05, 5, 100] {
                    let counter = Counter()
                    let candidates = items.map { (school: $0.0, bound: min(100, $0.1.oversight.score + Double.random(in: 0...slack, using: &rng))) }
                    let ranked = try await Ranking.topByScore(candidates, top: top, batch: 2) { schools in
                        await counter.add(schools.count)
                        return schools.map { byId[$0.id]! }
                    }
                    #expect(ranked.map(\.0.id) == Ranking.byScore(items).prefix(top).map(\.0.id), "top \(top), slack \(slack)")
                    let assessedCount = await counter.total
                    if slack == 0 && top <= 3 { #expect(assessedCount < 20, "exact bounds assess few schools: \(assessedCount)") }
                }
            }
        }

        actor Counter {
            var total = 0
            func add(_ n: Int) { total += n }
        }

        private func order(_ v: Verdict) -> Int { v == .blocked ? 0 : v == .caution ? 1 : 2 }
    }
}
