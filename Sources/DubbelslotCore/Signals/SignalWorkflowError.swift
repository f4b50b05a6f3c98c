/// An error of the signal workflow that a caller is expected to handle
/// (docs/decisions/0008-signal-lifecycle-and-intake.md): the refusals of the rules in
/// ``SignalWorkflow`` and ``SignalRelationKind``, beside which it lives.
///
/// Thrown by the workflow methods of DubbelslotStore's `SignalRepository` besides its `StoreError`
/// (which covers the database). The description never holds database detail; it says what to do. Suggested HTTP mapping: ``Kind/versionMismatch`` 412,
/// ``Kind/illegalTransition`` 409, ``Kind/idempotencyKeyReused`` 422, ``Kind/relationRuleBroken`` 409,
/// ``Kind/notFound`` 404.
public struct SignalWorkflowError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of error, for switching on.
    public enum Kind: Hashable, Sendable {
        /// The signal changed since the caller read it (412).
        case versionMismatch
        /// ``SignalWorkflow`` does not allow the transition (409).
        case illegalTransition
        /// The `Idempotency-Key` was used before with another request body (422).
        case idempotencyKeyReused
        /// A rule of ``SignalRelationKind`` refuses the link (409).
        case relationRuleBroken
        /// The signal does not exist (404).
        case notFound
    }

    private enum Value: Hashable, Sendable {
        case versionMismatch(current: VersionedSignal)
        case illegalTransition(current: SignalStatus, allowed: [SignalStatus])
        case idempotencyKeyReused
        case relationRuleBroken(String)
        case notFound
    }

    private let value: Value

    private init(_ value: Value) { self.value = value }

    /// The signal has changed since the version the caller named (`If-Match`); nothing was written.
    ///
    /// - Parameter current: the signal as it is now, with its current version.
    public static func versionMismatch(current: VersionedSignal) -> SignalWorkflowError { .init(.versionMismatch(current: current)) }

    /// The workflow table (``SignalWorkflow/allowed``) does not allow the transition from the current status.
    ///
    /// - Parameters:
    ///   - current: the signal's status.
    ///   - allowed: the statuses it may move to, in table order; empty for a final status.
    public static func illegalTransition(current: SignalStatus, allowed: [SignalStatus]) -> SignalWorkflowError {
        .init(.illegalTransition(current: current, allowed: allowed))
    }

    /// The `Idempotency-Key` was used before, by the same municipality, with another request body.
    public static var idempotencyKeyReused: SignalWorkflowError { .init(.idempotencyKeyReused) }

    /// A link between signals (or between a signal and a school) breaks a rule of
    /// docs/decisions/0008-signal-lifecycle-and-intake.md.
    ///
    /// - Parameter rule: the rule in words, for example "a duplicate needs the same reporting municipality".
    public static func relationRuleBroken(_ rule: String) -> SignalWorkflowError { .init(.relationRuleBroken(rule)) }

    /// The signal does not exist.
    public static var notFound: SignalWorkflowError { .init(.notFound) }

    /// The kind of error.
    public var kind: Kind {
        switch value {
        case .versionMismatch: .versionMismatch
        case .illegalTransition: .illegalTransition
        case .idempotencyKeyReused: .idempotencyKeyReused
        case .relationRuleBroken: .relationRuleBroken
        case .notFound: .notFound
        }
    }

    /// The signal as it is now, for ``Kind/versionMismatch``; else `nil`.
    public var currentSignal: VersionedSignal? {
        if case .versionMismatch(let current) = value { return current }
        return nil
    }

    /// The current status, for ``Kind/versionMismatch`` and ``Kind/illegalTransition``; else `nil`.
    public var currentStatus: SignalStatus? {
        switch value {
        case .versionMismatch(let current): current.signal.status
        case .illegalTransition(let current, _): current
        default: nil
        }
    }

    /// The statuses allowed next, for ``Kind/illegalTransition``; else empty.
    public var allowedStatuses: [SignalStatus] {
        if case .illegalTransition(_, let allowed) = value { return allowed }
        return []
    }

    /// The rule broken, for ``Kind/relationRuleBroken``; else `nil`.
    public var rule: String? {
        if case .relationRuleBroken(let rule) = value { return rule }
        return nil
    }

    /// What went wrong and what to do, in English; never database detail.
    public var description: String {
        switch value {
        case .versionMismatch(let current):
            "The signal has changed since you read it (it is now version \(current.version), status \(current.signal.status.rawValue)). Read it again and decide on the current state."
        case .illegalTransition(let current, let allowed):
            allowed.isEmpty
                ? "A signal that is \(current.rawValue) is final; no transition is allowed."
                : "A signal that is \(current.rawValue) can only move to \(allowed.map(\.rawValue).joined(separator: ", "))."
        case .idempotencyKeyReused:
            "This Idempotency-Key was used before with a different request. Use a new key for a new signal, or resend the original request unchanged."
        case .relationRuleBroken(let rule):
            "The link is not allowed: \(rule)."
        case .notFound:
            "No such signal."
        }
    }
}
