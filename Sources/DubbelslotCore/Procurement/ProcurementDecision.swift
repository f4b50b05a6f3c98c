/// What a buyer decided after a procurement check (docs/decisions/0016-procurement-checks-and-right-of-reply.md).
public enum ProcurementDecisionKind: String, CaseIterable, Hashable, Sendable, Codable {
    /// Contract (or keep contracting) the school.
    case proceed
    /// Do not contract the school.
    case doNotProceed
    /// Decide later (for example after asking the school or the quality-mark body).
    case deferred

    /// Whether a reason is required: when the decision goes against the verdict (proceeding with a
    /// school that is not `clear`, or refusing one that is). A human may overrule the model, but
    /// must say why (CJEU C-634/21 SCHUFA: the score informs, a person decides and accounts for it).
    public func needsReason(verdict: Verdict) -> Bool {
        switch self {
        case .proceed: verdict != .clear
        case .doNotProceed: verdict == .clear
        case .deferred: false
        }
    }
}

/// What a school's reply is about (docs/decisions/0016-procurement-checks-and-right-of-reply.md).
public enum ReplySubjectKind: String, CaseIterable, Hashable, Sendable, Codable {
    /// A fraud signal about the school.
    case signal
    /// A finding of a supervision visit of the school.
    case finding
}
