public import Foundation

/// What the risk model is asked: which school, on which business date, for which route and contract period.
public struct AssessmentRequest: Hashable, Sendable {
    /// The business date the verdict is about (Europe/Amsterdam).
    public let date: LocalDate
    /// The route to be bought; `nil` asks about the B1 and Z routes alike.
    public let route: Route?
    /// The contract period, half-open; lock 1 then also says whether the mark covers all of it.
    public let contractPeriod: DateRange?
    /// The location (vestiging) to be contracted; `nil` asks about the school as a whole. Lock 1 then
    /// follows that location's own decisions where the quality-mark body took any.
    public let locationId: UUID?

    public init(date: LocalDate, route: Route? = nil, contractPeriod: DateRange? = nil, locationId: UUID? = nil) {
        self.date = date
        self.route = route
        self.contractPeriod = contractPeriod
        self.locationId = locationId
    }
}

/// Everything the model may look at for one school. Nothing else reaches it: no personal
/// characteristics of owners, teachers or learners.
///
/// `signals` holds no duplicates: a signal linked as the duplicate of another is left out by the store.
public struct RiskEvidence: Hashable, Sendable {
    public let schoolId: UUID
    public let decisions: [QualityMarkDecision]
    public let visits: [SupervisionVisit]
    /// The school's signals, as the model reads them (``SignalFact``).
    public let signals: [SignalFact]
    /// Pairs of signals an inspector linked as corroborating (same school and category, independent
    /// reporters). Corroboration counts the distinct municipalities of a linked group
    /// (docs/decisions/0008-signal-lifecycle-and-intake.md).
    public let corroborations: [SignalPair]

    public init(schoolId: UUID, decisions: [QualityMarkDecision], visits: [SupervisionVisit], signals: [SignalFact],
                corroborations: [SignalPair] = []) {
        self.schoolId = schoolId
        self.decisions = decisions
        self.visits = visits
        self.signals = signals
        self.corroborations = corroborations
    }
}

/// Two signals linked to each other; the order carries no meaning.
public struct SignalPair: Hashable, Sendable {
    public let first: UUID
    public let second: UUID

    public init(_ first: UUID, _ second: UUID) {
        self.first = first
        self.second = second
    }
}

/// The state of one lock.
public enum LockState: String, Hashable, Sendable, Codable {
    case open, attention, closed, notApplicable
}

/// The buyer's verdict: `clear` (both locks open), `caution` (a lock asks attention), `blocked` (a lock fails).
public enum Verdict: String, Hashable, Sendable, Codable {
    case clear, caution, blocked
}

/// The band of the lock-2 score. `insufficientData` replaces `low` when coverage is insufficient:
/// a school nobody looked at recently is never shown as low risk.
public enum RiskBand: String, Hashable, Sendable, Codable {
    case low, elevated, high, critical, insufficientData
}

/// Lock 1: the quality mark.
public struct QualityMarkLock: Hashable, Sendable {
    public let state: LockState
    /// The decision in force on the date asked, if any.
    public let decisionInForce: QualityMarkDecision?
    /// Whether the mark is held for the whole contract period; `nil` when no period was asked.
    public let coversContractPeriod: Bool?
    /// The reasons for the state as rule and parameters, most important first.
    public let because: [Explanation]
    /// Locations with decisions of their own (a suspended vestiging), each with its state on the date
    /// and, for a contract period, whether the mark covers it there; sorted by location id. Empty when
    /// a location was asked for, or when no location has decisions of its own.
    public let locations: [LocationMark]

    public init(state: LockState, decisionInForce: QualityMarkDecision?, coversContractPeriod: Bool?, because: [Explanation],
                locations: [LocationMark] = []) {
        self.state = state
        self.decisionInForce = decisionInForce
        self.coversContractPeriod = coversContractPeriod
        self.because = because
        self.locations = locations
    }

    /// The reasons in English, most important first.
    public var reasons: [String] { because.map { $0.text() } }
}

