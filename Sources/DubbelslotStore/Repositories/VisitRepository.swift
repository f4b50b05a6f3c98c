public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// A finding to record with a visit.
public struct NewFinding: Sendable, Hashable {
    /// The handbook's norm code, 1–32 characters, for example "4.2".
    public var normCode: String
    /// Minor or major, as the inspector judged it against the norm.
    public var severity: FindingSeverity
    /// The inspector's note, at most 4,000 characters (checked by the API); `nil` when none.
    public var note: String?

    /// A finding to record.
    public init(normCode: String, severity: FindingSeverity, note: String? = nil) {
        self.normCode = normCode
        self.severity = severity
        self.note = note
    }
}

/// A supervision visit to record, with its findings.
public struct NewVisit: Sendable, Hashable {
    /// The visited location; must belong to the visited school.
    public var locationId: UUID?
    /// What the visit looked at.
    public var kind: VisitKind
    /// Whether the school knew of the visit beforehand.
    public var announced: Bool
    /// The business date of the visit (Europe/Amsterdam).
    public var visitedOn: LocalDate
    /// The inspector's conclusion; the API checks that it agrees with the findings.
    public var outcome: VisitOutcome
    /// In the order the inspector recorded them; kept in that order.
    public var findings: [NewFinding]

    /// A visit to record; by default without findings.
    public init(locationId: UUID? = nil, kind: VisitKind, announced: Bool, visitedOn: LocalDate,
                outcome: VisitOutcome, findings: [NewFinding] = []) {
        self.locationId = locationId
        self.kind = kind
        self.announced = announced
        self.visitedOn = visitedOn
        self.outcome = outcome
        self.findings = findings
    }
}

/// Supervision visits (toezichtbezoeken) of the quality-mark body, with their findings.
public struct VisitRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Usually reached through ``Store``; the client must be running.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The visits to one school, newest first (by visit date, then recorded time), with findings.
    ///
    /// - Returns: an empty list for an unknown school.
    public func list(schoolId: UUID) async throws -> [SupervisionVisit] {
        try await client.withConnection { connection in
            try await Self.visits(schoolIds: [schoolId], on: connection, logger: logger)
        }
    }

    /// The visit with `id` and its findings, or `nil` when there is none.
    public func get(_ id: UUID) async throws -> SupervisionVisit? {
        try await client.withConnection { connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.columns) FROM supervision_visits v WHERE v.id = \(id)", logger: logger)
            return try await Self.visits(from: rows, on: connection, logger: logger).first
        }
    }

    /// Records a visit and its findings in one transaction.
    ///
    /// - Throws: ``StoreError/unknownReference(field:)`` with `schoolId` for an unknown school, or
    ///   `locationId` for a location that does not exist or belongs to another school.
    public func record(_ v: NewVisit, schoolId: UUID, actor: RecordedBy) async throws -> SupervisionVisit {
        try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                // The verdict for municipalities that contracted the school, compared after the change (VerdictWatch).
                let watch = try await VerdictWatch.start(schoolId: schoolId, on: connection, logger: logger)
                let rows = try await connection.query(
                    """
                    INSERT INTO supervision_visits (school_id, location_id, kind, announced, visited_on, outcome, recorded_by)
                    VALUES (\(schoolId), \(v.locationId)::uuid, \(v.kind.rawValue), \(v.announced),
                            DATE '1970-01-01' + \(v.visitedOn.daysSinceEpoch)::int4, \(v.outcome.rawValue), \(actor))
                    RETURNING id
                    """, logger: logger)
                guard let id = try await rows.firstRow()?.decode(UUID.self) else { throw StoreError.notFound }
                for (ordinal, finding) in v.findings.enumerated() {
                    try await connection.query(
                        """
                        INSERT INTO visit_findings (visit_id, ordinal, norm_code, severity, note, recorded_by)
                        VALUES (\(id), \(ordinal), \(finding.normCode), \(finding.severity.rawValue), \(finding.note)::text, \(actor))
                        """, logger: logger)
                }
                let stored = try await connection.query(
                    "SELECT \(unescaped: Self.columns) FROM supervision_visits v WHERE v.id = \(id)", logger: logger)
                guard let visit = try await Self.visits(from: stored, on: connection, logger: logger).first else {
                    throw StoreError.notFound
                }
                try await watch?.finish(on: connection, logger: logger)
                try await AuditLog.append(on: connection, actor: actor, action: "visit.record", subject: "school:\(schoolId.uuidString.lowercased())",
                                          details: ["visitId": id.uuidString.lowercased(), "outcome": v.outcome.rawValue,
                                                    "findings": String(v.findings.count)], logger: logger)
                return visit
            }
        }
    }

    // MARK: Rows to visits

    /// The columns ``visits(from:on:logger:)`` decodes, for a table aliased `v`.
    static let columns = """
        v.id, v.school_id, v.location_id, v.kind, v.announced, v.visited_on - DATE '1970-01-01', v.outcome,
        v.recorded_at, v.recorded_by
        """

    /// The visits to the given schools, newest first, with findings: two queries whatever the count.
    static func visits(schoolIds: [UUID], asOf: Date? = nil, on connection: PostgresConnection,
                       logger: Logger) async throws -> [SupervisionVisit] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: columns) FROM supervision_visits v
            WHERE v.school_id = ANY(\(schoolIds)) AND (\(asOf)::timestamptz IS NULL OR v.recorded_at <= \(asOf)::timestamptz)
            ORDER BY v.visited_on DESC, v.recorded_at DESC, v.id
            """, logger: logger)
        return try await visits(from: rows, on: connection, logger: logger)
    }

    /// Turns rows of ``columns`` into visits, keeping their order, and loads their findings in one more query.
    static func visits(from rows: PostgresRowSequence, on connection: PostgresConnection, logger: Logger) async throws -> [SupervisionVisit] {
        typealias VisitRow = (UUID, UUID, UUID?, String, Bool, Int, String, Date, String)
        var visitRows: [VisitRow] = []
        for try await row in rows.decode(VisitRow.self) { visitRows.append(row) }
        guard !visitRows.isEmpty else { return [] }
        let findings = try await findings(visitIds: visitRows.map(\.0), on: connection, logger: logger)
        return try visitRows.map { id, schoolId, locationId, kind, announced, visitedOn, outcome, recordedAt, recordedBy in
            SupervisionVisit(
                id: id, schoolId: schoolId, locationId: locationId,
                kind: try parse(kind, VisitKind.init(rawValue:), column: "supervision_visits.kind"),
                announced: announced, visitedOn: LocalDate(daysSinceEpoch: visitedOn),
                outcome: try parse(outcome, VisitOutcome.init(rawValue:), column: "supervision_visits.outcome"),
                findings: findings[id] ?? [], recordedAt: recordedAt, recordedBy: recordedBy)
        }
    }

    /// The findings of the given visits, by visit, each list in recorded order.
    static func findings(visitIds: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> [UUID: [Finding]] {
        let rows = try await connection.query(
            """
            SELECT visit_id, id, norm_code, severity, note FROM visit_findings
            WHERE visit_id = ANY(\(visitIds)) ORDER BY visit_id, ordinal
            """, logger: logger)
        var result: [UUID: [Finding]] = [:]
        for try await (visitId, id, normCode, severity, note) in rows.decode((UUID, UUID, String, String, String?).self) {
            result[visitId, default: []].append(Finding(
                id: id, normCode: normCode,
                severity: try parse(severity, FindingSeverity.init(rawValue:), column: "visit_findings.severity"),
                note: note))
        }
        return result
    }
}
