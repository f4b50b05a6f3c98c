public import Foundation

/// A decision of the quality-mark body about one school or one of its locations, in force over a
/// half-open period.
///
/// Decisions supersede (shared/DESIGN.md, "Data model"; docs/decisions/0001-quality-mark-lifecycle.md):
/// a decision valid from D ends the decision in force at D for the same scope, so the periods in
/// force of one scope never overlap (PostgreSQL exclusion constraint). `validDuring` is the period as
/// it stands now; `declaredUntil` is the end the decision itself named, which a later decision may
/// have cut short (`endedBy`). A wrongly recorded decision is rectified, never edited: it keeps its
/// row with ``rectification`` and no longer counts.
public struct QualityMarkDecision: Hashable, Sendable, Identifiable {
    public let id: UUID
    public let schoolId: UUID
    /// The location (vestiging) the decision is about; `nil` for the whole school.
    public let locationId: UUID?
    public let status: QualityMarkStatus
    /// When the decision is in force: `[from, until)`, `until == nil` for open-ended. Shortened when a
    /// later decision of the same scope supersedes it.
    public let validDuring: DateRange
    /// The end the decision named when it was recorded (exclusive, `nil` open-ended); equal to
    /// `validDuring.until` unless `endedBy` is set.
    public let declaredUntil: LocalDate?
    /// The decision that ended this one's period early, if any.
    public let endedBy: UUID?
    public let decidedOn: LocalDate
    /// The quality-mark body's own reference, for example "BOW-2025-0012".
    public let reference: String?
    public let reason: String?
    /// An objection (bezwaar) or appeal (beroep) against this decision, as free text, when one was lodged.
    public let objection: String?
    /// Set when the decision was recorded in error and rectified; it then counts for nothing.
    public let rectification: QualityMarkRectification?
    public let recordedAt: Date
    public let recordedBy: String

    public init(id: UUID, schoolId: UUID, locationId: UUID? = nil, status: QualityMarkStatus, validDuring: DateRange,
                declaredUntil: LocalDate? = nil, endedBy: UUID? = nil, decidedOn: LocalDate,
                reference: String?, reason: String?, objection: String?, rectification: QualityMarkRectification? = nil,
                recordedAt: Date, recordedBy: String) {
        self.id = id
        self.schoolId = schoolId
        self.locationId = locationId
        self.status = status
        self.validDuring = validDuring
        // Without a later decision cutting it short, the period is the one declared.
        self.declaredUntil = endedBy == nil ? validDuring.until : declaredUntil
        self.endedBy = endedBy
        self.decidedOn = decidedOn
        self.reference = reference
        self.reason = reason
        self.objection = objection
        self.rectification = rectification
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
    }

    /// The scope a decision is about: the whole school, or one location.
    public var scope: QualityMarkScope { locationId.map(QualityMarkScope.location) ?? .school }
}

/// What a quality-mark decision is about: the whole school or one location (vestiging). The
/// quality-mark body can suspend a single location while the others keep the mark.
public enum QualityMarkScope: Hashable, Sendable {
    case school
    case location(UUID)
}

/// The correction of a wrongly recorded decision ("rectificatie"): the reason, and who recorded it when.
public struct QualityMarkRectification: Hashable, Sendable {
    /// Why the decision was wrong, 1–4,000 characters, no personal data.
    public let reason: String
    public let recordedAt: Date
    public let recordedBy: String

    public init(reason: String, recordedAt: Date, recordedBy: String) {
        self.reason = reason
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
    }
}
