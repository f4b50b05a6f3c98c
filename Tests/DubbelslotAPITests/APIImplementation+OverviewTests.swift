import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import HTTPTypes
import Testing

extension APITests {
    /// The double-lock overview of one school and of a municipality's candidates, on real rows.
    @Suite struct APIImplementationOverviewTests {
        @Test func schoolOverviewShowsBothLocksAndTheirEvidence() async throws {
            try await withAPI { api in
                // Setup: a fixed-term mark ending in 100 days, a visit with a minor finding 30 days ago, a signal reported today.
                let today = APIFixtures.today
                let school = try await APIFixtures.school(api.store, 901, routes: [.b1Route, .educationRoute])
                let mark = try await APIFixtures.mark(api.store, school, .grantedFixedTerm, from: today.adding(days: -300), until: today.adding(days: 100))
                let visit = try await APIFixtures.visit(api.store, school, .classroom, on: today.adding(days: -30), outcome: .minorFindings)
                let reported = try await api.post("/v1/signals", as: .signaller, json: APIFixtures.json(APIFixtures.newSignalBody(schoolId: school.id)))
                let signal = try reported.json(Components.Schemas.FraudSignal.self)
                let path = "/v1/schools/\(school.id.text)/overview"

                // Call
                let reply = try await api.get("\(path)?date=\(today)", as: .buyer)

                // Checks
                #expect(reply.status == .ok, "\(reply.text)")
                let overview = try reply.json(Components.Schemas.DoubleLockOverview.self)
                #expect(overview.school.id == school.id.text)
                #expect(overview.school.isFictional)
                #expect(overview.date == today.description)
                #expect(overview.modelVersion == "1.0.0")
                #expect(overview.contractFrom == nil)
                #expect(overview.qualityMark.state == .open)
                #expect(overview.qualityMark.decisionInForce?.id == mark.id.text)
                #expect(overview.qualityMark.coversContractPeriod == nil)
                #expect(!overview.qualityMark.reasons.isEmpty)
                #expect(overview.oversight.state == .open)
                #expect(overview.oversight.band == .low)
                #expect(overview.oversight.hardBlocks.isEmpty)
                let byKind = Dictionary(grouping: overview.oversight.contributions, by: \.kind)
                // A buyer reads no signal in full: the term names the month, not the signal.
                #expect(byKind[.signal]?.map(\.evidenceIds) == [[]])
                #expect(byKind[.signal]?.first?.evidenceMonth == String(today.description.prefix(7)))
                let inspected = try await api.get("\(path)?date=\(today)", as: .inspector).json(Components.Schemas.DoubleLockOverview.self)
                #expect(inspected.oversight.contributions.filter { $0.kind == .signal }.map(\.evidenceIds) == [[signal.id]])
                #expect(byKind[.visit]?.map(\.evidenceIds) == [[visit.id.text]])
                #expect(byKind[.visit]?.first?.rule == "visits.minorFindings")
                #expect(byKind[.visit]?.first?.evidenceDate == today.adding(days: -30).description)
                // Medium received signal today: 8 points × 0.5; minor findings 30 days ago: 3 × 0.5^(30/365).
                #expect(byKind[.signal]?.first?.points == 4)
                let total = overview.oversight.contributions.reduce(0) { $0 + $1.points }
                #expect(abs(overview.oversight.score - (total * 10).rounded() / 10) < 0.001)
                #expect(overview.oversight.score > 4 && overview.oversight.score < 15)
                #expect(overview.coverage.lastVisitByKind.classroom == today.adding(days: -30).description)
                #expect(overview.coverage.lastVisitByKind.financial == nil)
                #expect(overview.coverage.signalsKnown == 1)
                #expect(overview.coverage.signalsOpen == 1)
                #expect(overview.coverage.sufficient)
                #expect(overview.verdict == .clear)

                // Without a date: today (Europe/Amsterdam).
                let undated = try await api.get(path, as: .analyst)
                #expect(try undated.json(Components.Schemas.DoubleLockOverview.self).date == today.description)
            }
        }

