public import Foundation

/// The kinds of supervision visit of the quality-mark body (Blik op Werk, Toezicht in de klas and audits).
public enum VisitKind: String, CaseIterable, Hashable, Sendable, Codable {
    case classroom, financial, resultsAudit, clientAudit, newEntrant, followUp
}

/// What a visit concluded.
public enum VisitOutcome: String, CaseIterable, Hashable, Sendable, Codable {
    case compliant, minorFindings, majorFindings, accessRefused
}

/// How far a finding departs from the norm.
public enum FindingSeverity: String, CaseIterable, Hashable, Sendable, Codable {
    case minor, major
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
    public let id: UUID
    /// The handbook's norm code, for example "4.2" (1–32 characters).
    public let normCode: String
    public let severity: FindingSeverity
    public let note: String?

    public init(id: UUID, normCode: String, severity: FindingSeverity, note: String?) {
        self.id = id
        self.normCode = normCode
        self.severity = severity
        self.note = note
    }
}

/// A supervision visit (toezichtbezoek) with its findings.
public struct SupervisionVisit: Hashable, Sendable, Identifiable {
    public let id: UUID
    public let schoolId: UUID
    public let locationId: UUID?
    public let kind: VisitKind
    public let announced: Bool
    /// The business date of the visit; never in the future.
    public let visitedOn: LocalDate
    public let outcome: VisitOutcome
    public let findings: [Finding]
    public let recordedAt: Date
    public let recordedBy: String

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
