/// The CloudEvents `type` of an event Dubbelslot sends to webhook subscriptions.
///
/// Reverse-DNS names under `nl.dubbelslot`, as the NL GOV profile for CloudEvents asks for `type`
/// (an organisation-owned prefix, then the resource and what happened to it). `data` holds ids,
/// statuses and dates only, never free text (docs/decisions/0007-webhooks-through-an-outbox.md).
public enum WebhookEventType: String, Sendable, Hashable, CaseIterable, Codable {
    /// A quality-mark decision was recorded for a school (or one of its locations), or rectified.
    /// `data`: `schoolId`, `decisionId`, `status`, and `locationId` and `supersedes` when they apply;
    /// a rectification adds `change` `"rectified"` and, when it gave a decision back the period it
    /// had declared, `restores` (that decision's id). Every organisation may receive it.
    case qualityMarkDecisionRecorded = "nl.dubbelslot.quality-mark.decision-recorded"
    /// A fraud signal moved to another status (triage, investigation, conclusion). `data`: `signalId`,
    /// `fromStatus`, `toStatus`, `version` (the signal's version after the change, the `ETag`), and
    /// `schoolId` when the signal is linked to a school. Only the reporting municipality's
    /// subscriptions receive it.
    case signalStatusChanged = "nl.dubbelslot.signal.status-changed"
    /// An inspector linked two signals of different municipalities about one school as corroborating.
    /// `data`: `relationId`, `signalId`, `relatedSignalId`, `schoolId`, `category`. Only organisations
    /// that read every signal (holding an inspector's or analyst's token) receive it.
    case signalCorroborated = "nl.dubbelslot.signal.corroborated"
    /// The verdict of a school (clear, caution, blocked) changed for a municipality that contracted it:
    /// it holds a procurement check on the school decided `proceed` whose contract period runs today,
    /// and a change to the school's evidence turned that check's verdict for today into another.
    /// `data`: `schoolId`, `procurementCheckId`, `fromVerdict`, `toVerdict`, `date` (the business date
    /// assessed), `modelVersion`. Only that municipality's subscriptions receive it.
    case schoolVerdictChanged = "nl.dubbelslot.school.verdict-changed"
}
