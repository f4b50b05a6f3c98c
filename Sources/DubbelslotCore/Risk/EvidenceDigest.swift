public import Foundation

extension RiskEvidence {
    /// The evidence as canonical text, the input of an assessment's input digest: every assessment
    /// names an input digest, SHA-256 over the canonical evidence
    /// (docs/decisions/0015-risk-model-versions-and-model-card.md).
    ///
    /// One line per fact, sorted, so the order the store returned them in does not matter; only what
    /// the model may read is in it (no free text): decisions `d|id|status|from|until|decidedOn[|location:id]`,
    /// visits `v|id|kind|visitedOn|outcome|norm:severity,…`, signals
    /// `s|id|municipality|category|severity|status|receivedAt(µs since 1970)`, corroborations
    /// `c|smallerId|largerId`. Ids lower-case; dates ISO 8601.
    public var canonicalText: String {
        var lines: [String] = ["school|\(schoolId.uuidString.lowercased())"]
        lines += decisions.map {
            // A location's decision names the location at the end; a school's line is as it always was.
            "d|\($0.id.uuidString.lowercased())|\($0.status.rawValue)|\($0.validDuring.from)|\($0.validDuring.until?.description ?? "")|\($0.decidedOn)"
                + ($0.locationId.map { "|location:\($0.uuidString.lowercased())" } ?? "")
        }.sorted()
        lines += visits.map { v in
            let findings = v.findings.map { "\($0.normCode):\($0.severity.rawValue)" }.sorted().joined(separator: ",")
            return "v|\(v.id.uuidString.lowercased())|\(v.kind.rawValue)|\(v.visitedOn)|\(v.outcome.rawValue)|\(findings)"
        }.sorted()
        lines += signals.map {
            let micros = Int64(($0.receivedAt.timeIntervalSince1970 * 1_000_000).rounded())
            return "s|\($0.id.uuidString.lowercased())|\($0.municipalityCode)|\($0.category.rawValue)|\($0.severity.rawValue)|\($0.status.rawValue)|\(micros)"
        }.sorted()
        lines += corroborations.map {
            let ids = [$0.first.uuidString.lowercased(), $0.second.uuidString.lowercased()].sorted()
            return "c|\(ids[0])|\(ids[1])"
        }.sorted()
        return lines.joined(separator: "\n") + "\n"
    }
}
