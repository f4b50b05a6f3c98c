public import Foundation

/// The model card of a risk-model version (docs/decisions/0015-risk-model-versions-and-model-card.md): what the model
/// is for, what it reads and never reads, every weight, its limits and who decides. Published in the national
/// algorithm register (Algoritmeregister) as `dubbelslot model card --format markdown` prints it, and served at
/// `GET /v1/risk-model`; both come from this one text.
public struct ModelCard: Sendable {
    /// One version in the history.
    public struct Version: Sendable, Hashable {
        /// The model version, such as `1.1.0`.
        public let version: String
        /// `draft`, `published` or `retired` (`risk_models.status`, sql/0026).
        public let status: String
        /// When it became current; `nil` for a draft.
        public let publishedAt: Date?
        /// When a later version replaced it; `nil` while current or a draft.
        public let retiredAt: Date?
        /// Lowercase hex SHA-256 of the model's canonical JSON (sorted keys, no insignificant whitespace).
        public let contentSHA256: String

        /// One row of the history, as the store keeps it.
        public init(version: String, status: String, publishedAt: Date?, retiredAt: Date?, contentSHA256: String) {
            self.version = version
            self.status = status
            self.publishedAt = publishedAt
            self.retiredAt = retiredAt
            self.contentSHA256 = contentSHA256
        }
    }

    /// The weights and thresholds the card describes.
    public let model: RiskModel
    /// The version's status: `draft`, `published` or `retired`.
    public let status: String
    /// Lowercase hex SHA-256 of the model's canonical JSON, printed on the card so a reader can check the weights.
    public let contentSHA256: String
    /// Every stored version, for the card's version history.
    public let history: [Version]

    /// A card for `model`; the status, hash and history come from the store.
    public init(model: RiskModel, status: String, contentSHA256: String, history: [Version]) {
        self.model = model
        self.status = status
        self.contentSHA256 = contentSHA256
        self.history = history
    }

    /// What the model is for, and that it decides nothing (Wet inburgering 2021, both locks).
    public static let purpose = """
        Dubbelslot informs a municipal buyer, before contracting a language school for civic integration \
        (Wet inburgering 2021), whether both locks against fraud hold: the school's Blik op Werk quality mark \
        (lock 1) and the municipalities' own oversight (lock 2). Lock 2 is summarised as a 0-100 score with a \
        band, built from signals, supervision visits and quality-mark history, each contribution shown with \
        its evidence. The score informs; it decides nothing.
        """
    /// Who reads the model's output: buyers, the quality-mark body's inspectors, the inspectorate's analysts.
    public static let users = [
        "Municipal buyers (inkopers) reading the double-lock overview before a tender or contract.",
        "Inspectors of the quality-mark body, who record visits and decisions and triage signals.",
        "Analysts of the inspectorate (Inspectie SZW / Nederlandse Arbeidsinspectie), for risk reports.",
    ]
    /// What the model reads, each input beside its source.
    public static let inputs: [(String, String)] = [
        ("Quality-mark decisions (status, period)", "Blik op Werk, recorded by its inspectors"),
        ("Supervision visits (kind, date, outcome, findings per norm)", "Blik op Werk and the inspectorate"),
        ("Fraud signals (category, severity, status, date received, reporting municipality)", "Municipalities; status set by inspectors after triage"),
        ("Corroboration links between signals of different municipalities", "Inspectors"),
    ]
    /// What the model never reads: no personal characteristics, no free text, no learner data.
    public static let neverUses = [
        "No personal characteristics of owners, teachers or learners: no names, nationality, origin, age, gender or address of any person.",
        "No free text: summaries, notes and replies are shown to people but never read by the model.",
        "No data about learners' results or identities (Dubbelslot stores no learner identity at all).",
        "No absence of supervision as points against a school: little evidence gives 'insufficient data', never a higher score.",
    ]
    /// The model's known limits, shown on the card.
    public static let knownLimits = [
        "Signals are allegations: open signals count at a reduced weight until concluded, and may prove unfounded.",
        "Coverage depends on visits being recorded; a school nobody visited recently shows 'insufficient data'.",
        "Weights are policy choices calibrated on published national figures (390 signals on 101 schools in two years; 42 suspensions and 20 withdrawals 2018-2020), not statistically fitted.",
        "Matching reported schools to registered ones can fail; unmatched signals count for no school.",
    ]
    /// Why each rule of 1.1.0 changed, for the card of a model that uses it (source: shared/DESIGN.md,
    /// "The risk model", and the trial with real quality-mark histories on fictional schools).
    public static let changesIn110 = [
        "Open serious allegations: while a signal of severity high or worse is open (received, triaged, under investigation), lock 2 is at least 'attention' and the verdict 'caution'. Before, one high signal under investigation on a school with a mark and a recent compliant visit read 'clear' (8-12 points); the buyer must be told to look before contracting.",
        "Corroboration without a link: reports from distinct municipalities about the same school count by themselves (they are independent reporters); an inspector's 'corroborating' link adds a confirmation on top. Before, three municipalities reporting one school earned nothing until an inspector linked them.",
        "A refused visit is no coverage: a visit where access was refused is a finding against the school (and a hard block for 12 months), never a look at it. Before, once the hard block ran out, a school whose only visit was refused read 'low' and 'clear'.",
        "Lock 1 names the last day a mark is valid, beside the first day it does not cover.",
    ]

