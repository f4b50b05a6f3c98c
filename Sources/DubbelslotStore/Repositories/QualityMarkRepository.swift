public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// A quality-mark decision to record.
public struct NewQualityMarkDecision: Sendable, Hashable {
    /// The status the decision gives the school or location.
    public var status: QualityMarkStatus
    /// When the decision is in force, half-open `[from, until)`; `until == nil` for open-ended.
    public var validDuring: DateRange
    /// The date the quality-mark body took the decision.
    public var decidedOn: LocalDate
    /// The location (vestiging) the decision is about; `nil` for the whole school.
    public var locationId: UUID?
    /// The quality-mark body's own reference, 1–100 characters, for example "BOW-2025-0012".
    public var reference: String?
    /// The body's reason, at most 4,000 characters, no personal data (checked by the API).
    public var reason: String?
    /// An objection (bezwaar) or appeal (beroep) lodged against the decision.
    public var objection: String?

    /// A decision to record; the store gives it an id and checks it against ``QualityMarkLifecycle``.
    public init(status: QualityMarkStatus, validDuring: DateRange, decidedOn: LocalDate, locationId: UUID? = nil,
                reference: String? = nil, reason: String? = nil, objection: String? = nil) {
        self.status = status
        self.validDuring = validDuring
        self.decidedOn = decidedOn
        self.locationId = locationId
        self.reference = reference
        self.reason = reason
        self.objection = objection
    }
}

