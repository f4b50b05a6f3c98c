public import Foundation

/// The kinds of supervision visit of the quality-mark body (Blik op Werk, Toezicht in de klas and audits).
public enum VisitKind: String, CaseIterable, Hashable, Sendable, Codable {
    /// Toezicht in de klas: announced or unannounced observation of lessons.
    case classroom
    /// Financial supervision: an audit of the school's books and invoicing.
    case financial
    /// An audit of the school's results.
    case resultsAudit
    /// A client audit.
    case clientAudit
    /// A new-entrant check.
    case newEntrant
    /// A follow-up visit.
    case followUp
}

/// What a visit concluded.
public enum VisitOutcome: String, CaseIterable, Hashable, Sendable, Codable {
    /// No findings.
    case compliant
    /// Minor findings only.
    case minorFindings
    /// At least one major finding.
    case majorFindings
    /// The school refused the inspector access: points against it and a hard block for
    /// `hardBlocks.accessRefusedWithinDays`; from model 1.1.0 on it is no coverage.
    case accessRefused
}

/// How far a finding departs from the norm.
public enum FindingSeverity: String, CaseIterable, Hashable, Sendable, Codable {
    /// A minor deviation.
    case minor
    /// A major deviation; any one makes the outcome `majorFindings`.
    case major
}

/// The form of a norm code of the quality-mark handbook (Blik op Werk, Keurmerk Inburgering): the
/// norms are numbered by chapter, norm and, where a norm has parts, part (`4.2`, `4.2.1`), each number
/// 1–99. The handbook's own list is not in this repository, so the form is checked, not the list.
public enum NormCode {
    /// The rule, for field errors.
    public static let rule = "must be a norm code of the quality-mark handbook: chapter.norm or chapter.norm.part, such as 4.2 or 4.2.1"

    /// Whether `code` has the form of a norm code.
    public static func isValid(_ code: String) -> Bool {
        let parts = code.split(separator: ".", omittingEmptySubsequences: false)
        return (2...3).contains(parts.count) && parts.allSatisfy { part in
            (1...2).contains(part.count) && part.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && part.first != "0"
        }
    }
}

/// A judged deviation from one norm of the quality-mark handbook.
public struct Finding: Hashable, Sendable, Identifiable {
    /// The finding's id; a school's reply names it.
    public let id: UUID
    /// The handbook's norm code, for example "4.2" (1–32 characters).
    public let normCode: String
    /// Minor or major, as the inspector judged it against the norm.
    public let severity: FindingSeverity
    /// The inspector's note (at most 4,000 characters); never a learner's identity. `nil` when none.
    public let note: String?

    /// A finding as stored; the store gives the id.
    public init(id: UUID, normCode: String, severity: FindingSeverity, note: String?) {
        self.id = id
        self.normCode = normCode
        self.severity = severity
        self.note = note
    }
}

/// A supervision visit (toezichtbezoek) with its findings.
public struct SupervisionVisit: Hashable, Sendable, Identifiable {
    /// The visit's id.
    public let id: UUID
    /// The school visited.
    public let schoolId: UUID
    /// The location visited, one of the school's; `nil` for the school as a whole (its seat).
    public let locationId: UUID?
    /// What the visit looked at (classroom, financial, …); a financial visit with major findings
    /// weighs extra in the risk model (`visits.financialMajorFindingsExtra`).
    public let kind: VisitKind
    /// Whether the school knew of the visit beforehand.
    public let announced: Bool
    /// The business date of the visit; never in the future.
    public let visitedOn: LocalDate
    /// The inspector's conclusion, agreeing with the findings: none for compliant and accessRefused,
    /// minor ones only for minorFindings, at least one major for majorFindings.
    public let outcome: VisitOutcome
    /// The findings, in recorded order.
    public let findings: [Finding]
    /// When Dubbelslot recorded the visit (transaction time): an overview as of an earlier instant leaves it out.
    public let recordedAt: Date
    /// Who recorded it: `"role:tokenId"` or `"cli:user"` (``RecordedBy`` in the store).
    public let recordedBy: String

    /// A visit as stored.
    public init(id: UUID, schoolId: UUID, locationId: UUID?, kind: VisitKind, announced: Bool, visitedOn: LocalDate,
                outcome: VisitOutcome, findings: [Finding], recordedAt: Date, recordedBy: String) {
        self.id = id
        self.schoolId = schoolId
        self.locationId = locationId
        self.kind = kind
        self.announced = announced
        self.visitedOn = visitedOn
        self.outcome = outcome
        self.findings = findings
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
    }
}
