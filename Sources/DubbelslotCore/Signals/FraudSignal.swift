public import Foundation

/// Where a signal stands; a signal is an allegation, not a finding.
public enum SignalStatus: String, CaseIterable, Hashable, Sendable, Codable {
    /// Reported by a municipality, not yet looked at.
    case received
    /// Triaged by an inspector; next it is investigated, or dismissed as unfounded.
    case triaged
    /// Being investigated.
    case underInvestigation
    /// Concluded: the allegation proved true. Final.
    case substantiated
    /// Concluded: the allegation proved untrue, or was dismissed at triage. Final.
    case unfounded
    /// Concluded without proof either way; may be reopened when new facts arrive.
    case inconclusive

    /// Whether the case has reached a conclusion.
    public var isConcluded: Bool { self == .substantiated || self == .unfounded || self == .inconclusive }
}

/// The modus operandi a signal reports, as reported to parliament since 2017 (Kamerbrief 32824-261).
public enum SignalCategory: String, CaseIterable, Hashable, Sendable, Codable {
    /// Hours declared, not given.
    case lessonsNotGiven
    /// Learners paid to sign.
    case kickbacks
    /// Laptops, vouchers, cash to recruit.
    case inducements
    /// Forged signatures or attendance lists.
    case attendanceFalsified
    /// Leaked questions, answers fed in.
    case examFraud
    /// Fraud with dossiers of the orientation on the Dutch labour market (ONA).
    case onaDossierFraud
    /// Unqualified teachers, lessons not in Dutch.
    case poorTeaching
    /// Gaming the quality-mark body's supervision.
    case inspectionGaming
    /// False invoices, embezzlement.
    case financialIrregularities
    /// A conflict of interest.
    case conflictOfInterest
    /// Anything else; the summary says what.
    case other
}

/// How grave the reported abuse would be if true.
public enum SignalSeverity: String, CaseIterable, Hashable, Sendable, Codable, Comparable {
    /// The least grave.
    case low
    /// Between low and high.
    case medium
    /// The gravest. Substantiated, it closes lock 2 (`hardBlocks.substantiatedSeverityAtLeast` is
    /// `high` in models 1.0.0 and 1.1.0); while open, it holds lock 2 at attention from 1.1.0 on.
    case high

    private var rank: Int { switch self { case .low: 0; case .medium: 1; case .high: 2 } }
    /// Orders by gravity: `low < medium < high`.
    public static func < (l: Self, r: Self) -> Bool { l.rank < r.rank }
}

/// Where the reporting municipality got its information. Never a person's identity.
public enum SignalSource: String, CaseIterable, Hashable, Sendable, Codable {
    /// A learner complained.
    case learnerComplaint
    /// A staff member reported it.
    case staffReport
    /// The municipality's own case work.
    case ownCaseWork
    /// DUO, the agency that lends learners money and runs the exams.
    case duo
    /// Another public authority.
    case otherAuthority
    /// Press or other media.
    case media
    /// Any other source.
    case other
}

/// A report, by a municipality, of a suspected abuse or irregularity at a school.
public struct FraudSignal: Hashable, Sendable, Identifiable {
    /// The signal's id.
    public let id: UUID
    /// `SIG-GMnnnn-YYYY-nnnnnn` (municipality, year received, number), unique, given at intake;
    /// `SIG-YYYY-nnnnnn` for signals received before references were numbered per municipality.
    public let reference: String
    /// The reporting municipality (CBS code `GMnnnn`); who else may read the signal is the access policy's
    /// (docs/decisions/0011-one-access-policy-and-signal-visibility.md).
    public let municipalityCode: MunicipalityCode
    /// The school the signal is about, once matched; `nil` while unmatched.
    public let schoolId: UUID?
    /// The school as the municipality reported it.
    public let reportedSchoolName: String
    /// The KvK number as reported (8 digits), when the municipality knew it.
    public let reportedKvkNumber: KvKNumber?
    /// The place as reported (at most 100 characters), when given.
    public let reportedPlace: String?
    /// What kind of abuse is alleged.
    public let category: SignalCategory
    /// How serious the allegation is; the risk model's points per signal depend on it.
    public let severity: SignalSeverity
    /// The period in which the reported facts took place, half-open: `observedUntil` is exclusive
    /// (after `observedFrom`), `nil` while ongoing.
    public let observedFrom: LocalDate
    /// See ``observedFrom``.
    public let observedUntil: LocalDate?
    /// Free text; never a learner's identity (the PII guard refuses BSNs).
    public let summary: String
    /// Where the municipality learned of it.
    public let source: SignalSource
    /// Where the signal stands in its lifecycle (`SignalWorkflow`); the model weighs it by status.
    public let status: SignalStatus
    /// When the municipality's report reached Dubbelslot.
    public let receivedAt: Date
    /// When Dubbelslot stored it (transaction time).
    public let recordedAt: Date
    /// Who recorded it: `"role:tokenId"` or `"cli:user"`.
    public let recordedBy: String
    /// The municipality's own case id (1–100 characters), unique per municipality; bulk intake is
    /// idempotent on it. `nil` when not given.
    public let caseReference: String?
    /// The KvK branch number as reported (12 digits).
    public let reportedVestigingsnummer: Vestigingsnummer?
    /// The signal this one repeats, once an inspector linked it as a duplicate (same facts, same
    /// reporter); a duplicate is no evidence of its own. `nil` otherwise.
    public let duplicateOf: UUID?

    /// A signal as stored; the store gives the id, the reference and the times.
    public init(id: UUID, reference: String, municipalityCode: MunicipalityCode, schoolId: UUID?, reportedSchoolName: String,
                reportedKvkNumber: KvKNumber?, reportedPlace: String?, category: SignalCategory, severity: SignalSeverity,
                observedFrom: LocalDate, observedUntil: LocalDate?, summary: String, source: SignalSource, status: SignalStatus,
                receivedAt: Date, recordedAt: Date, recordedBy: String, caseReference: String? = nil,
                reportedVestigingsnummer: Vestigingsnummer? = nil, duplicateOf: UUID? = nil) {
        self.id = id
        self.reference = reference
        self.municipalityCode = municipalityCode
        self.schoolId = schoolId
        self.reportedSchoolName = reportedSchoolName
        self.reportedKvkNumber = reportedKvkNumber
        self.reportedPlace = reportedPlace
        self.category = category
        self.severity = severity
        self.observedFrom = observedFrom
        self.observedUntil = observedUntil
        self.summary = summary
        self.source = source
        self.status = status
        self.receivedAt = receivedAt
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.caseReference = caseReference
        self.reportedVestigingsnummer = reportedVestigingsnummer
        self.duplicateOf = duplicateOf
    }
}
