/// The weights and thresholds of the risk model, read from `config/risk-model.yaml`.
///
/// Every number here is a policy choice, published with the model so that a school or a court can
/// check it (in the spirit of the Dutch Algoritmeregister). Points are on the 0–100 scale of lock 2;
/// half-lives and windows are in days.
public struct RiskModel: Hashable, Sendable, Codable {
    /// The model's version, for example "1.0.0"; every assessment names it.
    public var version: String
    /// Points per fraud signal (`signals` in `config/risk-model.yaml`).
    public var signals: Signals
    /// Extra points for independent reporting municipalities (`corroboration`).
    public var corroboration: Corroboration
    /// Points from supervision visits (`visits`).
    public var visits: Visits
    /// Points from earlier suspensions and withdrawals of the mark (`qualityMark`).
    public var qualityMark: QualityMarkHistory
    /// The score's band thresholds (`bands`).
    public var bands: Bands
    /// The rules that close lock 2 whatever the score (`hardBlocks`).
    public var hardBlocks: HardBlocks
    /// When too little is known to call a school low risk (`coverage`).
    public var coverage: Coverage
    /// How lock 1's reasons are worded; absent in models before 1.1.0.
    public var qualityMarkLock: QualityMarkLockRules?

    /// Points per fraud signal: `severityPoints[severity] × statusFactor[status] × 0.5^(age / halfLifeDays)`.
    public struct Signals: Hashable, Sendable, Codable {
        /// Points of a signal at full weight, by severity (`low`, `medium`, `high`).
        public var severityPoints: [String: Double]
        /// Weight by status, 0–1; `unfounded` must be 0 and `substantiated` 1.
        public var statusFactor: [String: Double]
        /// Age, counted from the signal's received date, at which a signal weighs half (days).
        public var halfLifeDays: Double
        /// Signals received longer ago than this are left out (days).
        public var windowDays: Int
        /// While a signal of this severity or worse is open (received, triaged, underInvestigation),
        /// lock 2 is at least `attention`, whatever its age: the buyer must look before contracting.
        /// Absent (models before 1.1.0): no such floor. Source: shared/DESIGN.md, "open serious allegations".
        public var openAttentionSeverityAtLeast: String?
    }

    /// Extra points when several municipalities independently report the same school.
    public struct Corroboration: Hashable, Sendable, Codable {
        /// Points for each reporting municipality beyond the first.
        public var pointsPerAdditionalMunicipality: Double
        /// Cap on corroboration points.
        public var maxPoints: Double
        /// Only signals received within this many days count (days).
        public var windowDays: Int
        /// Whether distinct reporting municipalities count without an inspector's link (1.1.0:
        /// shared/DESIGN.md, "no link needed"). Absent or false: only linked groups count (1.0.0).
        public var countsUnlinked: Bool?
        /// With `countsUnlinked`: extra points per additional municipality in the largest group an
        /// inspector linked as corroborating, a confirmation on top; capped by `maxPoints` with the rest.
        public var linkedPointsPerAdditionalMunicipality: Double?
    }

    /// Points from supervision visits, decayed like signals.
    public struct Visits: Hashable, Sendable, Codable {
        /// Points of a visit with outcome `minorFindings` at full weight.
        public var minorFindings: Double
        /// Points of a visit with outcome `majorFindings` at full weight.
        public var majorFindings: Double
        /// Points of a visit with outcome `accessRefused` at full weight.
        public var accessRefused: Double
        /// Extra points when a financial supervision visit has major findings.
        public var financialMajorFindingsExtra: Double
        /// Age, counted from the visit date, at which a visit weighs half (days).
        public var halfLifeDays: Double
        /// Visits longer ago than this are left out (days).
        public var windowDays: Int
    }

    /// Points from the school's quality-mark history.
    public struct QualityMarkHistory: Hashable, Sendable, Codable {
        /// A suspension that started within `windowDays`.
        public var suspension: Double
        /// A withdrawal that started within `windowDays` (when a mark was granted again since).
        public var withdrawal: Double
        /// Age, counted from the decision's first day, at which it weighs half (days).
        public var halfLifeDays: Double
        /// Decisions that started longer ago than this are left out (days).
        public var windowDays: Int
    }

    /// Lower bounds of the bands on the 0–100 score; below `elevated` is `low`.
    public struct Bands: Hashable, Sendable, Codable {
        /// From this score (points) the band is `elevated`: lock 2 asks attention.
        public var elevated: Double
        /// From this score (points) the band is `high`: lock 2 asks attention.
        public var high: Double
        /// From this score (points) the band is `critical`: lock 2 is closed.
        public var critical: Double
    }

    /// Rules that close lock 2 whatever the score.
    public struct HardBlocks: Hashable, Sendable, Codable {
        /// A substantiated signal of at least this severity received within `substantiatedWithinDays`.
        public var substantiatedSeverityAtLeast: String
        /// The window of that rule: the signal received at most this many days before the date asked (days).
        public var substantiatedWithinDays: Int
        /// A visit with outcome `accessRefused` within this many days.
        public var accessRefusedWithinDays: Int
    }

    /// When an assessment rests on too little evidence to say "low".
    public struct Coverage: Hashable, Sendable, Codable {
        /// Without any supervision visit in this many days, coverage is insufficient (days).
        public var visitWithinDays: Int
        /// Whether a visit where access was refused counts as a look at the school. Absent (models
        /// before 1.1.0): it does; 1.1.0 sets `false` (shared/DESIGN.md: "a visit where access was
        /// refused is a finding against the school, never coverage").
        public var countsRefusedVisits: Bool?
    }

