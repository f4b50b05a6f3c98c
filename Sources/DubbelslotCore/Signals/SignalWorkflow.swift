/// The one table of allowed signal transitions (docs/decisions/0008-signal-lifecycle-and-intake.md).
///
/// `received → triaged → underInvestigation → substantiated | unfounded | inconclusive`. Triage may
/// also dismiss a signal as unfounded at once; an inconclusive case may be reopened when new facts
/// arrive. Substantiated and unfounded are final. Forwarding to the quality-mark body or the
/// inspectorate is a mark beside the status (``SignalForwardTarget``), never a status of its own.
public enum SignalWorkflow {
    /// Allowed next statuses per current status.
    public static let allowed: [SignalStatus: [SignalStatus]] = [
        .received: [.triaged],
        .triaged: [.underInvestigation, .unfounded],
        .underInvestigation: [.substantiated, .unfounded, .inconclusive],
        .inconclusive: [.underInvestigation],
        .substantiated: [],
        .unfounded: [],
    ]

    /// Whether `from → to` is allowed.
    public static func allows(_ from: SignalStatus, _ to: SignalStatus) -> Bool {
        allowed[from, default: []].contains(to)
    }

    /// The statuses reachable from `status` in one step, in table order.
    public static func next(after status: SignalStatus) -> [SignalStatus] { allowed[status, default: []] }
}

/// Where a signal can be forwarded ("melden aan Blik op Werk"); forwarding does not end the case.
public enum SignalForwardTarget: String, CaseIterable, Hashable, Sendable, Codable {
    /// Blik op Werk, the quality-mark body.
    case qualityMarkBody
    /// The inspectorate (Nederlandse Arbeidsinspectie).
    case inspectorate
}
