public import Foundation

/// How long signal texts are kept (docs/decisions/0013-pii-guard-and-retention.md).
///
/// A signal is an allegation and its text often describes people (learners, teachers, owners). The
/// AVG/GDPR art. 5(1)(e) (storage limitation) requires keeping such text no longer than needed:
/// - an **unfounded** signal has served its purpose once concluded; its text is removed
///   ``unfoundedSignalMonths`` after the conclusion (default 6 months);
/// - **every** signal's text is removed ``signalTextYears`` after it was received (default 5 years:
///   the limitation period of a public body's claim to a sum of money, Awb art. 4:104, so the text
///   lasts as long as a municipality could still reclaim what was paid for a course).
/// Both are defaults of `config/dubbelslot.yaml` (`retention.*`), to be set by the controller.
///
/// Removing the text keeps the facts the risk model and the aggregates count (category, severity,
/// status, dates, the school and the reporting municipality): the register still shows *that* a
/// school was reported, never *what* was written. Removed are: the summary and the reporting
/// municipality's case reference of the signal, and the free-text notes of its transitions,
/// forwards, relations, school links and rejected candidates.
public struct RetentionPolicy: Sendable, Hashable {
    /// Months after the conclusion `unfounded` before the signal's text is removed; at least 1.
    public var unfoundedSignalMonths: Int
    /// Years after receipt before any signal's text is removed; at least 1.
    public var signalTextYears: Int
    /// Signals handled per transaction; 1–10,000.
    public var batchSize: Int

    /// The text that takes the place of removed free text (fields that may not be empty).
    public static let removedText = "[verwijderd: bewaartermijn verstreken]"

    /// A policy; the defaults are those of `config/dubbelslot.yaml`. Check it with ``validate()``.
    public init(unfoundedSignalMonths: Int = 6, signalTextYears: Int = 5, batchSize: Int = 500) {
        self.unfoundedSignalMonths = unfoundedSignalMonths
        self.signalTextYears = signalTextYears
        self.batchSize = batchSize
    }

    /// The rules that break the policy's bounds, empty when it is valid.
    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        if unfoundedSignalMonths < 1 { errors.append(FieldError(field: "retention.unfoundedSignalMonths", rule: "must be at least 1")) }
        if signalTextYears < 1 { errors.append(FieldError(field: "retention.signalTextYears", rule: "must be at least 1")) }
        if !(1...10_000).contains(batchSize) { errors.append(FieldError(field: "retention.batchSize", rule: "must be 1-10000")) }
        return errors
    }

    /// One rule of the policy, with the instant before which it applies.
    public struct Rule: Sendable, Hashable {
        /// `unfoundedSignals` or `signalTexts`: the name written to the audit chain.
        public let name: String
        /// Signals concluded unfounded (for `unfoundedSignals`) or received (for `signalTexts`) before
        /// this instant are due.
        public let before: Date
    }

    /// The two rules as of `now`, with their cut-offs counted in Europe/Amsterdam calendar months and
    /// years from the start of today.
    public func rules(now: Date) -> [Rule] {
        let today = LocalDate(instant: now)
        return [
            Rule(name: "unfoundedSignals", before: today.adding(months: -unfoundedSignalMonths).startInstant()),
            Rule(name: "signalTexts", before: today.adding(months: -12 * signalTextYears).startInstant()),
        ]
    }
}
