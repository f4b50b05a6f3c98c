/// The CloudEvents `type` of an event Dubbelslot sends to webhook subscriptions.
///
/// Reverse-DNS names under `nl.dubbelslot`, as the NL GOV profile for CloudEvents asks for `type`
/// (an organisation-owned prefix, then the resource and what happened to it).
public enum WebhookEventType: String, Sendable, Hashable, CaseIterable, Codable {
    /// A quality-mark decision was recorded for a school (or one of its locations). `data`: `schoolId`,
    /// `decisionId`, `status`, and `locationId` and `supersedes` when they apply.
    case qualityMarkDecisionRecorded = "nl.dubbelslot.quality-mark.decision-recorded"
}
