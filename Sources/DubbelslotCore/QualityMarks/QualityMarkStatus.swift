/// The status a quality-mark decision gives a school (Blik op Werk Keurmerk Inburgeren).
public enum QualityMarkStatus: String, CaseIterable, Hashable, Sendable, Codable {
    /// A new entrant's provisional mark; not all norms judged yet.
    case aspirant
    /// Granted for a fixed term (keurmerk voor bepaalde tijd).
    case grantedFixedTerm
    /// Granted indefinitely (keurmerk voor onbepaalde tijd).
    case grantedIndefinite
    /// No new learners while it lasts.
    case suspended
    /// The mark was withdrawn (intrekking).
    case withdrawn
    /// The application was refused (niet toegekend).
    case notGranted
    /// Ended by time or by not meeting norms.
    case lapsed
    /// The school stopped carrying the mark.
    case stopped

    /// Whether the school holds the mark (lock 1 open) while a decision with this status is in force.
    public var holdsMark: Bool { self == .grantedFixedTerm || self == .grantedIndefinite }
}