/// Quality-mark decisions (Blik op Werk Keurmerk Inburgeren) per school and location.
///
/// Decisions supersede and are rectified, never edited or deleted (``QualityMarkLifecycle``,
/// sql/0029): every change of a period keeps the version before it in `quality_mark_decision_history`.
public struct QualityMarkRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Usually reached through ``Store``; the client must be running.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The decisions about one school, rectified ones included, ordered by the start of their period
    /// (then recorded time, id).
    ///
    /// - Returns: an empty list for an unknown school.
    public func list(schoolId: UUID) async throws -> [QualityMarkDecision] {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM quality_mark_decisions d
            WHERE d.school_id = \(schoolId)
            ORDER BY lower(d.valid_during), d.recorded_at, d.id
            """, logger: logger)
        var result: [QualityMarkDecision] = []
        for try await row in rows { result.append(try Self.decision(row)) }
        return result
    }

    /// Records a decision and ends the period of the decision it supersedes, in one transaction.
    ///
    /// The school's decisions are read under a row lock on the school, so two decisions recorded at
    /// once are checked one after the other against the lifecycle table.
    /// - Returns: the decision recorded; the one it superseded shows it in its `endedBy`.
    /// - Throws: ``QualityMarkLifecycleError`` when ``QualityMarkLifecycle`` refuses the decision;
    ///   ``StoreError/notFound`` for an unknown school; ``StoreError/unknownReference(field:)`` with
    ///   `locationId` for a location not of this school; ``StoreError/overlappingPeriod`` if the
    ///   exclusion constraint still finds an overlap.
    public func record(_ d: NewQualityMarkDecision, schoolId: UUID, actor: RecordedBy) async throws -> QualityMarkDecision {
        try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let existing = try await Self.lockedDecisions(schoolId: schoolId, on: connection, logger: logger)
                if let location = d.locationId {
                    let found = try await connection.query(
                        "SELECT 1 FROM school_locations WHERE id = \(location) AND school_id = \(schoolId)", logger: logger).collect()
                    if found.isEmpty { throw StoreError.unknownReference(field: "locationId") }
                }
                let watch = try await VerdictWatch.start(schoolId: schoolId, on: connection, logger: logger)
                let (decision, superseded) = try await Self.write(d, schoolId: schoolId, among: existing, actor: actor, on: connection, logger: logger)
                try await watch?.finish(on: connection, logger: logger)
                var details = ["decisionId": decision.id.uuidString.lowercased(), "status": d.status.rawValue]
                if let location = d.locationId { details["locationId"] = location.uuidString.lowercased() }
                if let superseded { details["supersedes"] = superseded.id.uuidString.lowercased() }
                try await AuditLog.append(on: connection, actor: actor, action: "qualitymark.record", subject: "school:\(schoolId.uuidString.lowercased())",
                                          details: details, logger: logger)
                return decision
            }
        }
    }

    /// Rectifies a decision recorded in error: it keeps its row with the reason and counts for nothing
    /// from now on; a decision it had cut short gets back the period it declared. The
    /// ``WebhookEventType/qualityMarkDecisionRecorded`` event is queued again in the same transaction,
    /// with `change` `"rectified"`.
    ///
    /// - Returns: the rectified decision.
    /// - Throws: ``StoreError/notFound`` when the school has no such decision (`schoolId` unknown:
    ///   ``StoreError/unknownReference(field:)``);
    ///   ``QualityMarkRectificationError`` when it was rectified before, or when a later decision
    ///   ended it (rectify that one first); ``StoreError/overlappingPeriod`` when the restored period
    ///   would overlap a decision recorded since.
    public func rectify(decisionId: UUID, schoolId: UUID, reason: String, actor: RecordedBy) async throws -> QualityMarkDecision {
        try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let existing = try await Self.lockedDecisions(schoolId: schoolId, on: connection, logger: logger)
                guard let target = existing.first(where: { $0.id == decisionId }) else { throw StoreError.notFound }
                if target.rectification != nil { throw QualityMarkRectificationError.alreadyRectified }
                if let by = target.endedBy, existing.contains(where: { $0.id == by && $0.rectification == nil }) {
                    throw QualityMarkRectificationError.endedByLaterDecision(by)
                }
                let watch = try await VerdictWatch.start(schoolId: schoolId, on: connection, logger: logger)
                let rows = try await connection.query(
                    """
                    UPDATE quality_mark_decisions AS d
                    SET rectified_at = now(), rectified_by = \(actor), rectification_reason = \(reason)
                    WHERE d.id = \(decisionId) AND d.school_id = \(schoolId)
                    RETURNING \(unescaped: Self.columns)
                    """, logger: logger)
                guard let row = try await rows.firstRow() else { throw StoreError.notFound }
                // The decision it had cut short runs again as declared.
                let restored = try await connection.query(
                    """
                    UPDATE quality_mark_decisions AS d
                    SET valid_during = daterange(lower(d.valid_during), d.declared_until, '[)'), ended_by = NULL
                    WHERE d.ended_by = \(decisionId) AND d.rectified_at IS NULL
                    RETURNING d.id
                    """, logger: logger).collect()
                let rectified = try Self.decision(row)
                // Subscribers hear of the correction as of the decision: the same event type, marked as a rectification.
                var data = ["schoolId": schoolId.uuidString.lowercased(), "decisionId": decisionId.uuidString.lowercased(),
                            "status": rectified.status.rawValue, "change": "rectified"]
                if let location = rectified.locationId { data["locationId"] = location.uuidString.lowercased() }
                if let first = restored.first { data["restores"] = try first.decode(UUID.self).uuidString.lowercased() }
                try await WebhookOutbox.enqueue(on: connection, type: .qualityMarkDecisionRecorded, schoolId: schoolId,
                                                dataref: "/v1/schools/\(schoolId.uuidString.lowercased())/quality-mark-decisions",
                                                data: data, logger: logger)
                try await watch?.finish(on: connection, logger: logger)
                try await AuditLog.append(on: connection, actor: actor, action: "qualitymark.rectify", subject: "school:\(schoolId.uuidString.lowercased())",
                                          details: ["decisionId": decisionId.uuidString.lowercased()], logger: logger)
                return rectified
            }
        }
    }

    /// Plans `d` against `existing` (``QualityMarkLifecycle``), closes the period it supersedes and
    /// inserts it, on `connection` inside the caller's transaction, and queues the
    /// ``WebhookEventType/qualityMarkDecisionRecorded`` event for matching subscriptions. No audit entry.
    /// - Returns: the decision inserted and the superseded one as it now stands.
    static func write(_ d: NewQualityMarkDecision, schoolId: UUID, among existing: [QualityMarkDecision], actor: RecordedBy,
                      on connection: PostgresConnection, logger: Logger) async throws -> (QualityMarkDecision, QualityMarkDecision?) {
        let scope = d.locationId.map(QualityMarkScope.location) ?? .school
        let plan = try QualityMarkLifecycle.plan(status: d.status, period: d.validDuring, scope: scope, among: existing)
        // The superseded period is closed first, so the exclusion constraint never sees both open;
        // `ended_by` names the new decision, checked at commit (a deferred foreign key).
        let id = UUID()
        var superseded: QualityMarkDecision?
        if let plan {
            let ended = try await connection.query(
                """
                UPDATE quality_mark_decisions AS d
                SET valid_during = daterange(lower(d.valid_during), DATE '1970-01-01' + \(plan.until.daysSinceEpoch)::int4, '[)'),
                    ended_by = \(id)
                WHERE d.id = \(plan.decisionId)
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            guard let endedRow = try await ended.firstRow() else { throw StoreError.notFound }
            superseded = try Self.decision(endedRow)
        }
        let rows = try await connection.query(
            """
            INSERT INTO quality_mark_decisions AS d
                (id, school_id, location_id, status, valid_during, declared_until, decided_on, reference, reason, objection, recorded_by)
            VALUES (\(id), \(schoolId), \(d.locationId), \(d.status.rawValue),
                    daterange(DATE '1970-01-01' + \(d.validDuring.from.daysSinceEpoch)::int4,
                              DATE '1970-01-01' + \(d.validDuring.until?.daysSinceEpoch)::int4, '[)'),
                    DATE '1970-01-01' + \(d.validDuring.until?.daysSinceEpoch)::int4,
                    DATE '1970-01-01' + \(d.decidedOn.daysSinceEpoch)::int4,
                    \(d.reference)::text, \(d.reason)::text, \(d.objection)::text, \(actor))
            RETURNING \(unescaped: Self.columns)
            """, logger: logger)
        guard let row = try await rows.firstRow() else { throw StoreError.notFound }
        let decision = try Self.decision(row)
        // The event is queued in this transaction: subscribers hear of the decision exactly when it commits.
        var data = ["schoolId": schoolId.uuidString.lowercased(), "decisionId": id.uuidString.lowercased(), "status": d.status.rawValue]
        if let location = d.locationId { data["locationId"] = location.uuidString.lowercased() }
        if let superseded { data["supersedes"] = superseded.id.uuidString.lowercased() }
        try await WebhookOutbox.enqueue(on: connection, type: .qualityMarkDecisionRecorded, schoolId: schoolId,
                                        dataref: "/v1/schools/\(schoolId.uuidString.lowercased())/quality-mark-decisions", data: data, logger: logger)
        return (decision, superseded)
    }

    /// Writes a file of the quality-mark body's decisions (``QualityMarkImportRules``) in one
    /// transaction: each school's rows in the order of `validFrom` (then line), each through the
    /// lifecycle table and superseding as ``record(_:schoolId:actor:)`` does. A row equal to a
    /// decision already recorded (same scope, status, period start, declared end and decision date)
    /// is left unchanged, so importing the same file again changes nothing.
    ///
    /// - Returns: decisions inserted and left unchanged (`updated` is always 0: decisions are never edited).
    /// - Throws: ``ValidationFailure`` naming the line of every row the register does not match (unknown
    ///   KvK number, a vestigingsnummer of no location of that school) or the lifecycle refuses;
    ///   nothing is written then.
    public func importDecisions(_ rows: [QualityMarkImportRow], actor: RecordedBy) async throws -> ImportSummary {
        try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                var schools: [String: UUID] = [:]
                let kvks = Array(Set(rows.map(\.kvkNumber.rawValue)))
                for try await (id, kvk) in try await connection.query(
                    "SELECT id, kvk_number FROM schools WHERE kvk_number = ANY(\(kvks))", logger: logger).decode((UUID, String).self) {
                    schools[kvk] = id
                }
                var locations: [String: (school: UUID, id: UUID)] = [:]
                let numbers = Array(Set(rows.compactMap(\.vestigingsnummer?.rawValue)))
                for try await (id, school, number) in try await connection.query(
                    "SELECT id, school_id, vestigingsnummer FROM school_locations WHERE vestigingsnummer = ANY(\(numbers))",
                    logger: logger).decode((UUID, UUID, String).self) {
                    locations[number] = (school, id)
                }
                var errors: [FieldError] = []
                var summary = ImportSummary()
                let bySchool = Dictionary(grouping: rows, by: \.kvkNumber.rawValue)
                for kvk in bySchool.keys.sorted() {
                    let schoolRows = bySchool[kvk]!.sorted { ($0.validDuring.from, $0.line) < ($1.validDuring.from, $1.line) }
                    guard let schoolId = schools[kvk] else {
                        errors += schoolRows.map { FieldError(field: "kvkNumber", rule: "matches no registered school (import schools first)", line: $0.line) }
                        continue
                    }
                    var existing = try await Self.lockedDecisions(schoolId: schoolId, on: connection, logger: logger)
                    // The school's verdict for municipalities that contracted it, compared after its rows (VerdictWatch).
                    let watch = try await VerdictWatch.start(schoolId: schoolId, on: connection, logger: logger)
                    for row in schoolRows {
                        var locationId: UUID?
                        if let number = row.vestigingsnummer {
                            guard let location = locations[number.rawValue], location.school == schoolId else {
                                errors.append(FieldError(field: "vestigingsnummer", rule: "matches no location of this school", line: row.line))
                                continue
                            }
                            locationId = location.id
                        }
                        if let same = existing.first(where: { $0.rectification == nil && $0.locationId == locationId && $0.status == row.status
                            && $0.validDuring.from == row.validDuring.from && $0.declaredUntil == row.validDuring.until && $0.decidedOn == row.decidedOn }) {
                            if same.reference == row.reference && same.reason == row.reason {
                                summary.unchanged += 1
                            } else {
                                // Decisions are never edited: a changed text would otherwise be dropped without a word.
                                errors.append(FieldError(field: same.reference == row.reference ? "reason" : "reference",
                                                         rule: "differs from the decision recorded for these dates; decisions are never edited (rectify it, then import again)",
                                                         line: row.line))
                            }
                            continue
                        }
                        let new = NewQualityMarkDecision(status: row.status, validDuring: row.validDuring, decidedOn: row.decidedOn,
                                                         locationId: locationId, reference: row.reference, reason: row.reason)
                        do {
                            let (decision, superseded) = try await Self.write(new, schoolId: schoolId, among: existing, actor: actor,
                                                                              on: connection, logger: logger)
                            if let superseded { existing = existing.map { $0.id == superseded.id ? superseded : $0 } }
                            existing.append(decision)
                            summary.inserted += 1
                        } catch let refusal as QualityMarkLifecycleError {
                            // The lifecycle is checked before anything is written for the row; the transaction goes on to find every other bad row.
                            let field = switch refusal {
                            case .illegalTransition: "status"
                            case .sameStart: "validFrom"
                            case .runsIntoLater: "validUntil"
                            }
                            errors.append(FieldError(field: field, rule: refusal.description, line: row.line))
                        }
                    }
                    if errors.isEmpty { try await watch?.finish(on: connection, logger: logger) }
                }
                guard errors.isEmpty else { throw ValidationFailure(errors.sorted { ($0.line ?? 0, $0.field) < ($1.line ?? 0, $1.field) }) }
                try await AuditLog.append(on: connection, actor: actor, action: "qualitymark.import", subject: "register",
                                          details: ["inserted": String(summary.inserted), "unchanged": String(summary.unchanged)], logger: logger)
                return summary
            }
        }
    }

    /// The school's decisions, read after locking the school's row (`FOR NO KEY UPDATE`: other writers
    /// that merely reference the school are not held up).
    /// - Throws: ``StoreError/unknownReference(field:)`` with `schoolId` for an unknown school.
    static func lockedDecisions(schoolId: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [QualityMarkDecision] {
        let school = try await connection.query("SELECT 1 FROM schools WHERE id = \(schoolId) FOR NO KEY UPDATE", logger: logger).collect()
        if school.isEmpty { throw StoreError.unknownReference(field: "schoolId") }
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.columns) FROM quality_mark_decisions d WHERE d.school_id = \(schoolId)", logger: logger)
        var result: [QualityMarkDecision] = []
        for try await row in rows { result.append(try Self.decision(row)) }
        return result
    }

    /// The columns ``decision(_:)`` decodes, for a table or view (`quality_mark_decision_versions`)
    /// aliased `d`; dates as days since 1970-01-01.
    static let columns = """
        d.id, d.school_id, d.location_id, d.status, lower(d.valid_during) - DATE '1970-01-01', upper(d.valid_during) - DATE '1970-01-01',
        d.declared_until - DATE '1970-01-01', d.ended_by, d.decided_on - DATE '1970-01-01', d.reference, d.reason, d.objection,
        d.rectified_at, d.rectified_by, d.rectification_reason, d.recorded_at, d.recorded_by
        """

    static func decision(_ row: PostgresRow) throws -> QualityMarkDecision {
        let (id, schoolId, locationId, status, from, until, declaredUntil, endedBy, decidedOn, reference, reason, objection,
             rectifiedAt, rectifiedBy, rectificationReason, recordedAt, recordedBy) =
            try row.decode((UUID, UUID, UUID?, String, Int, Int?, Int?, UUID?, Int, String?, String?, String?,
                            Date?, String?, String?, Date, String).self)
        guard let period = DateRange(from: LocalDate(daysSinceEpoch: from), until: until.map(LocalDate.init(daysSinceEpoch:))) else {
            throw StoreError.corruptRow("quality_mark_decisions.valid_during is empty")
        }
        var rectification: QualityMarkRectification?
        if let rectifiedAt, let rectifiedBy, let rectificationReason {
            rectification = QualityMarkRectification(reason: rectificationReason, recordedAt: rectifiedAt, recordedBy: rectifiedBy)
        }
        return QualityMarkDecision(
            id: id, schoolId: schoolId, locationId: locationId,
            status: try parse(status, QualityMarkStatus.init(rawValue:), column: "quality_mark_decisions.status"),
            validDuring: period, declaredUntil: declaredUntil.map(LocalDate.init(daysSinceEpoch:)), endedBy: endedBy,
            decidedOn: LocalDate(daysSinceEpoch: decidedOn),
            reference: reference, reason: reason, objection: objection, rectification: rectification,
            recordedAt: recordedAt, recordedBy: recordedBy)
    }
}

/// A rectification the store refuses; nothing was written. Suggested HTTP mapping: 409 Conflict.
public enum QualityMarkRectificationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The decision was rectified before; a rectification is itself never undone.
    case alreadyRectified
    /// A later decision (its id) ended this one's period; rectify that one first, so no period is left dangling.
    case endedByLaterDecision(UUID)

    /// What to do instead, in English.
    public var description: String {
        switch self {
        case .alreadyRectified:
            "This decision was rectified before; record a new decision instead."
        case .endedByLaterDecision:
            "A later decision ended this one's period; rectify the later decision first, then this one."
        }
    }
}
