public import Logging
public import PostgresNIO
import Synchronization

/// A streaming-replication standby that serves reads, with read-your-writes.
///
/// A read marked for the standby (``ReadRouting``) goes there while the standby answered within
/// ``freshness`` and has replayed past the last write of the same caller (`pg_last_wal_replay_lsn()`
/// against the primary's `pg_current_wal_insert_lsn()` after that write); otherwise it goes to the primary.
/// Writes always go to the primary. What each caller wrote last is kept in this process only, until
/// the standby has replayed past it (docs/decisions/0021-reads-from-a-standby.md).
public final class ReadReplica: Sendable {
    /// The standby's client, replaceable like the primary's.
    public let holder: ClientHolder
    /// How long a replay position counts as current: a standby that has not answered for this long is
    /// not used (the poller asks every 100 ms).
    public let freshness: Duration

    private struct State {
        var replayed: UInt64?
        var seenAt: ContinuousClock.Instant?
        /// Per caller, the primary's WAL position after its last write, while the standby is behind it.
        var writes: [String: UInt64] = [:]
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - client: the standby's pool (not yet running: a `DatabaseService` of its own runs it).
    ///   - freshness: how long a replay position read by ``noteReplayed(_:)`` stays good.
    public init(client: PostgresClient, freshness: Duration = .seconds(2)) {
        self.holder = ClientHolder(client)
        self.freshness = freshness
    }

    /// Records the standby's replay position as just read (`nil`: it did not answer), and forgets the
    /// writes it has replayed past.
    public func noteReplayed(_ lsn: UInt64?) {
        state.withLock { s in
            guard let lsn else { s.replayed = nil; s.seenAt = nil; return }
            s.replayed = lsn
            s.seenAt = .now
            s.writes = s.writes.filter { $0.value > lsn }
        }
    }

    /// Records that `caller` wrote, the primary's WAL position being `lsn` after the write's commit.
    public func noteWrite(by caller: String, at lsn: UInt64) {
        state.withLock { s in
            guard lsn > (s.replayed ?? 0) || s.seenAt == nil else { return }
            s.writes[caller] = max(s.writes[caller] ?? 0, lsn)
        }
    }

    /// Whether a read of `caller` may go to the standby now.
    public func serves(_ caller: String) -> Bool {
        state.withLock { s in
            guard let replayed = s.replayed, let seenAt = s.seenAt, seenAt.duration(to: .now) < freshness else { return false }
            return (s.writes[caller] ?? 0) <= replayed
        }
    }

    /// The standby's replay position as last read, `nil` when it did not answer.
    public var replayed: UInt64? { state.withLock { $0.replayed } }
}

/// Which requests may read from the standby: set for the handler of a read-only operation, with the
/// caller whose writes it must see (``ReadReplica/serves(_:)``).
public enum ReadRouting {
    /// The caller (a token id, or `"anonymous"`) whose read may go to the standby; `nil`: the primary.
    @TaskLocal public static var caller: String?
}

extension Store {
    /// The primary's WAL insert position (`pg_current_wal_insert_lsn()`) as a byte offset: after a write
    /// has committed, at least the end of its commit record. (`pg_current_wal_lsn()` is where WAL has
    /// been written to so far, which lags behind a commit made with `synchronous_commit = off`.)
    public func primaryWALPosition() async throws -> UInt64 {
        for try await lsn in try await holder.current.query("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint", logger: logger)
            .decode(Int64.self) {
            return UInt64(max(0, lsn))
        }
        throw StoreError.corruptRow("pg_current_wal_lsn() returned no row")
    }
}
