import DubbelslotCore
import Foundation
import Testing

extension CoreTests {
    /// Every explanation in English (1.0.0's words, byte for byte) and in Dutch.
    @Suite struct ExplanationTests {
        @Test func englishTextsAreThoseOf100() {
            let cases: [(Explanation, String)] = [
                (Explanation("qualityMark.notApplicable"), "The education route falls outside the quality mark; the education inspectorate supervises it."),
                (Explanation("qualityMark.noDecision", ["date": "2026-01-01"]), "No quality-mark decision is in force on 2026-01-01."),
                (Explanation("qualityMark.aspirant", ["date": "2026-01-01"]), "Only an aspirant mark is in force on 2026-01-01: not all norms have been judged yet."),
                (Explanation("signals.severityPoints.high", ["severity": "high", "category": "examFraud", "status": "triaged", "received": "2026-01-01",
                                                            "ageDays": "10", "base": "16.0", "factor": "0.5"]),
                 "High-severity examFraud signal, triaged, received 2026-01-01 (10 days before): 16.0 × 0.5 × decay."),
                (Explanation("corroboration.pointsPerAdditionalMunicipality", ["municipalities": "3", "linked": "true"]),
                 "3 different municipalities reported this school, linked as corroborating by an inspector."),
                (Explanation("visits.majorFindings", ["kind": "financial", "visitedOn": "2026-01-01", "outcome": "majorFindings", "findings": "2"]),
                 "financial visit on 2026-01-01: majorFindings (2 findings)."),
                (Explanation("visits.financialMajorFindingsExtra", ["visitedOn": "2026-01-01"]), "Financial supervision on 2026-01-01 found major deviations."),
                (Explanation("qualityMark.suspension", ["status": "suspended", "from": "2026-01-01"]), "Quality mark suspended from 2026-01-01."),
                (Explanation("hardBlocks.substantiatedSeverityAtLeast", ["severity": "high", "days": "730"]),
                 "A substantiated signal of high severity or worse within 730 days."),
                (Explanation("hardBlocks.accessRefusedWithinDays", ["days": "365"]), "Access was refused to a supervision visit within 365 days."),
            ]
            for (e, text) in cases {
                #expect(e.text() == text)
                let dutch = e.text(.dutch)
                #expect(!dutch.isEmpty && dutch != text, "\(e.rule) has Dutch words")
            }
        }

        @Test func acceptLanguagePicksDutchOnlyWhenAsked() {
            #expect(TextLanguage(acceptLanguage: "nl") == .dutch)
            #expect(TextLanguage(acceptLanguage: "nl-NL,nl;q=0.9,en;q=0.8") == .dutch)
            #expect(TextLanguage(acceptLanguage: "en-GB,en;q=0.9,nl;q=0.5") == .english)
            #expect(TextLanguage(acceptLanguage: "nl;q=0, en") == .english)
            #expect(TextLanguage(acceptLanguage: "de") == .english)
            #expect(TextLanguage(acceptLanguage: nil) == .english)
            #expect(TextLanguage(acceptLanguage: String(repeating: "nl,", count: 2_000)) == .english, "an oversized header is ignored")
        }
    }
}
