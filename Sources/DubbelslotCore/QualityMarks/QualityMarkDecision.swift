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
    /// The decision's id.
    public let id: UUID
    /// The school the decision is about.
    public let schoolId: UUID
    /// The location (vestiging) the decision is about; `nil` for the whole school.
    public let locationId: UUID?
    /// The status the decision gives the school or location.
    public let status: QualityMarkStatus
    /// When the decision is in force: `[from, until)`, `until == nil` for open-ended. Shortened when a
    /// later decision of the same scope supersedes it.
    public let validDuring: DateRange
    /// The end the decision named when it was recorded (exclusive, `nil` open-ended); equal to
    /// `validDuring.until` unless `endedBy` is set.
    public let declaredUntil: LocalDate?
    /// The decision that ended this one's period early, if any.
    public let endedBy: UUID?
    /// The day the quality-mark body decided (Europe/Amsterdam), which may precede ``validDuring``.
    public let decidedOn: LocalDate
    /// The quality-mark body's own reference, for example "BOW-2025-0012".
    public let reference: String?
    /// The body's reason, as free text, when recorded.
    public let reason: String?
    /// An objection (bezwaar) or appeal (beroep) against this decision, as free text, when one was lodged.
    public let objection: String?
    /// Set when the decision was recorded in error and rectified; it then counts for nothing.
    public let rectification: QualityMarkRectification?
    /// When Dubbelslot recorded the decision (transaction time).
    public let recordedAt: Date
    /// Who recorded it: `"role:tokenId"` or `"cli:user"`.
    public let recordedBy: String

    /// A decision as stored. Without `endedBy`, ``declaredUntil`` is taken from `validDuring.until`.
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
    /// The whole school.
    case school
    /// One location, by its id.
    case location(UUID)
}

/// The correction of a wrongly recorded decision ("rectificatie"): the reason, and who recorded it when.
public struct QualityMarkRectification: Hashable, Sendable {
    /// Why the decision was wrong, 1–4,000 characters, no personal data.
    public let reason: String
    /// When the rectification was recorded.
    public let recordedAt: Date
    /// Who recorded it: `"role:tokenId"` or `"cli:user"`.
    public let recordedBy: String

    /// A rectification as stored.
    public init(reason: String, recordedAt: Date, recordedBy: String) {
        self.reason = reason
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
    }
}
