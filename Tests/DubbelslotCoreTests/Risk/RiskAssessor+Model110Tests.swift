import DubbelslotCore
import Foundation
import Testing

extension CoreTests {
    /// Risk model 1.1.0 beside 1.0.0 on the cases a trial with real quality-mark histories found, and
    /// lock 1 by scope (school, location) with its wording. `today` is 2026-11-29 (Fixtures).
    @Suite struct RiskAssessorModel110Tests {
        let v110 = RiskAssessor(model: shippedModel)
        let v100 = RiskAssessor(model: model100)

        func evidence(_ decisions: [QualityMarkDecision] = [decision(.grantedIndefinite, "2016-01-01")], visits: [SupervisionVisit],
                      signals: [SignalFact] = [], corroborations: [SignalPair] = []) -> RiskEvidence {
            RiskEvidence(schoolId: schoolId, decisions: decisions, visits: visits, signals: signals, corroborations: corroborations)
        }

        @Test func aRefusedVisitIsNoCoverage() {
            // The only visit refused access on 2026-03-02; asked on 2027-03-04, after the 12-month hard block ran out.
            let refused = visit(.classroom, .accessRefused, on: LocalDate(iso8601: "2026-03-02")!)
            let request = AssessmentRequest(date: LocalDate(iso8601: "2027-03-04")!)
            let now = v110.assess(evidence(visits: [refused]), request: request)
            #expect(now.oversight.band == .insufficientData)
            #expect(now.verdict == .caution)
            #expect(now.coverage.sufficient == false)
            #expect(now.coverage.lastVisitByKind[.classroom] == nil)
            #expect(now.oversight.hardBlocks.isEmpty)
            let before = v100.assess(evidence(visits: [refused]), request: request)
            #expect(before.oversight.band == .low && before.verdict == .clear && before.coverage.sufficient, "1.0.0 keeps its answer")
        }

        @Test func theShadowDifferencesNameWhatChanged() {
            let s = signal(.high, .underInvestigation, receivedOn: today.adding(days: -120))
            let e = evidence(visits: [visit(.classroom, .compliant, on: today.adding(days: -200))], signals: [s])
            let before = v100.assess(e, request: AssessmentRequest(date: today))
            let now = v110.assess(e, request: AssessmentRequest(date: today))
            let differences = ShadowComparison.differences(current: before, shadow: now)
            #expect(differences.contains(.init(what: "verdict", current: "clear", shadow: "caution")))
            #expect(differences.contains(.init(what: "oversightState", current: "open", shadow: "attention")))
            let open = "contribution signals.openAttentionSeverityAtLeast \(s.id.uuidString.lowercased())"
            #expect(differences.contains(.init(what: open, current: "", shadow: "0.0")), "\(differences.map(\.what))")
            #expect(!differences.contains { $0.what == "score" }, "the open signal adds no points")
            #expect(ShadowComparison.differences(current: now, shadow: now).isEmpty)
        }

