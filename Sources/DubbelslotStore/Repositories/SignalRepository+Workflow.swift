public import DubbelslotCore
public import Foundation
import Logging
import PostgresNIO

extension SignalRepository {
    /// Moves a signal to `status`, if it is still at `expectedVersion` and the workflow allows it
    /// (docs/decisions/0008-signal-lifecycle-and-intake.md).
    ///
    /// One transaction: the signal's row is read `FOR UPDATE`, so of two transitions on one version
    /// the second waits for the first, then sees the new version and is refused; the status and the
    /// version (plus one) are updated and the transition is added to `signal_transitions`. Nothing is
    /// overwritten: the history keeps every transition with its reason, actor and instant. The
    /// ``WebhookEventType/signalStatusChanged`` event is queued in the same transaction for the
    /// reporting municipality's subscriptions.
    /// - Parameters:
    ///   - expectedVersion: the version the caller based the decision on (the `If-Match` `ETag`).
    ///   - note: the reason, required, 1–10000 characters after trimming.
    ///   - at: when the transition was made; `nil` (the default) means the database's `now()`. Meant
    ///     for imports and tests; it should not precede the signal's previous transition.
    /// - Returns: the signal after the transition, with its new version.
    /// - Throws: ``SignalWorkflowError/notFound``; ``SignalWorkflowError/versionMismatch(current:)`` with
    ///   the current signal when the version differs (checked first);
    ///   ``SignalWorkflowError/illegalTransition(current:allowed:)`` when ``SignalWorkflow/allows(_:_:)``
    ///   refuses; ``ValidationFailure`` (field `note`) for a blank or too long note. Nothing is written
    ///   when anything is thrown.
    public func transition(_ id: UUID, to status: SignalStatus, expectedVersion: Int, note: String, actor: RecordedBy,
                           at: Date? = nil) async throws -> VersionedSignal {
        let note = try Self.checkNote(note)
        return try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                guard let current = try await Self.lock(id, on: connection, logger: logger) else { throw SignalWorkflowError.notFound }
                guard current.version == expectedVersion else { throw SignalWorkflowError.versionMismatch(current: current) }
                let from = current.signal.status
                guard SignalWorkflow.allows(from, status) else {
                    throw SignalWorkflowError.illegalTransition(current: from, allowed: SignalWorkflow.next(after: from))
                }
                let watch = try await VerdictWatch.start(schoolId: current.signal.schoolId, on: connection, logger: logger)
                let rows = try await connection.query(
                    """
                    UPDATE fraud_signals f SET status = \(status.rawValue), version = f.version + 1
                    WHERE f.id = \(id)
                    RETURNING \(unescaped: Self.columns)
                    """, logger: logger)
                guard let row = try await rows.firstRow() else { throw SignalWorkflowError.notFound }
                try await connection.query(
                    """
                    INSERT INTO signal_transitions (signal_id, from_status, to_status, at, by, note, recorded_by)
                    VALUES (\(id), \(from.rawValue), \(status.rawValue), coalesce(\(at)::timestamptz, now()), \(actor), \(note), \(actor))
                    """, logger: logger)
                let updated = try Self.versioned(row)
                // Queued in this transaction, to the reporting municipality only: another municipality may not follow its signals.
                var data = ["signalId": id.uuidString.lowercased(), "fromStatus": from.rawValue, "toStatus": status.rawValue,
                            "version": String(updated.version)]
                if let school = updated.signal.schoolId { data["schoolId"] = school.uuidString.lowercased() }
                try await WebhookOutbox.enqueue(on: connection, type: .signalStatusChanged, schoolId: updated.signal.schoolId,
                                                audience: .organisation(updated.signal.municipalityCode.rawValue),
                                                dataref: "/v1/signals/\(id.uuidString.lowercased())", data: data, logger: logger)
                try await watch?.finish(on: connection, logger: logger)
                try await AuditLog.append(on: connection, actor: actor, action: "signal.transition", subject: "signal:\(id.uuidString.lowercased())",
                                          details: ["from": from.rawValue, "to": status.rawValue, "version": String(updated.version)],
                                          logger: logger)
                return updated
            }
        }
    }

    /// The status history of a signal, oldest first (by `at`, then recording time).
    ///
    /// - Returns: at least the intake's `nil` → `received` for a signal recorded by this store.
    /// - Throws: ``SignalWorkflowError/notFound`` when the signal does not exist.
    public func transitions(_ id: UUID) async throws -> [SignalTransition] {
        let rows = try await client.query(
            """
            SELECT t.from_status, t.to_status, t.at, t.by, t.note, t.recorded_at
            FROM fraud_signals f LEFT JOIN signal_transitions t ON t.signal_id = f.id
            WHERE f.id = \(id)
            ORDER BY t.at, t.recorded_at, t.id
            """, logger: logger).collect()
        guard !rows.isEmpty else { throw SignalWorkflowError.notFound }
        return try rows.compactMap { row in
            let (from, to, at, by, note, recordedAt) = try row.decode((String?, String?, Date?, String?, String?, Date?).self)
            guard let to, let at, let by, let recordedAt else { return nil }
            return SignalTransition(
                from: try parseIfPresent(from, SignalStatus.init(rawValue:), column: "signal_transitions.from_status"),
                to: try parse(to, SignalStatus.init(rawValue:), column: "signal_transitions.to_status"),
                at: at, by: by, note: note, recordedAt: recordedAt)
        }
    }

    /// Marks a signal as forwarded to the quality-mark body or the inspectorate.
    ///
    /// A mark beside the status: it does not end the case, does not change status or version, and may
    /// be given at any status and more than once.
    /// - Parameters:
    ///   - note: what was forwarded and why, required, 1–10000 characters after trimming.
    ///   - at: when; `nil` (the default) means the database's `now()`.
    /// - Throws: ``SignalWorkflowError/notFound``; ``ValidationFailure`` (field `note`).
    public func forward(_ id: UUID, to target: SignalForwardTarget, note: String, actor: RecordedBy, at: Date? = nil) async throws -> SignalForward {
        let note = try Self.checkNote(note)
        return try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    INSERT INTO signal_forwards (signal_id, target, note, at, by, recorded_by)
                    SELECT f.id, \(target.rawValue), \(note), coalesce(\(at)::timestamptz, now()), \(actor), \(actor)
                    FROM fraud_signals f WHERE f.id = \(id)
                    RETURNING \(unescaped: Self.forwardColumns)
                    """, logger: logger).collect()
                guard let row = rows.first else { throw SignalWorkflowError.notFound }
                let forward = try Self.forward(row)
                try await AuditLog.append(on: connection, actor: actor, action: "signal.forward", subject: "signal:\(id.uuidString.lowercased())",
                                          details: ["forwardId": forward.id.uuidString.lowercased(), "target": target.rawValue],
                                          logger: logger)
                return forward
            }
        }
    }

    /// The forwarding marks of a signal, oldest first.
    ///
    /// - Throws: ``SignalWorkflowError/notFound`` when the signal does not exist.
    public func forwards(_ id: UUID) async throws -> [SignalForward] {
        try await client.withConnection { connection in
            try await Self.requireSignal(id, on: connection, logger: logger)
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.forwardColumns) FROM signal_forwards WHERE signal_id = \(id) ORDER BY at, recorded_at, id",
                logger: logger)
            var result: [SignalForward] = []
            for try await row in rows { result.append(try Self.forward(row)) }
            return result
        }
    }

    // MARK: Helpers

    /// The signal with `id`, its row locked `FOR UPDATE` until the transaction ends; `nil` when there is none.
    static func lock(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> VersionedSignal? {
        let rows = try await connection.query(
            "SELECT \(unescaped: columns) FROM fraud_signals f WHERE f.id = \(id) FOR UPDATE", logger: logger)
        return try await rows.firstRow().map(versioned)
    }

    /// Throws ``SignalWorkflowError/notFound`` unless the signal exists.
    static func requireSignal(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query("SELECT 1 FROM fraud_signals WHERE id = \(id)", logger: logger)
        guard try await rows.firstRow() != nil else { throw SignalWorkflowError.notFound }
    }

    /// The trimmed note, or a ``ValidationFailure`` on field `note` when it is blank or longer than 10000 characters.
    static func checkNote(_ note: String) throws(ValidationFailure) -> String {
        let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ValidationFailure([FieldError(field: "note", rule: "is required and must not be blank")]) }
        guard trimmed.count <= 10_000 else { throw ValidationFailure([FieldError(field: "note", rule: "must be at most 10000 characters")]) }
        return trimmed
    }

    static let forwardColumns = "id, signal_id, target, note, at, by, recorded_at"

    static func forward(_ row: PostgresRow) throws -> SignalForward {
        let (id, signalId, target, note, at, by, recordedAt) = try row.decode((UUID, UUID, String, String, Date, String, Date).self)
        return SignalForward(id: id, signalId: signalId,
                             target: try parse(target, SignalForwardTarget.init(rawValue:), column: "signal_forwards.target"),
                             note: note, at: at, by: by, recordedAt: recordedAt)
    }
}
