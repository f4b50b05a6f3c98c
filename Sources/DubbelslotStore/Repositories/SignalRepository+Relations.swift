public import DubbelslotCore
public import Foundation
import Logging
import PostgresNIO

extension SignalRepository {
    /// Links signal `id` to signal `other` as a duplicate or as corroborating
    /// (docs/decisions/0008-signal-lifecycle-and-intake.md).
    ///
    /// Both rows are locked (`FOR UPDATE`, in id order) while the rules are checked, so a concurrent
    /// link or transition cannot slip between check and write.
    /// - ``SignalRelationKind/duplicate``: `id` repeats `other` (the original). Both come from the same
    ///   municipality; `id` is not yet a duplicate and has no duplicates of its own; `other` is not a
    ///   duplicate. Sets `duplicate_of` of `id` (its version plus one). The status of neither signal
    ///   changes: a duplicate of a closed signal leaves it closed.
    /// - ``SignalRelationKind/corroborating``: both are linked to the same school, have the same
    ///   category and come from different municipalities; neither is a duplicate. No signal row changes.
    ///   The ``WebhookEventType/signalCorroborated`` event is queued in the same transaction.
    /// - Parameters:
    ///   - note: why, required, 1–10000 characters after trimming.
    ///   - at: when; `nil` (the default) means the database's `now()`.
    /// - Returns: the stored link.
    /// - Throws: ``SignalWorkflowError/notFound`` when either signal does not exist;
    ///   ``SignalWorkflowError/relationRuleBroken(_:)`` naming the rule broken;
    ///   ``StoreError/duplicate(field:)`` with `relatedSignalId` when the two are already linked (either
    ///   way round, either kind); ``ValidationFailure`` (field `note`).
    public func relate(_ id: UUID, to other: UUID, kind: SignalRelationKind, note: String, actor: RecordedBy,
                       at: Date? = nil) async throws -> SignalRelation {
        let note = try Self.checkNote(note)
        guard id != other else { throw SignalWorkflowError.relationRuleBroken("a signal cannot be linked to itself") }
        return try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    "SELECT \(unescaped: Self.columns) FROM fraud_signals f WHERE f.id = ANY(\([id, other])) ORDER BY f.id FOR UPDATE",
                    logger: logger).collect()
                let locked = Dictionary(uniqueKeysWithValues: try rows.map { row in let s = try Self.signal(row); return (s.id, s) })
                guard let signal = locked[id], let related = locked[other] else { throw SignalWorkflowError.notFound }
                switch kind {
                case .duplicate:
                    try await Self.checkDuplicate(signal, of: related, on: connection, logger: logger)
                case .corroborating:
                    try Self.checkCorroboration(signal, related)
                }
                // A corroboration adds weight, a duplicate stops counting on its own: both can change the school's verdict.
                let watch = try await VerdictWatch.start(schoolId: signal.schoolId, on: connection, logger: logger)
                let inserted = try await connection.query(
                    """
                    INSERT INTO signal_relations (signal_id, related_signal_id, kind, note, at, by, recorded_by)
                    VALUES (\(id), \(other), \(kind.rawValue), \(note), coalesce(\(at)::timestamptz, now()), \(actor), \(actor))
                    RETURNING \(unescaped: Self.relationColumns)
                    """, logger: logger)
                guard let row = try await inserted.firstRow() else { throw SignalWorkflowError.notFound }
                if kind == .duplicate {
                    try await connection.query(
                        "UPDATE fraud_signals SET duplicate_of = \(other), version = version + 1 WHERE id = \(id)", logger: logger)
                }
                let relation = try Self.relation(row)
                if kind == .corroborating {
                    // Queued in this transaction, only for organisations that read every signal (inspectors, analysts).
                    var data = ["relationId": relation.id.uuidString.lowercased(), "signalId": id.uuidString.lowercased(),
                                "relatedSignalId": other.uuidString.lowercased(), "category": signal.category.rawValue]
                    if let school = signal.schoolId { data["schoolId"] = school.uuidString.lowercased() }
                    try await WebhookOutbox.enqueue(on: connection, type: .signalCorroborated, schoolId: signal.schoolId,
                                                    audience: .roles([.inspector, .analyst]),
                                                    dataref: "/v1/signals/\(id.uuidString.lowercased())/relations", data: data, logger: logger)
                }
                try await watch?.finish(on: connection, logger: logger)
                try await AuditLog.append(on: connection, actor: actor, action: "signal.relate", subject: "signal:\(id.uuidString.lowercased())",
                                          details: ["relatedSignalId": other.uuidString.lowercased(), "kind": kind.rawValue,
                                                    "relationId": relation.id.uuidString.lowercased()], logger: logger)
                return relation
            }
        }
    }

    /// The links of a signal, either way round, oldest first.
    ///
    /// - Throws: ``SignalWorkflowError/notFound`` when the signal does not exist.
    public func relations(_ id: UUID) async throws -> [SignalRelation] {
        try await client.withConnection { connection in
            try await Self.requireSignal(id, on: connection, logger: logger)
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.relationColumns) FROM signal_relations
                WHERE signal_id = \(id) OR related_signal_id = \(id)
                ORDER BY at, recorded_at, id
                """, logger: logger)
            var result: [SignalRelation] = []
            for try await row in rows { result.append(try Self.relation(row)) }
            return result
        }
    }

    // MARK: Rules

    private static func checkDuplicate(_ signal: FraudSignal, of original: FraudSignal, on connection: PostgresConnection,
                                       logger: Logger) async throws {
        guard signal.municipalityCode == original.municipalityCode else {
            throw SignalWorkflowError.relationRuleBroken("a duplicate needs the same reporting municipality; another municipality's report corroborates")
        }
        guard signal.duplicateOf == nil else {
            throw SignalWorkflowError.relationRuleBroken("this signal is already marked as a duplicate")
        }
        guard original.duplicateOf == nil else {
            throw SignalWorkflowError.relationRuleBroken("link a duplicate to the original signal, not to another duplicate")
        }
        let rows = try await connection.query("SELECT 1 FROM fraud_signals WHERE duplicate_of = \(signal.id) LIMIT 1", logger: logger)
        guard try await rows.firstRow() == nil else {
            throw SignalWorkflowError.relationRuleBroken("other signals are duplicates of this one; it can only be an original")
        }
    }

    private static func checkCorroboration(_ a: FraudSignal, _ b: FraudSignal) throws {
        guard let school = a.schoolId, b.schoolId == school else {
            throw SignalWorkflowError.relationRuleBroken("corroborating signals must both be linked to the same school")
        }
        guard a.category == b.category else {
            throw SignalWorkflowError.relationRuleBroken("corroborating signals must have the same category")
        }
        guard a.municipalityCode != b.municipalityCode else {
            throw SignalWorkflowError.relationRuleBroken("corroborating signals come from different municipalities; the same municipality reporting again is a duplicate")
        }
        guard a.duplicateOf == nil && b.duplicateOf == nil else {
            throw SignalWorkflowError.relationRuleBroken("a duplicate does not corroborate; link its original instead")
        }
    }

    // MARK: Rows

    static let relationColumns = "id, signal_id, related_signal_id, kind, note, at, by, recorded_at"

    static func relation(_ row: PostgresRow) throws -> SignalRelation {
        let (id, signalId, relatedId, kind, note, at, by, recordedAt) =
            try row.decode((UUID, UUID, UUID, String, String, Date, String, Date).self)
        return SignalRelation(id: id, signalId: signalId, relatedSignalId: relatedId,
                              kind: try parse(kind, SignalRelationKind.init(rawValue:), column: "signal_relations.kind"),
                              note: note, at: at, by: by, recordedAt: recordedAt)
    }
}