    /// The comparison of 1.1.0 in shadow against 1.0.0, as measured before publication
    /// (`dubbelslot model compare`); figures in docs/decisions/0002-risk-model-1.1.md.
    public static let shadowComparison110 = [
        "Demo data (230 fictional schools, business date 2026-11-30): 4 schools change verdict, all clear → caution (1.0.0: clear 105, caution 80, blocked 45; 1.1.0: clear 101, caution 84, blocked 45). Reasons: an open high-severity signal (2), reports of distinct municipalities without a link (2). Bands: elevated → high 8, low → elevated 2, insufficientData → elevated 2, high → critical 2 (already blocked).",
        "Benchmark data at 100 times national volume (1,230 schools, 100,390 signals; bench/run.sh 100's generator): the same 4 changes among the 230 demo schools; the 1,000 generated schools are blocked under both versions (each has substantiated high-severity signals), so none changes verdict.",
        "No school in either set changed because of a refused visit: none had a refused visit as its only recent visit.",
    ]

    /// Why a human decides (CJEU C-634/21 SCHUFA; AVG/GDPR art. 22) and how a decision can be traced and answered.
    public static let humanOversight = """
        A human decides (CJEU C-634/21 SCHUFA, 2023; AVG/GDPR art. 22). A buyer records each procurement check \
        and the decision taken, with a reason whenever it goes against the verdict. Every assessment names its \
        model version and input digest and can be re-derived as of the moment it was shown. A school can reply \
        to every finding and signal shown about it; the reply is shown beside that evidence.
        """