    /// How lock 1 explains itself (1.1.0 on).
    public struct QualityMarkLockRules: Hashable, Sendable, Codable {
        /// Whether reasons name the last day a mark is valid, beside the first day not covered.
        public var namesLastValidDay: Bool
    }

    /// A model of the given parts; `qualityMarkLock` defaults to none (the wording before 1.1.0).
    /// Versions and their publication: docs/decisions/0015-risk-model-versions-and-model-card.md.
    public init(version: String, signals: Signals, corroboration: Corroboration, visits: Visits,
                qualityMark: QualityMarkHistory, bands: Bands, hardBlocks: HardBlocks, coverage: Coverage,
                qualityMarkLock: QualityMarkLockRules? = nil) {
        self.version = version
        self.signals = signals
        self.corroboration = corroboration
        self.visits = visits
        self.qualityMark = qualityMark
        self.bands = bands
        self.hardBlocks = hardBlocks
        self.coverage = coverage
        self.qualityMarkLock = qualityMarkLock
    }

    /// Checks the model's own consistency: known keys, factors within 0–1, `unfounded` at 0,
    /// `substantiated` at 1 and no factor above it, increasing bands, positive half-lives.
    ///
    /// - Throws: ``ValidationFailure`` listing every broken rule, with the YAML key as field.
    public func validate() throws {
        var errors: [FieldError] = []
        for s in SignalSeverity.allCases where severityPoints(s) == nil {
            errors.append(FieldError(field: "signals.severityPoints.\(s.rawValue)", rule: "is required"))
        }
        for key in signals.severityPoints.keys where SignalSeverity(rawValue: key) == nil {
            errors.append(FieldError(field: "signals.severityPoints.\(key)", rule: "is not a severity (low, medium, high)"))
        }
        for s in SignalStatus.allCases {
            guard let f = signals.statusFactor[s.rawValue] else {
                errors.append(FieldError(field: "signals.statusFactor.\(s.rawValue)", rule: "is required"))
                continue
            }
            if !(0...1).contains(f) {
                errors.append(FieldError(field: "signals.statusFactor.\(s.rawValue)", rule: "must be between 0 and 1"))
            }
        }
        for key in signals.statusFactor.keys where SignalStatus(rawValue: key) == nil {
            errors.append(FieldError(field: "signals.statusFactor.\(key)", rule: "is not a signal status"))
        }
        if signals.statusFactor["unfounded"].map({ $0 != 0 }) ?? false {
            errors.append(FieldError(field: "signals.statusFactor.unfounded", rule: "must be 0: unfounded signals never raise the score"))
        }
        if signals.statusFactor["substantiated"].map({ $0 != 1 }) ?? false {
            errors.append(FieldError(field: "signals.statusFactor.substantiated", rule: "must be 1: substantiated signals count fully"))
        }
        for (key, value) in signals.severityPoints where value < 0 {
            errors.append(FieldError(field: "signals.severityPoints.\(key)", rule: "must not be negative"))
        }
        let nonNegative: [(String, Double)] = [
            ("corroboration.pointsPerAdditionalMunicipality", corroboration.pointsPerAdditionalMunicipality),
            ("corroboration.maxPoints", corroboration.maxPoints),
            ("visits.minorFindings", visits.minorFindings), ("visits.majorFindings", visits.majorFindings),
            ("visits.accessRefused", visits.accessRefused),
            ("visits.financialMajorFindingsExtra", visits.financialMajorFindingsExtra),
            ("qualityMark.suspension", qualityMark.suspension), ("qualityMark.withdrawal", qualityMark.withdrawal),
        ]
        for (key, value) in nonNegative where value < 0 {
            errors.append(FieldError(field: key, rule: "must not be negative"))
        }
        for (key, value) in [("signals.halfLifeDays", signals.halfLifeDays), ("visits.halfLifeDays", visits.halfLifeDays),
                             ("qualityMark.halfLifeDays", qualityMark.halfLifeDays)] where !(value > 0) {
            errors.append(FieldError(field: key, rule: "must be greater than 0"))
        }
        if !(0 < bands.elevated && bands.elevated < bands.high && bands.high < bands.critical && bands.critical <= 100) {
            errors.append(FieldError(field: "bands", rule: "must satisfy 0 < elevated < high < critical <= 100"))
        }
        if SignalSeverity(rawValue: hardBlocks.substantiatedSeverityAtLeast) == nil {
            errors.append(FieldError(field: "hardBlocks.substantiatedSeverityAtLeast", rule: "must be low, medium or high"))
        }
        if let open = signals.openAttentionSeverityAtLeast, SignalSeverity(rawValue: open) == nil {
            errors.append(FieldError(field: "signals.openAttentionSeverityAtLeast", rule: "must be low, medium or high"))
        }
        if let linked = corroboration.linkedPointsPerAdditionalMunicipality, linked < 0 {
            errors.append(FieldError(field: "corroboration.linkedPointsPerAdditionalMunicipality", rule: "must not be negative"))
        }
        if version.isEmpty {
            errors.append(FieldError(field: "version", rule: "is required"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }

    func severityPoints(_ s: SignalSeverity) -> Double? { signals.severityPoints[s.rawValue] }
    func statusFactor(_ s: SignalStatus) -> Double { signals.statusFactor[s.rawValue] ?? 0 }
}
