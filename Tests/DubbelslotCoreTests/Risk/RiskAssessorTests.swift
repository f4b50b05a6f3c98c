import DubbelslotCore
import Foundation
import Testing

extension CoreTests {
    @Suite("Risk assessor: locks and verdicts")
    struct RiskAssessorTests {
        let assessor = RiskAssessor(model: shippedModel)
        let recentVisit = visit(on: today.adding(days: -100))

        func assess(_ decisions: [QualityMarkDecision], visits: [SupervisionVisit]? = nil, signals: [SignalFact] = [],
                    corroborations: [SignalPair] = [], route: Route? = nil, contract: (String, String)? = nil) -> Assessment {
            let period = contract.map { DateRange(from: LocalDate(iso8601: $0.0)!, until: LocalDate(iso8601: $0.1)!)! }
            return assessor.assess(RiskEvidence(schoolId: schoolId, decisions: decisions, visits: visits ?? [recentVisit], signals: signals,
                                                corroborations: corroborations),
                                   request: AssessmentRequest(date: today, route: route, contractPeriod: period))
        }

        @Test("a granted mark, a recent clean visit and no signals is clear")
        func clear() {
            let a = assess([decision(.grantedIndefinite, "2020-01-01")])
            #expect(a.verdict == .clear)
            #expect(a.qualityMark.state == .open)
            #expect(a.oversight.state == .open)
            #expect(a.oversight.band == .low)
            #expect(a.oversight.score == 0)
            #expect(a.modelVersion == shippedModel.version)
        }

        @Test("no decision in force closes lock 1")
        func noMark() {
            let a = assess([decision(.grantedFixedTerm, "2020-01-01", "2024-01-01")])
            #expect(a.qualityMark.state == .closed)
            #expect(a.verdict == .blocked)
        }

        @Test("suspended and withdrawn close lock 1", arguments: [QualityMarkStatus.suspended, .withdrawn, .notGranted, .lapsed, .stopped])
        func closedStatuses(status: QualityMarkStatus) {
            let a = assess([decision(.grantedIndefinite, "2020-01-01", "2026-06-01"), decision(status, "2026-06-01")])
            #expect(a.qualityMark.state == .closed)
            #expect(a.qualityMark.decisionInForce?.status == status)
            #expect(a.verdict == .blocked)
        }

        @Test("an aspirant mark asks attention")
        func aspirant() {
            let a = assess([decision(.aspirant, "2026-01-01")])
            #expect(a.qualityMark.state == .attention)
            #expect(a.verdict == .caution)
        }

        @Test("a fixed-term mark that ends mid-contract asks attention")
        func fixedTermEndsMidContract() {
            let a = assess([decision(.grantedFixedTerm, "2024-01-01", "2027-06-01")], contract: ("2027-01-01", "2028-01-01"))
            #expect(a.qualityMark.state == .attention)
            #expect(a.qualityMark.coversContractPeriod == false)
            #expect(a.qualityMark.reasons.contains { $0.contains("2027-06-01") })
            #expect(a.verdict == .caution)
        }

        @Test("consecutive granted marks cover the contract period")
        func consecutiveMarksCover() {
            let a = assess([decision(.grantedFixedTerm, "2024-01-01", "2027-06-01"), decision(.grantedIndefinite, "2027-06-01")],
                           contract: ("2027-01-01", "2028-01-01"))
            #expect(a.qualityMark.state == .open)
            #expect(a.qualityMark.coversContractPeriod == true)
            #expect(a.verdict == .clear)
        }

        @Test("the education route falls outside the quality mark")
        func educationRoute() {
            let a = assess([], route: .educationRoute)
            #expect(a.qualityMark.state == .notApplicable)
            #expect(a.verdict == .clear)
        }

        @Test("access refused within 12 months is a hard block")
        func accessRefusedBlocks() {
            let refused = visit(.classroom, .accessRefused, on: today.adding(days: -30))
            let a = assess([decision(.grantedIndefinite, "2020-01-01")], visits: [refused])
            #expect(a.oversight.state == .closed)
            #expect(a.oversight.hardBlocks.map(\.rule) == ["hardBlocks.accessRefusedWithinDays"])
            #expect(a.oversight.hardBlocks[0].evidenceIds == [refused.id])
            #expect(a.verdict == .blocked)
        }