        @Test func contractPeriodBeyondAFixedTermMarkAsksAttention() async throws {
            try await withAPI { api in
                let today = APIFixtures.today
                let school = try await APIFixtures.school(api.store, 901)
                try await APIFixtures.mark(api.store, school, .grantedFixedTerm, from: today.adding(days: -300), until: today.adding(days: 100))
                try await APIFixtures.visit(api.store, school, on: today.adding(days: -30))
                let path = "/v1/schools/\(school.id.text)/overview?date=\(today)"

                // The mark ends on day 100 of a 200-day contract.
                let beyond = try await api.get("\(path)&contractFrom=\(today)&contractTo=\(today.adding(days: 200))", as: .buyer)
                #expect(beyond.status == .ok, "\(beyond.text)")
                let b = try beyond.json(Components.Schemas.DoubleLockOverview.self)
                #expect(b.contractFrom == today.description)
                #expect(b.contractTo == today.adding(days: 200).description)
                #expect(b.qualityMark.state == .attention)
                #expect(b.qualityMark.coversContractPeriod == false)
                #expect(b.oversight.state == .open)
                #expect(b.verdict == .caution)

                // A contract ending on the mark's last day (contractTo inclusive, validUntil exclusive) is covered.
                let within = try await api.get("\(path)&contractFrom=\(today)&contractTo=\(today.adding(days: 99))", as: .buyer)
                let w = try within.json(Components.Schemas.DoubleLockOverview.self)
                #expect(w.qualityMark.state == .open)
                #expect(w.qualityMark.coversContractPeriod == true)
                #expect(w.verdict == .clear)

                // One day more is not.
                let oneMore = try await api.get("\(path)&contractFrom=\(today)&contractTo=\(today.adding(days: 100))", as: .buyer)
                #expect(try oneMore.json(Components.Schemas.DoubleLockOverview.self).qualityMark.coversContractPeriod == false)

                // The education route is outside the quality mark.
                let education = try await api.get("\(path)&route=educationRoute", as: .buyer)
                let e = try education.json(Components.Schemas.DoubleLockOverview.self)
                #expect(e.route == .educationRoute)
                #expect(e.qualityMark.state == .notApplicable)
                #expect(e.verdict == .clear)
            }
        }

