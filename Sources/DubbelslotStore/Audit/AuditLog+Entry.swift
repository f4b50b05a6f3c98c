public import Foundation

extension AuditLog {
    /// One audit entry as stored, with the values its hash covers.
    public struct Entry: Sendable, Hashable {
        /// Position in the chain: 1, 2, 3, … without gaps.
        public var seq: Int64
        /// The writing transaction's start, in whole microseconds since 1970-01-01T00:00:00Z.
        public var atMicros: Int64
        /// ``RecordedBy``: `"<role>:<token uuid>"` or `"cli:<user>"`.
        public var actor: String
        /// The token's role, or `operator` for the command line.
        public var actorRole: String
        /// The token's organisation (CBS code or slug), or `operator` for the command line.
        public var actorOrganisation: String
        /// The token acted with; `nil` for the command line.
        public var tokenId: UUID?
        /// Dotted verb, for example `signal.transition` or `signal.read`.
        public var action: String
        /// What was acted on, for example `signal:<uuid>`.
        public var subject: String
        /// Summary of the change: ids, statuses, counts (never free text).
        public var details: [String: String]
        /// The previous entry's `hash`; `nil` for the first.
        public var prevHash: String?
        /// Lowercase hex SHA-256 of ``AuditLog/contentText(_:)``, computed by the writer; `nil` for
        /// entries chained before the log was kept in two steps (version 1).
        public var contentHash: String?
        /// Lowercase hex SHA-256 of ``AuditLog/chainText(_:)`` (or, version 1, ``AuditLog/canonicalText(_:)``);
        /// empty before hashing.
        public var hash: String = ""

        /// The instant of ``atMicros``.
        public var at: Date { Date(timeIntervalSince1970: Double(atMicros) / 1_000_000) }

        /// Memberwise.
        public init(seq: Int64, atMicros: Int64, actor: String, actorRole: String, actorOrganisation: String,
                    tokenId: UUID?, action: String, subject: String, details: [String: String], prevHash: String?,
                    contentHash: String? = nil, hash: String = "") {
            self.seq = seq
            self.atMicros = atMicros
            self.actor = actor
            self.actorRole = actorRole
            self.actorOrganisation = actorOrganisation
            self.tokenId = tokenId
            self.action = action
            self.subject = subject
            self.details = details
            self.prevHash = prevHash
            self.contentHash = contentHash
            self.hash = hash
        }
    }

    /// The outcome of ``AuditLog/verify(client:bound:logger:)``.
    public enum VerifyResult: Sendable, Hashable {
        /// Every link holds; `entries` rows were checked, and no entry waits unsequenced past the bound.
        case intact(entries: Int64)
        /// The chain of `entries` holds, but `pending` entries wait to be sequenced, the oldest for
        /// `oldestSeconds`, longer than the bound: no sequencer runs, or it cannot keep up.
        case stalled(entries: Int64, pending: Int64, oldestSeconds: Double)
        /// The first broken link: the `seq` where the chain breaks, and why.
        case broken(seq: Int64, reason: BreakReason)
    }

    /// Why a link is broken.
    public enum BreakReason: Sendable, Hashable, CustomStringConvertible {
        /// The stored hash is not the hash of the stored row (the row was edited).
        case hashMismatch
        /// `prev_hash` is not the previous entry's hash (rows were reordered, or one replaced).
        case prevHashMismatch
        /// The entry with this `seq` is missing (deleted); the next stored one is `found`.
        case gap(found: Int64)
        /// The row's `details` are not a JSON object of strings.
        case unreadableDetails
        /// The row's content is not what its content hash covers (changed before or after sequencing).
        case contentHashMismatch

        /// The reason in words, for `dubbelslot audit verify`.
        public var description: String {
            switch self {
            case .hashMismatch: "hash mismatch (the row was changed after it was written)"
            case .prevHashMismatch: "prev_hash mismatch (rows were reordered or replaced)"
            case .gap(let found): "gap in seq (missing; next stored entry is \(found))"
            case .unreadableDetails: "details are not a JSON object of strings"
            case .contentHashMismatch: "content hash mismatch (the entry was changed after its writer appended it)"
            }
        }
    }
}
