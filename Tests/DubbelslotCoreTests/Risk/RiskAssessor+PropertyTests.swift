import DubbelslotCore
import Foundation
import PropertyBased
import Testing

extension CoreTests {
    /// The invariants shared/DESIGN.md holds the risk model to ("Properties the tests hold the model to"),
    /// checked on random evidence with the shipped weights.
    @Suite("Risk model properties")
    struct RiskAssessorPropertyTests {
        let assessor = RiskAssessor(model: shippedModel)
        let request = AssessmentRequest(date: today)

        @Test("score stays within 0–100")
        func scoreWithinBounds() async {
            await propertyCheck(count: 300, input: Gen.uint64(in: 0...UInt64.max)) { seed in
                var evidence = randomEvidence(seed: seed)
                // Pile on evidence so that the cap is reached too.
                evidence = RiskEvidence(schoolId: schoolId, decisions: evidence.decisions, visits: evidence.visits,
                                        signals: evidence.signals + (0..<Int(seed % 40)).map { _ in signal(.high, .substantiated, receivedOn: today) },
                                        corroborations: evidence.corroborations)
                let score = assessor.assess(evidence, request: request).oversight.score
                #expect(score >= 0 && score <= 100)
            }
        }

        @Test("deterministic and independent of evidence order")
        func orderIndependent() async {
            await propertyCheck(count: 200, input: Gen.uint64(in: 0...UInt64.max)) { seed in
                let evidence = randomEvidence(seed: seed)
                var rng = SeededGenerator(seed: seed ^ 0xABCDEF)
                let shuffled = RiskEvidence(schoolId: schoolId, decisions: evidence.decisions.shuffled(using: &rng),
                                            visits: evidence.visits.shuffled(using: &rng), signals: evidence.signals.shuffled(using: &rng),
                                            corroborations: evidence.corroborations.shuffled(using: &rng).map { rng.next() % 2 == 0 ? $0 : SignalPair($0.second, $0.first) })
                #expect(assessor.assess(evidence, request: request) == assessor.assess(shuffled, request: request))
                #expect(assessor.assess(evidence, request: request) == assessor.assess(evidence, request: request))
            }
        }

        @Test("adding substantiated evidence never lowers the score")
        func substantiatedNeverLowers() async {
            await propertyCheck(count: 300, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: 0...1500)) { seed, age in
                let evidence = randomEvidence(seed: seed)
                let before = assessor.assess(evidence, request: request).oversight.score
                for severity in SignalSeverity.allCases {
                    let more = RiskEvidence(schoolId: schoolId, decisions: evidence.decisions, visits: evidence.visits,
                                            signals: evidence.signals + [signal(severity, .substantiated, municipality: "GM1900", receivedOn: today.adding(days: -age))],
                                            corroborations: evidence.corroborations)
                    #expect(assessor.assess(more, request: request).oversight.score >= before)
                }
            }
        }

        @Test("unfounded signals never raise the score")
        func unfoundedNeverRaises() async {
            await propertyCheck(count: 300, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: 0...1500)) { seed, age in
                let evidence = randomEvidence(seed: seed)
                let before = assessor.assess(evidence, request: request)
                let more = RiskEvidence(schoolId: schoolId, decisions: evidence.decisions, visits: evidence.visits,
                                        signals: evidence.signals + [signal(.high, .unfounded, municipality: "GM1900", receivedOn: today.adding(days: -age))],
                                        corroborations: evidence.corroborations)
                let after = assessor.assess(more, request: request)
                #expect(after.oversight.score == before.oversight.score)
                #expect(after.verdict == before.verdict)
            }
        }

        @Test("older evidence never weighs more than the same evidence newer")
        func olderNeverWeighsMore() async {
            await propertyCheck(count: 300, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: 0...1400), Gen.int(in: 1...400)) { seed, age, older in
                let base = randomEvidence(seed: seed)
                let id = UUID()
                for severity in SignalSeverity.allCases {
                    for status in SignalStatus.allCases {
                        let newer = RiskEvidence(schoolId: schoolId, decisions: base.decisions, visits: base.visits,
                                                 signals: base.signals + [signal(severity, status, receivedOn: today.adding(days: -age), id: id)])
                        let old = RiskEvidence(schoolId: schoolId, decisions: base.decisions, visits: base.visits,
                                               signals: base.signals + [signal(severity, status, receivedOn: today.adding(days: -age - older), id: id)])
                        #expect(assessor.assess(old, request: request).oversight.score <= assessor.assess(newer, request: request).oversight.score)
                    }
                }
                let newerVisit = visit(.financial, .majorFindings, on: today.adding(days: -age))
                let olderVisit = visit(.financial, .majorFindings, on: today.adding(days: -age - older))
                let withNewer = RiskEvidence(schoolId: schoolId, decisions: base.decisions, visits: base.visits + [newerVisit], signals: base.signals)
                let withOlder = RiskEvidence(schoolId: schoolId, decisions: base.decisions, visits: base.visits + [olderVisit], signals: base.signals)
                #expect(assessor.assess(withOlder, request: request).oversight.score <= assessor.assess(withNewer, request: request).oversight.score)
            }
        }

        @Test("absence of supervision is information, never points")
        func absenceOfSupervisionIsNoPoints() async {
            await propertyCheck(count: 300, input: Gen.uint64(in: 0...UInt64.max)) { seed in
                let evidence = randomEvidence(seed: seed)
                let unvisited = RiskEvidence(schoolId: schoolId, decisions: evidence.decisions, visits: [], signals: evidence.signals,
                                             corroborations: evidence.corroborations)
                let a = assessor.assess(unvisited, request: request)
                #expect(a.oversight.score <= assessor.assess(evidence, request: request).oversight.score)
                #expect(!a.oversight.contributions.contains { $0.kind == .visit })
                #expect(a.coverage.sufficient == false)
                #expect(a.oversight.band != .low, "a school nobody visited is never shown as low risk")
            }
        }

        @Test("each contribution names its evidence and stays positive")
        func contributionsNameEvidence() async {
            await propertyCheck(count: 200, input: Gen.uint64(in: 0...UInt64.max)) { seed in
                let evidence = randomEvidence(seed: seed)
                let known = Set(evidence.signals.map(\.id) + evidence.visits.map(\.id) + evidence.decisions.map(\.id))
                for c in assessor.assess(evidence, request: request).oversight.contributions {
                    // Open serious signals earn no points: they hold lock 2 at attention instead.
                    #expect(c.kind == .openSignals ? c.points == 0 : c.points > 0)
                    #expect(!c.evidenceIds.isEmpty)
                    #expect(c.evidenceIds.allSatisfy(known.contains))
                }
            }
        }
    }
}