        @Test func anOpenSeriousInvestigationIsNeverClear() {
            let compliant = visit(.classroom, .compliant, on: today.adding(days: -200))
            for category in [SignalCategory.inducements, .examFraud, .financialIrregularities] {
                let s = signal(.high, .underInvestigation, category: category, receivedOn: today.adding(days: -120))
                let e = evidence(visits: [compliant], signals: [s])
                let before = v100.assess(e, request: AssessmentRequest(date: today))
                #expect(before.verdict == .clear)
                #expect((8...12).contains(before.oversight.score))
                let now = v110.assess(e, request: AssessmentRequest(date: today))
                #expect(now.verdict == .caution, "\(category)")
                #expect(now.oversight.state == .attention)
                #expect(now.oversight.score == before.oversight.score, "no points of its own")
                let named = now.oversight.contributions.first { $0.kind == .openSignals }
                #expect(named?.evidenceIds == [s.id])
                #expect(named?.because.parameters == ["count": "1", "severity": "high"])
            }
            // Received and triaged are open too; concluded unfounded counts for nothing.
            for status in [SignalStatus.received, .triaged] {
                #expect(v110.assess(evidence(visits: [compliant], signals: [signal(.high, status, receivedOn: today.adding(days: -5))]),
                                    request: AssessmentRequest(date: today)).verdict == .caution)
            }
            let unfounded = v110.assess(evidence(visits: [compliant], signals: [signal(.high, .unfounded, receivedOn: today.adding(days: -5))]),
                                        request: AssessmentRequest(date: today))
            #expect(unfounded.verdict == .clear && unfounded.oversight.contributions.isEmpty)
            // A medium signal under investigation is not serious enough on its own.
            #expect(v110.assess(evidence(visits: [compliant], signals: [signal(.medium, .underInvestigation, receivedOn: today.adding(days: -5))]),
                                request: AssessmentRequest(date: today)).verdict == .clear)
        }

        @Test func reportsOfSeveralMunicipalitiesCountWithoutALinkAndALinkAddsWeight() {
            let compliant = visit(.classroom, .compliant, on: today.adding(days: -200))
            let three = ["GM0363", "GM0599", "GM0518"].map { signal(.low, .received, municipality: $0, receivedOn: today.adding(days: -30)) }
            let unlinked = v110.assess(evidence(visits: [compliant], signals: three), request: AssessmentRequest(date: today))
            let c = unlinked.oversight.contributions.filter { $0.kind == .corroboration }
            #expect(c.map(\.rule) == ["corroboration.pointsPerAdditionalMunicipality"])
            #expect(c.first?.points == 12)
            #expect(Set(c.first?.evidenceIds ?? []) == Set(three.map(\.id)))
            #expect(c.first?.explanation == "3 different municipalities reported this school.")
            #expect(!v100.assess(evidence(visits: [compliant], signals: three), request: AssessmentRequest(date: today))
                .oversight.contributions.contains { $0.kind == .corroboration })
            // Linked by an inspector: a confirmation on top, within the cap of 24.
            let linked = v110.assess(evidence(visits: [compliant], signals: three,
                                              corroborations: [SignalPair(three[0].id, three[1].id), SignalPair(three[1].id, three[2].id)]),
                                     request: AssessmentRequest(date: today))
            let points = Dictionary(linked.oversight.contributions.filter { $0.kind == .corroboration }.map { ($0.rule, $0.points) }, uniquingKeysWith: +)
            #expect(points == ["corroboration.pointsPerAdditionalMunicipality": 12, "corroboration.linkedPointsPerAdditionalMunicipality": 6])
            // One municipality, however many reports: nothing.
            let oneTown = (0..<4).map { _ in signal(.low, .received, municipality: "GM0363", receivedOn: today.adding(days: -30)) }
            #expect(!v110.assess(evidence(visits: [compliant], signals: oneTown), request: AssessmentRequest(date: today))
                .oversight.contributions.contains { $0.kind == .corroboration })
        }

        @Test func aSupersededGrantLeavesTheSuspensionInForce() {
            // The grant's period as it stands after the suspension was recorded.
            let grant = decision(.grantedIndefinite, "2016-01-01", "2017-07-03")
            let suspension = decision(.suspended, "2017-07-03")
            let lock = v110.assess(evidence([grant, suspension], visits: []), request: AssessmentRequest(date: LocalDate(iso8601: "2017-07-04")!)).qualityMark
            #expect(lock.state == .closed)
            #expect(lock.decisionInForce?.id == suspension.id)
            #expect(lock.reasons == ["The quality mark is suspended on 2017-07-04 (since 2017-07-03)."])
            #expect(v110.assess(evidence([grant, suspension], visits: []), request: AssessmentRequest(date: LocalDate(iso8601: "2017-07-02")!))
                .qualityMark.state == .open)
        }

        @Test func oneLocationSuspendedWhileTheOthersKeepTheMark() {
            let (suspendedPlace, otherPlace) = (UUID(), UUID())
            let decisions = [decision(.grantedIndefinite, "2016-01-01"), decision(.suspended, "2026-06-01", location: suspendedPlace)]
            let e = evidence(decisions, visits: [visit(on: today.adding(days: -30))])
            let there = v110.assess(e, request: AssessmentRequest(date: today, locationId: suspendedPlace))
            #expect(there.qualityMark.state == .closed && there.verdict == .blocked)
            let elsewhere = v110.assess(e, request: AssessmentRequest(date: today, locationId: otherPlace))
            #expect(elsewhere.qualityMark.state == .open)
            let whole = v110.assess(e, request: AssessmentRequest(date: today))
            #expect(whole.qualityMark.state == .attention)
            #expect(whole.qualityMark.locations == [LocationMark(locationId: suspendedPlace, state: .closed, decisionInForce: decisions[1],
                                                                  coversContractPeriod: nil)])
            #expect(whole.qualityMark.because.map(\.rule) == ["qualityMark.held", "qualityMark.location"])
            // For a contract: the suspended location is not covered, the school as a whole is.
            let period = DateRange(from: today, until: today.adding(days: 365))!
            let contract = v110.assess(e, request: AssessmentRequest(date: today, contractPeriod: period))
            #expect(contract.qualityMark.coversContractPeriod == true)
            #expect(contract.qualityMark.locations.first?.coversContractPeriod == false)
            // The school withdrawn later than the location's own decision: withdrawn there too.
            let withdrawn = decisions + [decision(.withdrawn, "2026-09-01")]
            #expect(v110.assess(evidence(withdrawn, visits: []), request: AssessmentRequest(date: today, locationId: otherPlace))
                .qualityMark.decisionInForce?.status == .withdrawn)
        }

        @Test func reasonsNameTheLastValidDayFrom110AndStayAsTheyWereIn100() {
            let e = evidence([decision(.grantedFixedTerm, "2024-01-01", "2027-07-01")], visits: [visit(on: today.adding(days: -30))])
            let request = AssessmentRequest(date: today, contractPeriod: DateRange(from: today, until: LocalDate(iso8601: "2028-01-01")!))
            #expect(v100.assess(e, request: request).qualityMark.reasons == [
                "Quality mark grantedFixedTerm in force on 2026-11-29 (since 2024-01-01).",
                "The quality mark does not cover the whole contract period 2026-11-29–2027-12-31: no granted mark on 2027-07-01.",
            ])
            #expect(v110.assess(e, request: request).qualityMark.reasons == [
                "Quality mark grantedFixedTerm in force on 2026-11-29 (since 2024-01-01, valid through 2027-06-30).",
                "The quality mark does not cover the whole contract period 2026-11-29–2027-12-31: the mark is valid through 2027-06-30, no granted mark from 2027-07-01.",
            ])
            #expect(v110.assess(e, request: request).qualityMark.because.map { $0.text(.dutch) } == [
                "Keurmerk verleend (bepaalde tijd) van kracht op 29 november 2026 (sinds 1 januari 2024, geldig tot en met 30 juni 2027).",
                "Het keurmerk dekt niet de hele contractperiode 29 november 2026–31 december 2027: het keurmerk geldt tot en met 30 juni 2027, geen verleend keurmerk vanaf 1 juli 2027.",
            ])
        }
    }
}
