/// A signal with the version behind its `ETag`.
///
/// `version` starts at 1 and grows by one with every write to the signal's row: a transition, a link
/// to a school (or its removal by a rejection), marking it a duplicate. A transition names the version
/// it was based on (`If-Match`) and is refused with ``SignalWorkflowError/versionMismatch(current:)``
/// when the signal has moved on (docs/decisions/0008-signal-lifecycle-and-intake.md).
public struct VersionedSignal: Hashable, Sendable {
    /// The signal as stored.
    public let signal: FraudSignal
    /// 1 or more.
    public let version: Int

    /// The signal at `version` (1 or more).
    public init(signal: FraudSignal, version: Int) {
        self.signal = signal
        self.version = version
    }
}
