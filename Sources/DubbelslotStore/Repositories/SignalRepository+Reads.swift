public import Foundation
import PostgresNIO

extension SignalRepository {
    /// Records that `actor` read the full text of signals (reads of a signal's full text go to the
    /// audit chain: docs/decisions/0012-audit-chain-of-writes-and-reads.md).
    ///
    /// One entry per call, in its own transaction: action `signal.read`, subject `signal:<uuid>` for one
    /// id, `signals` for several (details `count` and `ids`, comma-separated lowercase UUIDs, in the given
    /// order). Nothing is written for an empty list. Call it once per request, after the signals were read
    /// and the caller's right to them checked.
    /// - Throws: the database's error; the caller should then not hand out the text.
    public func recordRead(ids: [UUID], actor: RecordedBy) async throws {
        guard !ids.isEmpty else { return }
        let subject = ids.count == 1 ? "signal:\(ids[0].uuidString.lowercased())" : "signals"
        let details = ["count": String(ids.count), "ids": ids.map { $0.uuidString.lowercased() }.joined(separator: ",")]
        try await client.withTransaction(logger: logger) { connection in
            try await AuditLog.append(on: connection, actor: actor, action: "signal.read", subject: subject,
                                      details: details, logger: logger)
        }
    }
}