    /// The card as Markdown for the algorithm register.
    public func markdown() -> String {
        let m = model
        func table(_ rows: [(String, String)]) -> String {
            (["| | |", "|---|---|"] + rows.map { "| \($0.0) | \($0.1) |" }).joined(separator: "\n")
        }
        func points(_ d: [String: Double]) -> String { d.sorted { $0.key < $1.key }.map { "\($0.key) \(format($0.value))" }.joined(separator: ", ") }
        let iso = ISO8601DateFormatter()
        var lines = [
            "# Dubbelslot risk model \(m.version)",
            "",
            "Status: \(status). Content SHA-256: `\(contentSHA256)`.",
            "",
            "## Purpose", "", Self.purpose, "",
            "## Who uses it", "",
        ]
        lines += Self.users.map { "- \($0)" }
        lines += ["", "## Inputs and their sources", "", table(Self.inputs), "", "## Weights and thresholds", ""]
        lines += [table([
            ("Signal points by severity", points(m.signals.severityPoints)),
            ("Signal factor by status", points(m.signals.statusFactor)),
            ("Signal half-life / window (days)", "\(format(m.signals.halfLifeDays)) / \(m.signals.windowDays)"),
            ("Corroboration per additional municipality / cap / window", "\(format(m.corroboration.pointsPerAdditionalMunicipality)) / \(format(m.corroboration.maxPoints)) / \(m.corroboration.windowDays) days"),
            ("Visit minor / major findings / access refused", "\(format(m.visits.minorFindings)) / \(format(m.visits.majorFindings)) / \(format(m.visits.accessRefused))"),
            ("Financial visit with major findings, extra", format(m.visits.financialMajorFindingsExtra)),
            ("Visit half-life / window (days)", "\(format(m.visits.halfLifeDays)) / \(m.visits.windowDays)"),
            ("Quality mark suspension / withdrawal", "\(format(m.qualityMark.suspension)) / \(format(m.qualityMark.withdrawal))"),
            ("Quality-mark half-life / window (days)", "\(format(m.qualityMark.halfLifeDays)) / \(m.qualityMark.windowDays)"),
        ] + (m.signals.openAttentionSeverityAtLeast.map { [("Open signals that hold lock 2 at 'attention' at least", "severity \($0) or worse")] } ?? [])
          + (m.corroboration.countsUnlinked == true
              ? [("Corroboration counts distinct municipalities without a link; an inspector's link adds per additional municipality",
                  format(m.corroboration.linkedPointsPerAdditionalMunicipality ?? 0))] : [])
          + (m.coverage.countsRefusedVisits == false ? [("A visit with access refused counts as coverage", "no")] : []))]
        lines += ["", "## Bands", "",
                  "Score 0-100: low below \(format(m.bands.elevated)), elevated from \(format(m.bands.elevated)), high from \(format(m.bands.high)), critical from \(format(m.bands.critical)). Without any visit in \(m.coverage.visitWithinDays) days the band is 'insufficientData' instead of 'low'.",
                  "", "## Hard blocks", "",
                  "- A substantiated signal of severity \(m.hardBlocks.substantiatedSeverityAtLeast) or worse received within \(m.hardBlocks.substantiatedWithinDays) days closes lock 2.",
                  "- A supervision visit with access refused within \(m.hardBlocks.accessRefusedWithinDays) days closes lock 2.",
                  "- Lock 1 is closed unless a granted quality mark is in force on the date asked (not applicable to the education route).",
                  "- Lock 1 follows the quality-mark body's decisions as they supersede one another; a location (vestiging) with decisions of its own is judged by them, and a mark that ends within the contract period is a caution."]
        // Lock 1 reads the quality-mark body's decisions through one table (QualityMarkLifecycle).
        lines += ["", "## Lock 1: which quality-mark decision may follow which", "",
                  "A decision valid from a day ends the decision in force that day for the same scope (the school, or one location); a wrong one is rectified with a reason, never edited.",
                  "", "| after | may follow |", "|---|---|",
                  "| nothing in force (a new application) | \(QualityMarkLifecycle.newApplication.map(\.rawValue).joined(separator: ", ")) |"]
        lines += QualityMarkStatus.allCases.map { "| \($0.rawValue) | \(QualityMarkLifecycle.allowed(after: $0).map(\.rawValue).joined(separator: ", ")) |" }
        if m.signals.openAttentionSeverityAtLeast != nil || m.corroboration.countsUnlinked == true || m.coverage.countsRefusedVisits == false {
            lines += ["", "## What changed since 1.0.0, and why", ""]
            lines += Self.changesIn110.map { "- \($0)" }
            if !Self.shadowComparison110.isEmpty {
                lines += ["", "### In shadow against 1.0.0, before publication", ""]
                lines += Self.shadowComparison110.map { "- \($0)" }
            }
        }
        lines += ["", "## What it never uses", ""]
        lines += Self.neverUses.map { "- \($0)" }
        lines += ["", "## Known limits", ""]
        lines += Self.knownLimits.map { "- \($0)" }
        lines += ["", "## Human oversight", "", Self.humanOversight, "", "## Version history", "",
                  "| version | status | published | retired | content SHA-256 |", "|---|---|---|---|---|"]
        lines += history.map {
            "| \($0.version) | \($0.status) | \($0.publishedAt.map(iso.string) ?? "") | \($0.retiredAt.map(iso.string) ?? "") | `\($0.contentSHA256.prefix(12))` |"
        }
        return lines.joined(separator: "\n") + "\n"
    }

}

/// A number without a needless `.0`.
private func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
}