        @Test("a substantiated high-severity signal is a hard block, a medium one is not")
        func substantiatedHighBlocks() {
            let high = signal(.high, .substantiated, receivedOn: today.adding(days: -60))
            let medium = signal(.medium, .substantiated, receivedOn: today.adding(days: -60))
            #expect(assess([decision(.grantedIndefinite, "2020-01-01")], signals: [high]).verdict == .blocked)
            let a = assess([decision(.grantedIndefinite, "2020-01-01")], signals: [medium])
            #expect(a.oversight.hardBlocks.isEmpty)
            #expect(a.oversight.contributions.first?.evidenceIds == [medium.id])
        }

        @Test("a signal's points: severity × status factor × half-life decay, by hand")
        func signalPointsByHand() {
            // medium = 8 points, underInvestigation = 0.75, exactly one half-life (365 days) old: 8 × 0.75 × 0.5 = 3.
            let s = signal(.medium, .underInvestigation, receivedOn: today.adding(days: -365))
            let a = assess([decision(.grantedIndefinite, "2020-01-01")], signals: [s])
            #expect(a.oversight.contributions.map(\.points) == [3])
            #expect(a.oversight.score == 3)
        }

        @Test("1.0.0: corroboration counts distinct municipalities of linked signals, not volume")
        func corroboration() {
            let assessor = RiskAssessor(model: model100)
            func assess(_ decisions: [QualityMarkDecision], signals: [SignalFact], corroborations: [SignalPair] = []) -> Assessment {
                assessor.assess(RiskEvidence(schoolId: schoolId, decisions: decisions, visits: [recentVisit], signals: signals,
                                             corroborations: corroborations), request: AssessmentRequest(date: today))
            }
            let sameTown = (0..<5).map { _ in signal(.low, .received, municipality: "GM0363", receivedOn: today.adding(days: -10)) }
            let linkedSameTown = zip(sameTown, sameTown.dropFirst()).map { SignalPair($0.id, $1.id) }
            let a = assess([decision(.grantedIndefinite, "2020-01-01")], signals: sameTown, corroborations: linkedSameTown)
            #expect(!a.oversight.contributions.contains { $0.kind == .corroboration })
            let threeTowns = ["GM0363", "GM0599", "GM0518"].map { signal(.low, .received, municipality: $0, receivedOn: today.adding(days: -10)) }
            let unlinked = assess([decision(.grantedIndefinite, "2020-01-01")], signals: threeTowns)
            #expect(!unlinked.oversight.contributions.contains { $0.kind == .corroboration }, "only linked signals corroborate")
            let linked = [SignalPair(threeTowns[0].id, threeTowns[1].id), SignalPair(threeTowns[2].id, threeTowns[1].id)]
            let b = assess([decision(.grantedIndefinite, "2020-01-01")], signals: threeTowns, corroborations: linked)
            let c = b.oversight.contributions.first { $0.kind == .corroboration }
            #expect(c?.points == 2 * shippedModel.corroboration.pointsPerAdditionalMunicipality)
            #expect(Set(c?.evidenceIds ?? []) == Set(threeTowns.map(\.id)))
            // An unfounded signal neither counts nor bridges two groups.
            let bridge = signal(.low, .unfounded, municipality: "GM0014", receivedOn: today.adding(days: -10))
            let d = assess([decision(.grantedIndefinite, "2020-01-01")], signals: [threeTowns[0], bridge, threeTowns[1]],
                           corroborations: [SignalPair(threeTowns[0].id, bridge.id), SignalPair(bridge.id, threeTowns[1].id)])
            #expect(!d.oversight.contributions.contains { $0.kind == .corroboration })
        }

        @Test("no recent visit shows insufficient data, not low")
        func insufficientCoverage() {
            let a = assess([decision(.grantedIndefinite, "2020-01-01")], visits: [visit(on: today.adding(days: -900))])
            #expect(a.coverage.sufficient == false)
            #expect(a.oversight.band == .insufficientData)
            #expect(a.oversight.score == 0)
            #expect(a.verdict == .caution)
            #expect(a.coverage.lastVisitByKind[.classroom] == today.adding(days: -900))
        }

        @Test("evidence after the date asked is left out")
        func futureEvidenceIgnored() {
            let later = signal(.high, .substantiated, receivedOn: today.adding(days: 10))
            let a = assess([decision(.grantedIndefinite, "2020-01-01")], signals: [later])
            #expect(a.verdict == .clear)
            #expect(a.coverage.signalsKnown == 0)
        }
    }
}