        /// The list and today's ranking keep rows while a school's evidence holds: after every kind of
        /// change they still give what a fresh assessment (the school's own overview) gives.
        @Test func theListAndTheRankingFollowEveryEvidenceChange() async throws {
            try await withAPI { api in
                let today = APIFixtures.today
                let store = api.store
                let school = try await APIFixtures.school(store, 911)
                try await APIFixtures.mark(store, school, .grantedIndefinite, from: today.adding(days: -500), until: nil)
                try await APIFixtures.visit(store, school, on: today.adding(days: -60))
                let bystander = try await APIFixtures.school(store, 912)
                try await APIFixtures.mark(store, bystander, .grantedIndefinite, from: today.adding(days: -500), until: nil)
                var seen: Set<String> = []
                func expectFresh(_ step: String) async throws {
                    let fresh = try await api.get("/v1/schools/\(school.id.text)/overview", as: .inspector)
                        .json(Components.Schemas.DoubleLockOverview.self)
                    let list = try await api.get("/v1/overview?municipality=GM0363", as: .buyer).json(Components.Schemas.MunicipalityOverview.self)
                    let row = try #require(list.items.first { $0.school.id == school.id.text })
                    #expect(row.verdict == fresh.verdict && row.score == fresh.oversight.score && row.band == fresh.oversight.band
                            && row.qualityMarkState == fresh.qualityMark.state && row.coverageSufficient == fresh.coverage.sufficient, "list after \(step)")
                    let ranking = try await api.get("/v1/reports/risk-ranking?top=1000", as: .analyst).json(Components.Schemas.RiskRanking.self)
                    let ranked = try #require(ranking.items.first { $0.school.id == school.id.text })
                    #expect(ranked.score == fresh.oversight.score && ranked.verdict == fresh.verdict
                            && ranked.topContributions.map(\.rule) == fresh.oversight.contributions.prefix(3).map(\.rule), "ranking after \(step)")
                    seen.insert("\(fresh.verdict.rawValue) \(fresh.oversight.score)")
                }
                try await expectFresh("the start")
                let first = try await APIFixtures.signal(store, about: school, severity: .medium)
                try await expectFresh("an intake")
                let rotterdam = try await APIFixtures.signal(store, from: APIFixtures.rotterdam, about: nil, severity: .high)
                try await expectFresh("an unmatched intake")
                _ = try await store.signals.link(rotterdam.id, schoolId: school.id, note: "Zelfde KvK.", actor: APIFixtures.actor)
                try await expectFresh("a link")
                _ = try await store.signals.transition(first.id, to: .triaged, expectedVersion: 1, note: "Bekeken.", actor: APIFixtures.actor)
                _ = try await store.signals.transition(first.id, to: .underInvestigation, expectedVersion: 2, note: "Onderzoek.", actor: APIFixtures.actor)
                try await expectFresh("transitions")
                _ = try await store.signals.relate(rotterdam.id, to: first.id, kind: .corroborating, note: "Zelfde feiten.", actor: APIFixtures.actor)
                try await expectFresh("a corroborating link")
                try await APIFixtures.visit(store, school, .financial, on: today.adding(days: -5), outcome: .majorFindings)
                try await expectFresh("a visit")
                _ = try await store.signals.transition(rotterdam.id, to: .triaged, expectedVersion: 2, note: "Bekeken.", actor: APIFixtures.actor)
                _ = try await store.signals.transition(rotterdam.id, to: .underInvestigation, expectedVersion: 3, note: "Onderzoek.", actor: APIFixtures.actor)
                _ = try await store.signals.transition(rotterdam.id, to: .substantiated, expectedVersion: 4, note: "Bewezen.", actor: APIFixtures.actor)
                try await expectFresh("a substantiated signal")
                try await APIFixtures.mark(store, school, .suspended, from: today.adding(days: -1), until: nil)
                try await expectFresh("a suspension")
                #expect(seen.count >= 5, "the steps changed the answer: \(seen)")
            }
        }

        /// Random histories over three schools (intake, transitions, links and re-links, corroboration,
        /// visits with findings, quality-mark decisions, replies, in any order): after every write the
        /// list's row and the ranking's row of every school equal what its fresh overview gives.
        @Test func keptRowsEqualFreshAssessmentsOnRandomHistories() async throws {
            try await withAPI { api in
                let today = APIFixtures.today
                let store = api.store
                var history = RandomHistory(store: store, seed: 20261201)
                var schools: [School] = []
                for n in 0..<3 {
                    let school = try await APIFixtures.school(store, 931 + n)
                    try await APIFixtures.mark(store, school, .grantedIndefinite, from: today.adding(days: -900), until: nil)
                    schools.append(school)
                }
                var kinds: Set<String> = []
                // Two reports on one school from two municipalities, so corroboration can happen from the start.
                for m in [APIFixtures.amsterdam, APIFixtures.rotterdam] {
                    _ = try await history.intake(about: schools[0], from: m, severity: .high)
                }
                for step in 0..<40 {
                    let school = schools.randomElement(using: &history.rng)!
                    let written: String? =
                        switch Int.random(in: 0..<7, using: &history.rng) {
                        case 0, 1: try await history.intake(about: school)
                        case 2: try await history.transition()
                        case 3: try await history.link(to: school)
                        case 4: try await history.relate(.corroborating)
                        case 5: try await history.visit(school, today: today, daysBack: 800)
                        default:
                            if Bool.random(using: &history.rng) {
                                try await history.reply(today: today)
                            } else {
                                try await history.decide(school, [.suspended, .grantedIndefinite], today: today, daysBack: 300)
                            }
                        }
                    guard let what = written else { continue }
                    kinds.insert(what)
                    let list = try await api.get("/v1/overview?municipality=GM0363", as: .buyer).json(Components.Schemas.MunicipalityOverview.self)
                    let ranking = try await api.get("/v1/reports/risk-ranking?top=1000", as: .analyst).json(Components.Schemas.RiskRanking.self)
                    for s in schools {
                        let fresh = try await api.get("/v1/schools/\(s.id.text)/overview", as: .inspector).json(Components.Schemas.DoubleLockOverview.self)
                        let row = try #require(list.items.first { $0.school.id == s.id.text })
                        let ranked = try #require(ranking.items.first { $0.school.id == s.id.text })
                        #expect(row.verdict == fresh.verdict && row.score == fresh.oversight.score && row.band == fresh.oversight.band
                                && row.coverageSufficient == fresh.coverage.sufficient, "step \(step), \(what): list")
                        #expect(ranked.score == fresh.oversight.score && ranked.verdict == fresh.verdict
                                && ranked.topContributions.map(\.points) == fresh.oversight.contributions.prefix(3).map(\.points), "step \(step), \(what): ranking")
                    }
                }
                #expect(kinds.count == 7, "every kind of write happened: \(kinds.sorted())")
            }
        }

        @Test func municipalityOverviewListsCandidatesBlockedFirst() async throws {
            try await withAPI { api in
                // Setup
                let today = APIFixtures.today
                let store = api.store
                let noMark = try await APIFixtures.school(store, 901)
                let clear = try await APIFixtures.school(store, 902)
                try await APIFixtures.mark(store, clear, .grantedIndefinite, from: today.adding(days: -500), until: nil)
                try await APIFixtures.visit(store, clear, on: today.adding(days: -60))
                let aspirant = try await APIFixtures.school(store, 903)
                try await APIFixtures.mark(store, aspirant, .aspirant, from: today.adding(days: -100), until: nil)
                try await APIFixtures.visit(store, aspirant, .newEntrant, on: today.adding(days: -90))
                let refused = try await APIFixtures.school(store, 904)
                try await APIFixtures.mark(store, refused, .grantedIndefinite, from: today.adding(days: -500), until: nil)
                let refusal = try await APIFixtures.visit(store, refused, on: today.adding(days: -10), outcome: .accessRefused)
                let elsewhere = try await APIFixtures.school(store, 905, in: APIFixtures.rotterdam)
                try await APIFixtures.mark(store, elsewhere, .grantedIndefinite, from: today.adding(days: -500), until: nil)
                let branch = try await APIFixtures.school(store, 906, in: APIFixtures.rotterdam, routes: [.educationRoute, .b1Route],
                                                          locationsIn: [APIFixtures.amsterdam])
                try await APIFixtures.mark(store, branch, .grantedIndefinite, from: today.adding(days: -500), until: nil)
                try await APIFixtures.visit(store, branch, on: today.adding(days: -60))

                // Call
                let reply = try await api.get("/v1/overview?municipality=GM0363&date=\(today)", as: .buyer)

                // Checks: blocked (higher score first), then caution, then clear (by name); Rotterdam-only school absent.
                #expect(reply.status == .ok, "\(reply.text)")
                let overview = try reply.json(Components.Schemas.MunicipalityOverview.self)
                #expect(overview.municipality.code == "GM0363")
                #expect(overview.modelVersion == "1.0.0")
                #expect(overview.date == today.description)
                #expect(overview.items.map(\.school.id) == [refused, noMark, aspirant, clear, branch].map(\.id.text))
                #expect(overview.items.map(\.verdict) == [.blocked, .blocked, .caution, .clear, .clear])
                #expect(!overview.items.map(\.school.id).contains(elsewhere.id.text))
                #expect(overview.items.first?.oversightState == .closed)
                #expect(overview.items[1].qualityMarkState == .closed)
                #expect(overview.items.first!.score > 0)

                // The same school's own overview names the refused visit as a hard block.
                let single = try await api.get("/v1/schools/\(refused.id.text)/overview?date=\(today)", as: .inspector)
                let blocks = try single.json(Components.Schemas.DoubleLockOverview.self).oversight.hardBlocks
                #expect(blocks.map(\.rule) == ["hardBlocks.accessRefusedWithinDays"])
                #expect(blocks.first?.evidenceIds == [refusal.id.text])

                // Only schools offering the route.
                let education = try await api.get("/v1/overview?municipality=GM0363&route=educationRoute&date=\(today)", as: .analyst)
                let e = try education.json(Components.Schemas.MunicipalityOverview.self)
                #expect(e.route == .educationRoute)
                #expect(e.items.map(\.school.id) == [branch.id.text])
                #expect(e.items.first?.qualityMarkState == .notApplicable)
            }
        }

        /// Signal visibility (docs/decisions/0011-one-access-policy-and-signal-visibility.md): a buyer of another
        /// municipality sees the signals on a school only as counts, in the aggregate and in the overview alike, and
        /// never their text or reference.
        @Test func anotherMunicipalitySeesSignalsOnlyAsCounts() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 902)
                let signals = [
                    try await APIFixtures.signal(api.store, from: APIFixtures.amsterdam, about: school, severity: .high, status: .substantiated,
                                                 category: .kickbacks, summary: "AGGREGAAT-GEHEIM-1 cursisten betaald."),
                    try await APIFixtures.signal(api.store, from: APIFixtures.rotterdam, about: school, severity: .medium,
                                                 summary: "AGGREGAAT-GEHEIM-2 lessen vervielen."),
                    try await APIFixtures.signal(api.store, from: APIFixtures.rotterdam, about: school, severity: .medium,
                                                 summary: "AGGREGAAT-GEHEIM-3 lessen vervielen."),
                ]
                let utrechtBuyer = try await APIFixtures.token(api.store, .buyer, municipality: APIFixtures.utrecht)
                let month = String(APIFixtures.today.description.prefix(7))

                let reply = try await api.send(.get, "/v1/schools/\(school.id.text)/signal-aggregate", token: utrechtBuyer)
                #expect(reply.status == .ok, "\(reply.text)")
                let aggregate = try reply.json(Components.Schemas.SignalAggregate.self)
                #expect(aggregate.total == 3)
                #expect(aggregate.reportingMunicipalities == 2)
                #expect(aggregate.byCategory.map { "\($0.key)=\($0.count)" } == ["lessonsNotGiven=2", "kickbacks=1"])
                #expect(aggregate.bySeverity.map { "\($0.key)=\($0.count)" } == ["medium=2", "high=1"])
                #expect(aggregate.byStatus.map { "\($0.key)=\($0.count)" } == ["received=2", "substantiated=1"])
                #expect(aggregate.byMonth.map { "\($0.key)=\($0.count)" } == ["\(month)=3"])

                let overviewReply = try await api.send(.get, "/v1/schools/\(school.id.text)/overview", token: utrechtBuyer)
                let overview = try overviewReply.json(Components.Schemas.DoubleLockOverview.self)
                #expect(overview.signals == aggregate)
                for text in [reply.text, overviewReply.text] {
                    for signal in signals {
                        for secret in [signal.summary, signal.reference, "learnerComplaint", "GM0599"] {
                            #expect(!text.contains(secret), "the aggregate shows \(secret)")
                        }
                    }
                }
                // Nor finer than by month in the contributions: one term per month for the signals it may not
                // read, without ids, days, severities or any single signal's points (its age would follow).
                let signalIds = signals.map(\.id.text)
                let signalTerms = overview.oversight.contributions.filter { [.signal, .corroboration, .openSignals].contains($0.kind) }
                for c in signalTerms {
                    #expect(c.evidenceIds.allSatisfy { !signalIds.contains($0) }, "\(c)")
                    #expect(c.evidenceDate == nil && c.evidenceMonth == month, "\(c)")
                    for hidden in ["received", "ageDays", "base", "factor", "severity"] {
                        #expect(c.parameters?.additionalProperties[hidden] == nil, "\(hidden) in \(c)")
                    }
                }
                let monthly = overview.oversight.contributions.filter { $0.kind == .signal }
                #expect(monthly.count == 1 && monthly.first?.parameters?.additionalProperties["count"] == "3", "\(monthly)")
                #expect(overview.oversight.hardBlocks.allSatisfy { $0.evidenceIds.allSatisfy { !signalIds.contains($0) } })
                #expect(monthly.first?.explanation.contains("3 signals you may not read, received in \(month)") == true, "\(monthly)")
                let dutch = try await api.send(.get, "/v1/schools/\(school.id.text)/overview", token: utrechtBuyer, headers: [.acceptLanguage: "nl"])
                #expect(try dutch.json(Components.Schemas.DoubleLockOverview.self).oversight.contributions
                    .contains { $0.explanation.contains("die u niet kunt inzien") }, "\(dutch.text)")
                // An inspector, who reads every signal, sees the ids and the days.
                let inspected = try await api.get("/v1/schools/\(school.id.text)/overview", as: .inspector)
                let full = try inspected.json(Components.Schemas.DoubleLockOverview.self).oversight.contributions.filter { $0.kind == .signal }
                #expect(Set(full.flatMap(\.evidenceIds)) == Set(signalIds) && full.allSatisfy { $0.evidenceDate != nil }, "\(inspected.text)")
                // The buyer still cannot read any one of them.
                try expectProblem(try await api.send(.get, "/v1/signals/\(signals[1].id.text)", token: utrechtBuyer), 403, "forbidden")
                // A date before they were received counts none.
                let before = try await api.send(.get, "/v1/schools/\(school.id.text)/signal-aggregate?date=\(APIFixtures.today.adding(days: -1))",
                                                token: utrechtBuyer)
                #expect(try before.json(Components.Schemas.SignalAggregate.self).total == 0)
                try expectProblem(try await api.send(.get, "/v1/schools/\(school.id.text)/signal-aggregate?date=gisteren", token: utrechtBuyer),
                                  400, "validation", field: "date")
            }
        }
    }
}
