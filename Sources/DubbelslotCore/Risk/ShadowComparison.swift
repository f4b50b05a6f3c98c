import Foundation

/// How a candidate model's assessments differ from the model in force over many schools: the
/// figures an analyst reads before publishing a new version (draft → shadow → published).
///
/// Each school's pair of assessments is classified by the rules that differ between them; the
/// tally counts verdict changes by direction and the reasons behind them.
public struct ShadowComparison: Sendable {
    /// Schools compared.
    public private(set) var schools = 0
    /// Schools whose verdict changed, by `from→to` (e.g. `clear→caution`).
    public private(set) var verdictChanges: [String: Int] = [:]
    /// Schools whose band changed, by `from→to`.
    public private(set) var bandChanges: [String: Int] = [:]
    /// Of the schools whose verdict changed, how many each reason touched (a school can have several).
    public private(set) var reasons: [String: Int] = [:]
    /// Schools by verdict under the model in force.
    public private(set) var currentVerdicts: [Verdict: Int] = [:]
    /// Schools by verdict under the candidate (shadow) model.
    public private(set) var shadowVerdicts: [Verdict: Int] = [:]

    /// An empty tally.
    public init() {}

    /// Adds one school's assessments under the model in force (`current`) and the candidate (`shadow`).
    public mutating func add(current c: Assessment, shadow s: Assessment) {
        schools += 1
        currentVerdicts[c.verdict, default: 0] += 1
        shadowVerdicts[s.verdict, default: 0] += 1
        if c.oversight.band != s.oversight.band { bandChanges["\(c.oversight.band.rawValue)→\(s.oversight.band.rawValue)", default: 0] += 1 }
        guard c.verdict != s.verdict else { return }
        verdictChanges["\(c.verdict.rawValue)→\(s.verdict.rawValue)", default: 0] += 1
        for reason in Self.reasons(current: c, shadow: s) { reasons[reason, default: 0] += 1 }
    }

    /// The rules behind the difference between two assessments of one school, in words.
    public static func reasons(current c: Assessment, shadow s: Assessment) -> [String] {
        var result: [String] = []
        func has(_ a: Assessment, _ rule: String) -> Bool { a.oversight.contributions.contains { $0.rule == rule } }
        if has(s, "signals.openAttentionSeverityAtLeast") && !has(c, "signals.openAttentionSeverityAtLeast") {
            result.append("open signal of high severity holds lock 2 at attention")
        }
        let corroboration: (Assessment) -> Double = { a in a.oversight.contributions.filter { $0.kind == .corroboration }.reduce(0) { $0 + $1.points } }
        if corroboration(s) != corroboration(c) { result.append("reports of distinct municipalities count without a link") }
        if c.coverage.sufficient && !s.coverage.sufficient { result.append("a refused visit no longer counts as coverage") }
        if c.oversight.hardBlocks.map(\.rule) != s.oversight.hardBlocks.map(\.rule) { result.append("hard blocks differ") }
        if c.qualityMark.state != s.qualityMark.state { result.append("lock 1 differs") }
        if result.isEmpty { result.append("score crosses a band boundary") }
        return result
    }

    /// One thing two assessments of a school disagree on: `what` names it (`verdict`, `score`,
    /// `band`, `qualityMarkState`, `oversightState`, `hardBlocks`, or `contribution <rule> <ids>`);
    /// `current` and `shadow` give it as text, empty when one side has no such contribution.
    public struct Difference: Hashable, Sendable {
        /// What differs: `verdict`, `score`, `band`, `qualityMarkState`, `oversightState`, `hardBlocks` or `contribution <rule> <ids>`.
        public let what: String
        /// The value under the model in force, as text; empty when that side has no such contribution.
        public let current: String
        /// The value under the candidate, as text; empty when that side has no such contribution.
        public let shadow: String

        /// One difference, as ``differences(current:shadow:)`` finds it.
        public init(what: String, current: String, shadow: String) {
            self.what = what
            self.current = current
            self.shadow = shadow
        }
    }

    /// Every difference between the model in force's assessment of a school (`current`) and a
    /// candidate's (`shadow`), as the overview's shadow mode shows them: the verdict, score, band and
    /// lock states, the hard-block rules, then each contribution (by rule and evidence ids) whose points
    /// differ or that only one side has, in the order of their names.
    public static func differences(current c: Assessment, shadow s: Assessment) -> [Difference] {
        var result: [Difference] = []
        func compare(_ what: String, _ a: String, _ b: String) {
            if a != b { result.append(Difference(what: what, current: a, shadow: b)) }
        }
        compare("verdict", c.verdict.rawValue, s.verdict.rawValue)
        compare("score", String(c.oversight.score), String(s.oversight.score))
        compare("band", c.oversight.band.rawValue, s.oversight.band.rawValue)
        compare("qualityMarkState", c.qualityMark.state.rawValue, s.qualityMark.state.rawValue)
        compare("oversightState", c.oversight.state.rawValue, s.oversight.state.rawValue)
        compare("hardBlocks", c.oversight.hardBlocks.map(\.rule).sorted().joined(separator: ","),
                s.oversight.hardBlocks.map(\.rule).sorted().joined(separator: ","))
        func key(_ x: Contribution) -> String { "contribution \(x.rule) \(x.evidenceIds.map { $0.uuidString.lowercased() }.sorted().joined(separator: ","))" }
        let currentPoints = Dictionary(c.oversight.contributions.map { (key($0), String($0.points)) }, uniquingKeysWith: { a, _ in a })
        let shadowPoints = Dictionary(s.oversight.contributions.map { (key($0), String($0.points)) }, uniquingKeysWith: { a, _ in a })
        for k in Set(currentPoints.keys).union(shadowPoints.keys).sorted() {
            compare(k, currentPoints[k] ?? "", shadowPoints[k] ?? "")
        }
        return result
    }

    /// The tally as lines of text, commonest first (ties by name).
    public func summary(currentVersion: String, shadowVersion: String) -> [String] {
        func sorted(_ d: [String: Int]) -> [(String, Int)] { d.sorted { ($1.value, $0.key) < ($0.value, $1.key) } }
        let changed = verdictChanges.values.reduce(0, +)
        func verdicts(_ d: [Verdict: Int]) -> String {
            [Verdict.clear, .caution, .blocked].map { "\($0.rawValue) \(d[$0] ?? 0)" }.joined(separator: ", ")
        }
        var lines = ["\(schools) schools compared, \(shadowVersion) against \(currentVersion): \(changed) change verdict.",
                     "  verdicts under \(currentVersion): \(verdicts(currentVerdicts))",
                     "  verdicts under \(shadowVersion): \(verdicts(shadowVerdicts))"]
        for (change, n) in sorted(verdictChanges) { lines.append("  verdict \(change): \(n)") }
        for (change, n) in sorted(bandChanges) { lines.append("  band \(change): \(n)") }
        for (reason, n) in sorted(reasons) { lines.append("  reason: \(reason): \(n)") }
        return lines
    }
}
