public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// A quality-mark decision to record.
public struct NewQualityMarkDecision: Sendable, Hashable {
    public var status: QualityMarkStatus
    /// When the decision is in force, half-open `[from, until)`; `until == nil` for open-ended.
    public var validDuring: DateRange
    /// The date the quality-mark body took the decision.
    public var decidedOn: LocalDate
    /// The quality-mark body's own reference, 1–100 characters, for example "BOW-2025-0012".
    public var reference: String?
    public var reason: String?
    /// An objection (bezwaar) or appeal (beroep) lodged against the decision.
    public var objection: String?

    public init(status: QualityMarkStatus, validDuring: DateRange, decidedOn: LocalDate,
                reference: String? = nil, reason: String? = nil, objection: String? = nil) {
        self.status = status
        self.validDuring = validDuring
        self.decidedOn = decidedOn
        self.reference = reference
        self.reason = reason
        self.objection = objection
    }
}

/// Quality-mark decisions (Blik op Werk Keurmerk Inburgeren) per school.
public struct QualityMarkRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Usually reached through ``Store``; the client must be running.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The decisions about one school, ordered by the start of their period (then recorded time, id).
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

    /// Records a decision.
    ///
    /// - Throws: ``StoreError/overlappingPeriod`` when the period overlaps another decision of the
    ///   school (exclusion constraint `quality_mark_decisions_no_overlap`);
    ///   ``StoreError/unknownReference(field:)`` with `schoolId` for an unknown school.
    public func record(_ d: NewQualityMarkDecision, schoolId: UUID, actor: Actor) async throws -> QualityMarkDecision {
        try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    INSERT INTO quality_mark_decisions AS d
                        (school_id, status, valid_during, decided_on, reference, reason, objection, recorded_by)
                    VALUES (\(schoolId), \(d.status.rawValue),
                            daterange(DATE '1970-01-01' + \(d.validDuring.from.daysSinceEpoch)::int4,
                                      DATE '1970-01-01' + \(d.validDuring.until?.daysSinceEpoch)::int4, '[)'),
                            DATE '1970-01-01' + \(d.decidedOn.daysSinceEpoch)::int4,
                            \(d.reference)::text, \(d.reason)::text, \(d.objection)::text, \(actor))
                    RETURNING \(unescaped: Self.columns)
                    """, logger: logger)
                guard let row = try await rows.firstRow() else { throw StoreError.notFound }
                let decision = try Self.decision(row)
                try await AuditLog.append(on: connection, actor: actor, action: "qualitymark.record", subject: "school:\(schoolId.uuidString.lowercased())",
                                          details: ["decisionId": decision.id.uuidString.lowercased(), "status": d.status.rawValue],
                                          logger: logger)
                return decision
            }
        }
    }

    /// The columns ``decision(_:)`` decodes, for a table aliased `d`; dates as days since 1970-01-01.
    static let columns = """
        d.id, d.school_id, d.status, lower(d.valid_during) - DATE '1970-01-01', upper(d.valid_during) - DATE '1970-01-01',
        d.decided_on - DATE '1970-01-01', d.reference, d.reason, d.objection, d.recorded_at, d.recorded_by
        """

    static func decision(_ row: PostgresRow) throws -> QualityMarkDecision {
        let (id, schoolId, status, from, until, decidedOn, reference, reason, objection, recordedAt, recordedBy) =
            try row.decode((UUID, UUID, String, Int, Int?, Int, String?, String?, String?, Date, String).self)
        guard let period = DateRange(from: LocalDate(daysSinceEpoch: from), until: until.map(LocalDate.init(daysSinceEpoch:))) else {
            throw StoreError.corruptRow("quality_mark_decisions.valid_during is empty")
        }
        return QualityMarkDecision(
            id: id, schoolId: schoolId,
            status: try parse(status, QualityMarkStatus.init(rawValue:), column: "quality_mark_decisions.status"),
            validDuring: period, decidedOn: LocalDate(daysSinceEpoch: decidedOn),
            reference: reference, reason: reason, objection: objection,
            recordedAt: recordedAt, recordedBy: recordedBy)
    }
}
