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

    /// A request; only `date` is required, the rest default to `nil` (the school as a whole, the B1
    /// and Z routes alike, no contract period).
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
    /// The school the evidence is about.
    public let schoolId: UUID
    /// The school's quality-mark decisions, its locations' included, rectified ones as well
    /// (``QualityMarkLifecycle`` decides which is in force; docs/decisions/0001-quality-mark-lifecycle.md).
    public let decisions: [QualityMarkDecision]
    /// The school's supervision visits with their findings, any date (the assessor leaves out those
    /// after the date asked).
    public let visits: [SupervisionVisit]
    /// The school's signals, as the model reads them (``SignalFact``).
    public let signals: [SignalFact]
    /// Pairs of signals an inspector linked as corroborating (same school and category, independent
    /// reporters). Corroboration counts the distinct municipalities of a linked group
    /// (docs/decisions/0008-signal-lifecycle-and-intake.md).
    public let corroborations: [SignalPair]

    /// Evidence as the store reads it; `corroborations` defaults to none.
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
    /// One signal's id.
    public let first: UUID
    /// The other signal's id.
    public let second: UUID

    /// The pair of `first` and `second`, in either order.
    public init(_ first: UUID, _ second: UUID) {
        self.first = first
        self.second = second
    }
}

/// The state of one lock (the double lock: the quality mark, then municipal oversight;
/// docs/decisions/0001-quality-mark-lifecycle.md for lock 1, `config/risk-model.yaml` for lock 2).
public enum LockState: String, Hashable, Sendable, Codable {
    /// Nothing stands in the way.
    case open
    /// A buyer should look before contracting: an aspirant mark, an elevated or high score, open serious signals.
    case attention
    /// The lock fails: no granted or aspirant mark in force, a critical score, or a hard block.
    case closed
    /// The lock does not apply: lock 1 for `educationRoute`, which the education inspectorate supervises.
    case notApplicable
}

/// The buyer's verdict: `clear` (both locks open), `caution` (a lock asks attention), `blocked` (a lock fails).
public enum Verdict: String, Hashable, Sendable, Codable {
    /// Both locks open (or not applicable).
    case clear
    /// A lock asks attention and none is closed.
    case caution
    /// A lock is closed.
    case blocked
}

/// The band of the lock-2 score. `insufficientData` replaces `low` when coverage is insufficient:
/// a school nobody looked at recently is never shown as low risk.
///
/// The score thresholds of each band are `config/risk-model.yaml`'s `bands`.
public enum RiskBand: String, Hashable, Sendable, Codable {
    /// Below the `elevated` threshold, with sufficient coverage.
    case low
    /// From the `elevated` threshold: lock 2 asks attention.
    case elevated
    /// From the `high` threshold: lock 2 asks attention.
    case high
    /// From the `critical` threshold: lock 2 is closed.
    case critical
    /// A low score without a visit within `coverage.visitWithinDays`: too little is known to call it low.
    case insufficientData
}

/// Lock 1: the quality mark.
public struct QualityMarkLock: Hashable, Sendable {
    /// `open` for a granted mark in force (covering the contract period, if one was asked),
    /// `attention` for an aspirant mark, `closed` otherwise, `notApplicable` for `educationRoute`.
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

    /// Lock 1 as the assessor found it; `locations` defaults to none.
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
    /// The location (vestiging) of the school.
    public let locationId: UUID
    /// `open` while a granted mark is in force there, `attention` for an aspirant mark, else `closed`.
    public let state: LockState
    /// The decision in force there (the location's own or the school's, whichever started last).
    public let decisionInForce: QualityMarkDecision?
    /// Whether a granted mark is in force there every day of the contract period; `nil` without one.
    public let coversContractPeriod: Bool?

    /// Lock 1 at `locationId`.
    public init(locationId: UUID, state: LockState, decisionInForce: QualityMarkDecision?, coversContractPeriod: Bool?) {
        self.locationId = locationId
        self.state = state
        self.decisionInForce = decisionInForce
        self.coversContractPeriod = coversContractPeriod
    }
}

/// What kind of evidence a contribution comes from.
public enum ContributionKind: String, Hashable, Sendable, Codable {
    /// A signal's severity points, decayed by age (`signals` in `config/risk-model.yaml`).
    case signal
    /// Independent municipalities reporting the same category (`signals.corroboration`).
    case corroboration
    /// A visit's findings or outcome (`visits`).
    case visit
    /// Earlier suspensions or withdrawals of the mark (`qualityMark`).
    case qualityMarkHistory
    /// Open signals of serious severity: no points, but lock 2 at least `attention` (1.1.0 on).
    case openSignals
}

/// One term of the lock-2 score: its points and the evidence behind it.
public struct Contribution: Hashable, Sendable {
    /// What kind of evidence the points come from.
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

    /// A contribution as the assessor computes it; `points` already rounded.
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
    /// Ids of the visits, signals or decisions that set it off.
    public let evidenceIds: [UUID]
    /// The rule and its parameters, for the words.
    public let because: Explanation

    /// A hard block of `rule` on `evidenceIds`.
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
    /// `closed` for a hard block or the `critical` band, `open` for `low` without open serious
    /// signals, else `attention`.
    public let state: LockState
    /// 0–100, the capped sum of the contributions, rounded to 1 decimal.
    public let score: Double
    /// The score's band (`config/risk-model.yaml` `bands`), or `insufficientData`.
    public let band: RiskBand
    /// Sorted by points, largest first; ties by rule and evidence.
    public let contributions: [Contribution]
    /// The hard blocks that apply (`config/risk-model.yaml` `hardBlocks`); any one closes the lock.
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
///
/// The same evidence, request and model always give the same assessment (docs/decisions/0014-as-of-semantics.md).
public struct Assessment: Hashable, Sendable {
    /// The school assessed.
    public let schoolId: UUID
    /// What was asked.
    public let request: AssessmentRequest
    /// The risk model's version, `MAJOR.MINOR.PATCH` (docs/decisions/0015-risk-model-versions-and-model-card.md).
    public let modelVersion: String
    /// The verdict of both locks together.
    public let verdict: Verdict
    /// Lock 1: the quality mark.
    public let qualityMark: QualityMarkLock
    /// Lock 2: municipal oversight.
    public let oversight: OversightLock
    /// How much evidence the assessment rests on.
    public let coverage: Coverage
}
