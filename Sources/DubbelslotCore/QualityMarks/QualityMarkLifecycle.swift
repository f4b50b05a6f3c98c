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
        /// The superseded decision.
        public let decisionId: UUID
        /// Its new end: the new decision's first day (exclusive).
        public let until: LocalDate

        /// A supersession of `decisionId` ending on `until`.
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
        let previous = predecessor(at: start, scope: scope, location: location, among: current)
        guard allows(after: previous?.status, status) else {
            throw .illegalTransition(from: previous?.status, to: status, allowed: allowed(after: previous?.status))
        }
        if let later = same.filter({ $0.validDuring.from > start }).min(by: { $0.validDuring.from < $1.validDuring.from }) {
            guard let end = period.until, end <= later.validDuring.from else {
                throw .runsIntoLater(existing: later.id, status: later.status, from: later.validDuring.from)
            }
        }
        // Every decision after the new one, of any scope, must still follow what precedes it then: a
        // back-dated withdrawal of the school comes before a later lift at one of its locations too.
        let new = QualityMarkDecision(id: UUID(), schoolId: current.first?.schoolId ?? UUID(), locationId: location, status: status,
                                      validDuring: period, decidedOn: start, reference: nil, reason: nil, objection: nil,
                                      recordedAt: .distantFuture, recordedBy: "")
        let after = current.map { d -> QualityMarkDecision in
            guard d.id == inForce?.id, let shortened = DateRange(from: d.validDuring.from, until: start) else { return d }
            return QualityMarkDecision(id: d.id, schoolId: d.schoolId, locationId: d.locationId, status: d.status, validDuring: shortened,
                                       declaredUntil: d.declaredUntil, endedBy: new.id, decidedOn: d.decidedOn, reference: d.reference,
                                       reason: d.reason, objection: d.objection, recordedAt: d.recordedAt, recordedBy: d.recordedBy)
        } + [new]
        for next in after where next.validDuring.from > start || (next.validDuring.from == start && next.scope != scope) {
            let others = after.filter { $0.id != next.id }
            let nextLocation: UUID? = if case .location(let id) = next.scope { id } else { nil }
            let before = predecessor(at: next.validDuring.from, scope: next.scope, location: nextLocation, among: others)
            if !allows(after: before?.status, next.status) {
                throw .illegalTransition(from: before?.status, to: next.status, allowed: allowed(after: before?.status))
            }
        }
        return inForce.map { Supersession(decisionId: $0.id, until: start) }
    }
}

extension QualityMarkLifecycle {
    /// What a decision of `scope` starting on `day` follows, among `decisions` (itself not among them):
    /// the decision in force for the scope that day as lock 1 reads it, else the decision of the scope
    /// that ended exactly then, else a suspension of the scope that ran out (it stays to be lifted);
    /// `nil` when nothing precedes it (a new application).
    static func predecessor(at day: LocalDate, scope: QualityMarkScope, location: UUID?,
                            among decisions: [QualityMarkDecision]) -> QualityMarkDecision? {
        let timeline = MarkTimeline(decisions)
        let same = decisions.filter { $0.scope == scope }
        if let inForce = timeline.inForce(on: day, location: location) { return inForce }
        if let adjacent = same.filter({ $0.validDuring.until == day }).max(by: { $0.validDuring.from < $1.validDuring.from }) {
            return adjacent
        }
        if let last = timeline.lastEndedBefore(day, location: location), last.status == .suspended { return last }
        return nil
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

    /// What was refused and what may follow, in English.
    public var description: String {
        switch self {
        case let .illegalTransition(from, to, allowed):
            let after = from.map { "a decision of status \($0.rawValue)" } ?? "nothing in force (only a new application may start a history)"
            return "A decision of status \(to.rawValue) cannot follow \(after); allowed: \(allowed.map(\.rawValue).joined(separator: ", "))."
        case let .sameStart(_, status, from):
            return "A decision of status \(status.rawValue) for the same school or location already starts on \(from); to correct it, rectify it with a reason."
        case let .runsIntoLater(_, status, from):
            return "The period runs into a later decision of status \(status.rawValue) for the same school or location, which starts on \(from); end the new decision on or before that day."
        }
    }
}
