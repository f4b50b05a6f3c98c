import DubbelslotCore
import Foundation
import Testing

extension CoreTests {
    /// docs/decisions/0015-risk-model-versions-and-model-card.md: the model card text.
    @Suite struct ModelCardTests {
        @Test func theModelCardListsEveryWeightAndWhatTheModelNeverUses() {
            let card = ModelCard(model: model100, status: "published", contentSHA256: String(repeating: "a", count: 64), history: [
                .init(version: "1.0.0", status: "published", publishedAt: Date(timeIntervalSince1970: 1_764_460_800), retiredAt: nil,
                      contentSHA256: String(repeating: "a", count: 64)),
            ])
            let text = card.markdown()
            for expected in ["# Dubbelslot risk model 1.0.0", "high 16, low 4, medium 8", "substantiated 1", "unfounded 0", "6 / 24 / 730 days",
                             "3 / 18 / 30", "15 / 25", "low below 15, elevated from 15, high from 35, critical from 60", "within 730 days",
                             "## What it never uses", "personal characteristics", "## Human oversight", "| 1.0.0 | published | 2025-11-30T00:00:00Z |"] {
                #expect(text.contains(expected), "missing: \(expected)")
            }
            #expect(!text.contains("What changed since 1.0.0"), "1.0.0's card has no 1.1.0 changes")
            let card110 = ModelCard(model: shippedModel, status: "draft", contentSHA256: String(repeating: "b", count: 64), history: [])
            let text110 = card110.markdown()
            for expected in ["# Dubbelslot risk model 1.1.0", "## What changed since 1.0.0, and why", "Open serious allegations",
                             "Corroboration without a link", "A refused visit is no coverage", "severity high or worse",
                             "## Lock 1: which quality-mark decision may follow which", "| withdrawn | aspirant, notGranted |",
                             "| grantedIndefinite | suspended, withdrawn, lapsed, stopped |"] {
                #expect(text110.contains(expected), "missing: \(expected)")
            }
        }
    }
}
