public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// A school's reply to a finding or a signal (docs/decisions/0016-procurement-checks-and-right-of-reply.md).
public struct SchoolReply: Sendable, Hashable {
    /// The reply's id.
    public let id: UUID
    /// Whether it answers a signal or a finding.
    public let subjectKind: ReplySubjectKind
    /// The signal's or the finding's id.
    public let subjectId: UUID
    /// The school that replied.
    public let schoolId: UUID
    /// For a finding: its visit.
    public let visitId: UUID?
    /// The reply's text, at most 4,000 characters (checked by the API), shown beside the evidence.
    public let reply: String
    /// When the school gave it (business date).
    public let receivedOn: LocalDate
    /// When it was recorded (database time).
    public let recordedAt: Date
    /// Who recorded it: the inspector's `"role:tokenId"` or `"cli:user"`.
    public let recordedBy: String
}

/// Replies of schools, entered by inspectors on a school's behalf; never edited (a new reply is a new row).
public struct ReplyRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A repository on `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Stores a reply beside its subject, with a `reply.record` audit entry, in one transaction.
    /// - Throws: ``StoreError/unknownReference(field:)`` with `subjectId` when the signal or finding
    ///   does not exist, or the signal is linked to no school (a reply is a school's).
    public func record(_ kind: ReplySubjectKind, subjectId: UUID, reply: String, receivedOn: LocalDate, actor: RecordedBy) async throws -> SchoolReply {
        try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let schoolRows = try await connection.query(
                    kind == .signal
                        ? "SELECT school_id FROM fraud_signals WHERE id = \(subjectId) AND school_id IS NOT NULL"
                        : "SELECT v.school_id FROM visit_findings f JOIN supervision_visits v ON v.id = f.visit_id WHERE f.id = \(subjectId)",
                    logger: logger)
                guard let schoolId = try await schoolRows.firstRow().map({ try $0.decode(UUID.self) }) else {
                    throw StoreError.unknownReference(field: "subjectId")
                }
                let rows = try await connection.query(
                    """
                    INSERT INTO school_replies (subject_kind, subject_id, school_id, reply, received_on, recorded_by)
                    VALUES (\(kind.rawValue), \(subjectId), \(schoolId), \(reply), DATE '1970-01-01' + \(receivedOn.daysSinceEpoch)::int, \(actor))
                    RETURNING id
                    """, logger: logger)
                guard let id = try await rows.firstRow().map({ try $0.decode(UUID.self) }) else { throw StoreError.notFound }
                try await AuditLog.append(on: connection, actor: actor, action: "reply.record", subject: "\(kind.rawValue):\(subjectId.uuidString.lowercased())",
                                          details: ["school": schoolId.uuidString.lowercased()], logger: logger)
                return try await Self.replies(where: "r.id = $1", id, on: connection, logger: logger)[0]
            }
        }
    }

    /// The replies about a school recorded at or before `asOf` (`nil`: now), oldest first.
    public func forSchool(_ schoolId: UUID, asOf: Date? = nil) async throws -> [SchoolReply] {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM school_replies r LEFT JOIN visit_findings f ON r.subject_kind = 'finding' AND f.id = r.subject_id
            WHERE r.school_id = \(schoolId) AND (\(asOf)::timestamptz IS NULL OR r.recorded_at <= \(asOf)::timestamptz)
            ORDER BY r.recorded_at, r.id
            """, logger: logger)
        var result: [SchoolReply] = []
        for try await row in rows { result.append(try Self.reply(row)) }
        return result
    }

    static let columns = "r.id, r.subject_kind, r.subject_id, r.school_id, f.visit_id, r.reply, r.received_on - DATE '1970-01-01', r.recorded_at, r.recorded_by"

    static func replies(where condition: String, _ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [SchoolReply] {
        var binds = PostgresBindings()
        binds.append(id)
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT \(columns) FROM school_replies r LEFT JOIN visit_findings f ON r.subject_kind = 'finding' AND f.id = r.subject_id
            WHERE \(condition)
            """, binds: binds), logger: logger)
        var result: [SchoolReply] = []
        for try await row in rows { result.append(try reply(row)) }
        return result
    }

    static func reply(_ row: PostgresRow) throws -> SchoolReply {
        let (id, kind, subjectId, schoolId, visitId, text, receivedOn, recordedAt, recordedBy)
            = try row.decode((UUID, String, UUID, UUID, UUID?, String, Int, Date, String).self)
        return SchoolReply(id: id, subjectKind: try parse(kind, ReplySubjectKind.init(rawValue:), column: "school_replies.subject_kind"),
                           subjectId: subjectId, schoolId: schoolId, visitId: visitId, reply: text,
                           receivedOn: LocalDate(daysSinceEpoch: receivedOn), recordedAt: recordedAt, recordedBy: recordedBy)
    }
}