/// Lock 1 at one location with decisions of its own.
public struct LocationMark: Hashable, Sendable {
    public let locationId: UUID
    /// `open` while a granted mark is in force there, `attention` for an aspirant mark, else `closed`.
    public let state: LockState
    /// The decision in force there (the location's own or the school's, whichever started last).
    public let decisionInForce: QualityMarkDecision?
    /// Whether a granted mark is in force there every day of the contract period; `nil` without one.
    public let coversContractPeriod: Bool?

    public init(locationId: UUID, state: LockState, decisionInForce: QualityMarkDecision?, coversContractPeriod: Bool?) {
        self.locationId = locationId
        self.state = state
        self.decisionInForce = decisionInForce
        self.coversContractPeriod = coversContractPeriod
    }
}

/// What kind of evidence a contribution comes from.
public enum ContributionKind: String, Hashable, Sendable, Codable {
    case signal, corroboration, visit, qualityMarkHistory
    /// Open signals of serious severity: no points, but lock 2 at least `attention` (1.1.0 on).
    case openSignals
}

/// One term of the lock-2 score: its points and the evidence behind it.
public struct Contribution: Hashable, Sendable {
    public let kind: ContributionKind
    /// The rule that produced it, as its `config/risk-model.yaml` key, e.g. `signals.severityPoints.high`.
    public let rule: String
    /// Points on the 0–100 scale, rounded to 2 decimals; never negative.
    public let points: Double
    /// Ids of the signals, visits or decisions this came from.
    public let evidenceIds: [UUID]
    /// The evidence's business date (received, visited, in force from).
    public let evidenceDate: LocalDate
    /// The rule and the parameters the points come from.
    public let because: Explanation

    public init(kind: ContributionKind, rule: String, points: Double, evidenceIds: [UUID], evidenceDate: LocalDate, because: Explanation) {
        self.kind = kind
        self.rule = rule
        self.points = points
        self.evidenceIds = evidenceIds
        self.evidenceDate = evidenceDate
        self.because = because
    }

    /// The explanation in English.
    public var explanation: String { because.text() }
}

/// A rule that closes lock 2 whatever the score.
public struct HardBlock: Hashable, Sendable {
    /// The `config/risk-model.yaml` key of the rule, e.g. `hardBlocks.accessRefusedWithinDays`.
    public let rule: String
    public let evidenceIds: [UUID]
    /// The rule and its parameters, for the words.
    public let because: Explanation

    public init(rule: String, evidenceIds: [UUID], because: Explanation) {
        self.rule = rule
        self.evidenceIds = evidenceIds
        self.because = because
    }

    /// The explanation in English.
    public var explanation: String { because.text() }
}

/// Lock 2: municipal oversight.
public struct OversightLock: Hashable, Sendable {
    public let state: LockState
    /// 0–100, the capped sum of the contributions, rounded to 1 decimal.
    public let score: Double
    public let band: RiskBand
    /// Sorted by points, largest first; ties by rule and evidence.
    public let contributions: [Contribution]
    public let hardBlocks: [HardBlock]
}

/// How much evidence an assessment rests on.
public struct Coverage: Hashable, Sendable {
    /// The last visit of each kind on or before the date asked.
    public let lastVisitByKind: [VisitKind: LocalDate]
    /// Signals about the school received on or before the date asked.
    public let signalsKnown: Int
    /// Of those, the ones not yet concluded.
    public let signalsOpen: Int
    /// Whether any visit lies within `coverage.visitWithinDays` of the date asked.
    public let sufficient: Bool
}

/// The double-lock overview's assessment of one school: both locks, the verdict, and why.
public struct Assessment: Hashable, Sendable {
    public let schoolId: UUID
    public let request: AssessmentRequest
    public let modelVersion: String
    public let verdict: Verdict
    public let qualityMark: QualityMarkLock
    public let oversight: OversightLock
    public let coverage: Coverage
}
