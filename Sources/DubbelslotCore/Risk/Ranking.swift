import Foundation

/// The orders in which lists of assessed schools are shown: one definition for the API, the web pages
/// and the risk report, so that a list and a report of the same schools cannot disagree on the order.
public enum Ranking {
    /// How many contributions a ranked row shows: the largest three (the overview shows them all).
    public static let contributionsShown = 3

    /// The inspectorate's risk report: highest lock-2 score first; ties by name, then id, so the order
    /// is total and repeatable.
    public static func byScore(_ items: [(School, Assessment)]) -> [(School, Assessment)] {
        items.sorted { a, b in
            if a.1.oversight.score != b.1.oversight.score { return a.1.oversight.score > b.1.oversight.score }
            return byName(a.0, b.0)
        }
    }

    /// The first `top` of ``byScore(_:)`` over `candidates`, assessing only as many schools as it takes.
    ///
    /// Each candidate comes with an upper bound of its lock-2 score (the store sums risk terms in SQL:
    /// docs/decisions/0020-risk-terms-as-a-candidate-bound.md). Schools are assessed in batches in order
    /// of their bound, highest first (ties by name, then id), until the `top`-th school assessed ranks
    /// before the next unassessed one's bound: no school left can then enter the first `top`, since its
    /// score is at most its bound. The result is what ``byScore(_:)`` of every school would give, first
    /// `top` rows, as long as no bound is below its school's score.
    /// - Parameters:
    ///   - candidates: every school to rank, with its bound (0–100).
    ///   - top: how many rows (at least 1).
    ///   - batch: at least how many schools one call of `assess` gets.
    ///   - assess: the exact assessments of some schools, every one of them.
    public static func topByScore(_ candidates: [(school: School, bound: Double)], top: Int, batch: Int,
                                  assess: ([School]) async throws -> [(School, Assessment)]) async throws -> [(School, Assessment)] {
        let ordered = candidates.sorted { a, b in
            if a.bound != b.bound { return a.bound > b.bound }
            return byName(a.school, b.school)
        }
        var assessed: [(School, Assessment)] = []
        var next = 0
        while next < ordered.count {
            if assessed.count >= top {
                let ranked = byScore(assessed)
                let last = ranked[top - 1], candidate = ordered[next]
                let score = last.1.oversight.score
                if score > candidate.bound || (score == candidate.bound && byName(last.0, candidate.school)) { break }
                assessed = Array(ranked.prefix(top))
            }
            let size = max(batch, top - assessed.count)
            let slice = ordered[next..<min(next + size, ordered.count)]
            assessed += try await assess(slice.map(\.school))
            next += slice.count
        }
        return Array(byScore(assessed).prefix(top))
    }

    /// A municipality's list for buyers: `blocked`, then `caution`, then `clear`; within each the
    /// highest score first; ties by name, then id.
    public static func byVerdict(_ items: [(School, Assessment)]) -> [(School, Assessment)] {
        func rank(_ verdict: Verdict) -> Int {
            switch verdict {
            case .blocked: 0
            case .caution: 1
            case .clear: 2
            }
        }
        return items.sorted { a, b in
            if rank(a.1.verdict) != rank(b.1.verdict) { return rank(a.1.verdict) < rank(b.1.verdict) }
            if a.1.oversight.score != b.1.oversight.score { return a.1.oversight.score > b.1.oversight.score }
            return byName(a.0, b.0)
        }
    }

    /// By name, then by id in the order of its text (compared as bytes: a tuple with `uuidString` in
    /// it formatted two ids in every comparison).
    private static func byName(_ a: School, _ b: School) -> Bool {
        if a.name != b.name { return a.name < b.name }
        return UUID.inTextOrder(a.id, b.id)
    }

    /// `assessment` with only the contributions a ranked row shows (the largest
    /// ``contributionsShown``); everything else, score and verdict included, unchanged. What a list
    /// keeps of an assessment: at 1,000× volume a school has some 200 contributions.
    public static func rowOnly(_ assessment: Assessment) -> Assessment {
        let o = assessment.oversight
        guard o.contributions.count > contributionsShown else { return assessment }
        return Assessment(schoolId: assessment.schoolId, request: assessment.request, modelVersion: assessment.modelVersion,
                          verdict: assessment.verdict, qualityMark: assessment.qualityMark,
                          oversight: OversightLock(state: o.state, score: o.score, band: o.band,
                                                   contributions: Array(o.contributions.prefix(contributionsShown)), hardBlocks: o.hardBlocks),
                          coverage: assessment.coverage)
    }
}
