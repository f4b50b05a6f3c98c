import DubbelslotCore
import Foundation
import Testing

extension CoreTests {
    /// docs/decisions/0015-risk-model-versions-and-model-card.md: the canonical evidence behind an assessment's input
    /// digest.
    @Suite struct EvidenceDigestTests {
        @Test func theCanonicalTextIgnoresOrderAndFollowsEveryFactTheModelReads() {
            let evidence = randomEvidence(seed: 7)
            let shuffled = RiskEvidence(schoolId: evidence.schoolId, decisions: evidence.decisions.reversed(), visits: evidence.visits.reversed(),
                                        signals: evidence.signals.reversed(), corroborations: evidence.corroborations.reversed())
            #expect(evidence.canonicalText == shuffled.canonicalText)
            let extra = signal(.high, .substantiated, receivedOn: today)
            let more = RiskEvidence(schoolId: evidence.schoolId, decisions: evidence.decisions, visits: evidence.visits,
                                    signals: evidence.signals + [extra], corroborations: evidence.corroborations)
            #expect(more.canonicalText != evidence.canonicalText)
            #expect(more.canonicalText.contains("s|\(extra.id.uuidString.lowercased())|GM0363|lessonsNotGiven|high|substantiated|"))
            // Free text never enters it.
            #expect(!more.canonicalText.contains("test"))
        }
    }
}
