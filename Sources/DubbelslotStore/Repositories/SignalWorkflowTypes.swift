public import DubbelslotCore
public import Foundation

/// What an intake did with one signal: created it, or found it already there (an idempotent retry,
/// or a bulk row whose case reference the municipality sent before).
public struct SignalIntake: Hashable, Sendable {
    /// The signal as it stands after the intake, with its version.
    public let signal: VersionedSignal
    /// `false` when the signal existed and nothing was written.
    public let created: Bool

    /// An intake's outcome.
    public init(signal: VersionedSignal, created: Bool) {
        self.signal = signal
        self.created = created
    }
}

/// One status change of a signal, as stored in `signal_transitions`; never changed afterwards.
public struct SignalTransition: Hashable, Sendable {
    /// `nil` only for the first transition, to `received`.
    public let from: SignalStatus?
    /// The status after the change.
    public let to: SignalStatus
    /// When the change was made.
    public let at: Date
    /// Who made it: `"role:tokenId"` or `"cli:<user>"`.
    public let by: String
    /// The reason; `nil` only on transitions written before reasons were required (the intake row).
    public let note: String?
    /// When it was written (transaction time).
    public let recordedAt: Date

    /// A transition as stored.
    public init(from: SignalStatus?, to: SignalStatus, at: Date, by: String, note: String?, recordedAt: Date) {
        self.from = from
        self.to = to
        self.at = at
        self.by = by
        self.note = note
        self.recordedAt = recordedAt
    }
}

/// A forwarding mark: the signal was passed on to the quality-mark body or the inspectorate. It does
/// not end the case and does not change its status.
public struct SignalForward: Hashable, Sendable, Identifiable {
    /// The forward's id.
    public let id: UUID
    /// The signal forwarded.
    public let signalId: UUID
    /// The quality-mark body or the inspectorate.
    public let target: SignalForwardTarget
    /// Why it was forwarded (the reason the inspector gave).
    public let note: String
    /// When it was forwarded.
    public let at: Date
    /// Who forwarded it: `"role:tokenId"` or `"cli:<user>"`.
    public let by: String
    /// When it was written (transaction time).
    public let recordedAt: Date

    /// A forward as stored.
    public init(id: UUID, signalId: UUID, target: SignalForwardTarget, note: String, at: Date, by: String, recordedAt: Date) {
        self.id = id
        self.signalId = signalId
        self.target = target
        self.note = note
        self.at = at
        self.by = by
        self.recordedAt = recordedAt
    }
}

/// A link an inspector made between two signals (``SignalRelationKind``).
///
/// For ``SignalRelationKind/duplicate``, `signalId` is the duplicate and `relatedSignalId` the
/// original; for ``SignalRelationKind/corroborating`` the order carries no meaning.
public struct SignalRelation: Hashable, Sendable, Identifiable {
    /// The link's id.
    public let id: UUID
    /// The signal linked: the duplicate, for a duplicate link.
    public let signalId: UUID
    /// The other signal: the original, for a duplicate link.
    public let relatedSignalId: UUID
    /// Duplicate or corroborating.
    public let kind: SignalRelationKind
    /// Why the inspector linked them.
    public let note: String
    /// When the link was made.
    public let at: Date
    /// Who made it: `"role:tokenId"` or `"cli:<user>"`.
    public let by: String
    /// When it was written (transaction time).
    public let recordedAt: Date

    /// A link as stored.
    public init(id: UUID, signalId: UUID, relatedSignalId: UUID, kind: SignalRelationKind, note: String, at: Date, by: String,
                recordedAt: Date) {
        self.id = id
        self.signalId = signalId
        self.relatedSignalId = relatedSignalId
        self.kind = kind
        self.note = note
        self.at = at
        self.by = by
        self.recordedAt = recordedAt
    }
}

/// What made a school a candidate for a signal.
public enum MatchFeature: String, CaseIterable, Hashable, Sendable, Codable {
    /// The reported KvK number is the school's.
    case kvkNumber
    /// The reported vestigingsnummer is one of the school's locations'.
    case vestigingsnummer
    /// The normalised reported name is trigram-similar (pg_trgm, at least
    /// ``SignalRepository/nameSimilarityThreshold``) to the school's normalised name or a trade name.
    case name
    /// The normalised reported place is the name of the municipality of the school's seat or of one of
    /// its locations.
    case place
}

/// A school that may be the one a signal is about, with how sure the match is.
public struct MatchCandidate: Hashable, Sendable {
    /// The candidate school.
    public let school: School
    /// 0–1: `1` for an identifier match, else the best pg_trgm `similarity()` of the normalised names.
    public let score: Double
    /// In ``MatchFeature`` order: `kvkNumber`, `vestigingsnummer`, `name`, `place`.
    public let features: [MatchFeature]

    /// A candidate as the matcher found it.
    public init(school: School, score: Double, features: [MatchFeature]) {
        self.school = school
        self.score = score
        self.features = features
    }
}
