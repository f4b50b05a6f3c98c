public import Foundation

/// A decision of the quality-mark body about one school, in force over a half-open period.
///
/// A school's periods never overlap (PostgreSQL exclusion constraint on `valid_during`).
public struct QualityMarkDecision: Hashable, Sendable, Identifiable {
    public let id: UUID
    public let schoolId: UUID
    public let status: QualityMarkStatus
    /// When the decision is in force: `[from, until)`, `until == nil` for open-ended.
    public let validDuring: DateRange
    public let decidedOn: LocalDate
    /// The quality-mark body's own reference, for example "BOW-2025-0012".
    public let reference: String?
    public let reason: String?
    /// An objection (bezwaar) or appeal (beroep) against this decision, as free text, when one was lodged.
    public let objection: String?
    public let recordedAt: Date
    public let recordedBy: String

    public init(id: UUID, schoolId: UUID, status: QualityMarkStatus, validDuring: DateRange, decidedOn: LocalDate,
                reference: String?, reason: String?, objection: String?, recordedAt: Date, recordedBy: String) {
        self.id = id
        self.schoolId = schoolId
        self.status = status
        self.validDuring = validDuring
        self.decidedOn = decidedOn
        self.reference = reference
        self.reason = reason
        self.objection = objection
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
    }
}
