public import Foundation

/// The one table of which quality-mark status may follow which, and how a new decision supersedes
/// the one in force (docs/decisions/0001-quality-mark-lifecycle.md).
///
/// Source: the lifecycle of the Keurmerk Inburgeren as shared/DESIGN.md ("Data model") describes it
/// from Blik op Werk's handbook and its published decisions (42 suspensions and 20 withdrawals in
/// 2018–2020): a new entrant starts `aspirant`, gets a mark for a fixed term and then an indefinite
/// one; a mark can be suspended (no new learners), the suspension extended, lifted (the mark again)
/// or turned into a withdrawal; a withdrawn, lapsed, stopped or refused mark is followed only by a
/// new application. Beside the signal workflow (``SignalWorkflow``), this table is the only place
/// these rules live; the store and the web form both ask it.
public enum QualityMarkLifecycle {
    /// A new application: how a scope's history begins, and what may follow a gap in it.
    public static let newApplication: [QualityMarkStatus] = [.aspirant, .grantedFixedTerm, .grantedIndefinite, .notGranted]

    /// Allowed statuses of the decision that follows one of the key's status in the same scope, in table order.
    public static let allowedAfter: [QualityMarkStatus: [QualityMarkStatus]] = [
        // Not all norms judged yet: the full mark, a refusal, or a measure against the provisional mark.
        .aspirant: [.grantedFixedTerm, .grantedIndefinite, .notGranted, .suspended, .withdrawn, .lapsed, .stopped],
        // A fixed term renewed, made indefinite, or ended early.
        .grantedFixedTerm: [.grantedFixedTerm, .grantedIndefinite, .suspended, .withdrawn, .lapsed, .stopped],
        .grantedIndefinite: [.suspended, .withdrawn, .lapsed, .stopped],
        // Extended (a new suspension), lifted (the mark again), or turned into a withdrawal.
        .suspended: [.suspended, .grantedFixedTerm, .grantedIndefinite, .withdrawn, .lapsed, .stopped],
        // Only a new application, which starts as a new entrant or is refused.
        .withdrawn: [.aspirant, .notGranted],
        .notGranted: [.aspirant, .grantedFixedTerm, .notGranted],
        .lapsed: newApplication,
        .stopped: newApplication,
    ]

    /// The statuses allowed after `previous` (`nil`: nothing before, or a gap).
    public static func allowed(after previous: QualityMarkStatus?) -> [QualityMarkStatus] {
        previous.map { allowedAfter[$0, default: []] } ?? newApplication
    }

    /// Whether a decision of `next` may follow one of `previous` (`nil`: nothing before, or a gap).
    public static func allows(after previous: QualityMarkStatus?, _ next: QualityMarkStatus) -> Bool {
        allowed(after: previous).contains(next)
    }

    /// What recording a decision does to the decision it supersedes: that decision's period ends on
    /// `until` (exclusive), the new decision's first day.
    public struct Supersession: Hashable, Sendable {
        public let decisionId: UUID
        public let until: LocalDate

        public init(decisionId: UUID, until: LocalDate) {
            self.decisionId = decisionId
            self.until = until
        }
    }

    /// Checks a new decision of `status` over `period` for `scope` against the school's current,
    /// unrectified decisions, and says which decision it supersedes.
    ///
    /// The predecessor is the decision in force for the scope on `period.from` (at a location: the
    /// location's own or the school's, whichever started last, as ``MarkTimeline`` reads lock 1), or
    /// the decision of the scope that ended exactly then; a suspension that ran out with nothing
    /// after it stays the predecessor (the body lifts it, or withdraws the mark, by a decision of its
    /// own, which may come later). After any other gap, or with nothing before, only
    /// ``newApplication`` may follow. A decision of the same scope that starts later must follow the
    /// new one in the table too when the new period ends on its first day, and must not be overlapped.
    ///
    /// - Returns: the supersession (the decision of the same scope in force on `period.from`), or `nil`.
    /// - Throws: ``QualityMarkLifecycleError`` when the table forbids the transition (into the new
    ///   decision, or out of it into the next one), when a decision of the scope already starts on
    ///   `period.from` (rectify it instead), or when the period runs into a later decision of the scope.
    public static func plan(status: QualityMarkStatus, period: DateRange, scope: QualityMarkScope,
                            among decisions: [QualityMarkDecision]) throws(QualityMarkLifecycleError) -> Supersession? {
        let current = decisions.filter { $0.rectification == nil }
        let same = current.filter { $0.scope == scope }
        let start = period.from
        let inForce = same.first { $0.validDuring.contains(start) }
        if let inForce, inForce.validDuring.from == start {
            throw .sameStart(existing: inForce.id, status: inForce.status, from: start)
        }
        let location: UUID? = if case .location(let id) = scope { id } else { nil }
        let timeline = MarkTimeline(current)
        var previous = timeline.inForce(on: start, location: location)
            ?? same.filter { $0.validDuring.until == start }.max { $0.validDuring.from < $1.validDuring.from }
        if previous == nil, let last = timeline.lastEndedBefore(start, location: location), last.status == .suspended {
            previous = last
        }
        guard allows(after: previous?.status, status) else {
            throw .illegalTransition(from: previous?.status, to: status, allowed: allowed(after: previous?.status))
        }
        if let later = same.filter({ $0.validDuring.from > start }).min(by: { $0.validDuring.from < $1.validDuring.from }) {
            guard let end = period.until, end <= later.validDuring.from else {
                throw .runsIntoLater(existing: later.id, status: later.status, from: later.validDuring.from)
            }
            if end == later.validDuring.from, !allows(after: status, later.status) {
                throw .illegalTransition(from: status, to: later.status, allowed: allowed(after: status))
            }
        }
        return inForce.map { Supersession(decisionId: $0.id, until: start) }
    }
}

/// A quality-mark decision the lifecycle (``QualityMarkLifecycle``) does not allow; nothing was written.
///
/// Suggested HTTP mapping: 409 Conflict, naming both statuses.
public enum QualityMarkLifecycleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `to` may not follow `from` (`nil`: nothing in force, or a gap); `allowed` lists what may.
    case illegalTransition(from: QualityMarkStatus?, to: QualityMarkStatus, allowed: [QualityMarkStatus])
    /// A decision of the same scope already starts on `from`: a correction is a rectification, not a second decision.
    case sameStart(existing: UUID, status: QualityMarkStatus, from: LocalDate)
    /// The new period would overlap a decision of the same scope that starts later, on `from`: give the
    /// new decision an end on or before that day, or rectify the later one.
    case runsIntoLater(existing: UUID, status: QualityMarkStatus, from: LocalDate)

    public var description: String {
        switch self {
        case let .illegalTransition(from, to, allowed):
            let after = from.map { "a \($0.rawValue) decision" } ?? "no decision in force (a new application)"
            return "A \(to.rawValue) decision cannot follow \(after); allowed: \(allowed.map(\.rawValue).joined(separator: ", "))."
        case let .sameStart(_, status, from):
            return "A \(status.rawValue) decision of the same scope already starts on \(from); to correct it, rectify it with a reason."
        case let .runsIntoLater(_, status, from):
            return "The period runs into a later \(status.rawValue) decision of the same scope, which starts on \(from); end the new decision on or before that day."
        }
    }
}
