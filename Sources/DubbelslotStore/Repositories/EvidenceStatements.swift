import DubbelslotCore
import Foundation
import PostgresNIO

// The statements an assessment runs, as prepared statements: PostgreSQL parses and plans each once
// per connection instead of once per request (pgbench on the overview's statements: about 830 tps
// prepared against 550 unnamed, BENCHMARKS.md). Each reads only the columns the risk model, the input
// digest and the overview use.

/// A statement over some schools as known at an instant: `$1` the school ids, `$2` the knowledge
/// cut-off, NULL for now (the tables themselves) and an instant for the versions current then.
protocol SchoolsAsOfStatement: PostgresPreparedStatement {
    var schoolIds: [UUID] { get }
    var asOf: Date? { get }
}

extension SchoolsAsOfStatement {
    static var bindingDataTypes: [PostgresDataType] { [.uuidArray, .timestamptz] }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(schoolIds)
        // PostgresNIO has no encoder for optionals.
        if let asOf { bindings.append(asOf) } else { bindings.appendNull() }
        return bindings
    }
}

/// A school's signals as the model reads them (``SignalFact``), duplicates left out, newest first.
/// `$2` the knowledge cut-off: NULL reads the table itself, an instant the version current then.
struct SignalFactsStatement: SchoolsAsOfStatement {
    static let columns = "f.id, f.municipality_code, f.school_id, f.category, f.severity, f.status, f.received_at, f.duplicate_of"
    static let sql = """
        SELECT \(columns) FROM fraud_signals f
        WHERE f.school_id = ANY($1) AND f.duplicate_of IS NULL AND $2::timestamptz IS NULL
        UNION ALL
        SELECT \(columns) FROM fraud_signal_versions f
        WHERE f.school_id = ANY($1) AND f.duplicate_of IS NULL AND $2::timestamptz IS NOT NULL
          AND f.sys_from <= $2::timestamptz AND (f.sys_to IS NULL OR f.sys_to > $2::timestamptz)
        ORDER BY 7 DESC, 1 DESC
        """
    typealias Row = SignalFact

    let schoolIds: [UUID]
    let asOf: Date?

    func decodeRow(_ row: PostgresRow) throws -> SignalFact {
        // Column by column with concrete types: decoding the row as one tuple instantiated generic
        // metadata for every row (perf: a third of the decoding of a 1,000× ranking).
        var cells = row.makeIterator()
        func next<T: PostgresDecodable>(_ type: T.Type) throws -> T {
            guard let cell = cells.next() else { throw StoreError.corruptRow("fraud_signals: fewer columns than the statement selects") }
            return try cell.decode(T.self)
        }
        let id = try next(UUID.self), municipality = try next(String.self), schoolId = try next(UUID?.self)
        let category = try next(String.self), severity = try next(String.self), status = try next(String.self)
        let receivedAt = try next(Date.self), duplicateOf = try next(UUID?.self)
        return SignalFact(
            id: id, municipalityCode: try parse(municipality, MunicipalityCode.init, column: "fraud_signals.municipality_code"),
            schoolId: schoolId,
            category: try parse(category, SignalCategory.init(rawValue:), column: "fraud_signals.category"),
            severity: try parse(severity, SignalSeverity.init(rawValue:), column: "fraud_signals.severity"),
            status: try parse(status, SignalStatus.init(rawValue:), column: "fraud_signals.status"),
            receivedAt: receivedAt, duplicateOf: duplicateOf)
    }
}

/// A school's quality-mark decisions in period order, rectified ones left out. `$2` as in
/// ``SignalFactsStatement``: NULL reads the table, an instant each decision's version current then.
struct DecisionsStatement: SchoolsAsOfStatement {
    static let sql = """
        SELECT \(QualityMarkRepository.columns) FROM quality_mark_decisions d
        WHERE d.school_id = ANY($1) AND d.rectified_at IS NULL AND $2::timestamptz IS NULL
        UNION ALL
        SELECT \(QualityMarkRepository.columns) FROM quality_mark_decision_versions d
        WHERE d.school_id = ANY($1) AND d.rectified_at IS NULL AND $2::timestamptz IS NOT NULL
          AND d.sys_from <= $2::timestamptz AND (d.sys_to IS NULL OR d.sys_to > $2::timestamptz)
        ORDER BY 5, 16, 1
        """
    typealias Row = QualityMarkDecision

    let schoolIds: [UUID]
    let asOf: Date?

    func decodeRow(_ row: PostgresRow) throws -> QualityMarkDecision { try QualityMarkRepository.decision(row) }
}

/// Pairs of a school's own non-duplicate signals linked as corroborating, oldest link first, as
/// known at `$2` (NULL: now). Both ends must be at the same school: a link outlives a later re-link
/// of one signal to another school. The versions are narrowed to the schools asked for before the
/// join, and the links are found from one end before the other end is joined: joining both ends on
/// the school first made PostgreSQL pair every two signals of a school (EXPLAIN ANALYZE at 100×:
/// 79 ms for one school, 1.6 s for a province; this way 0.5 ms and 39 ms).
struct CorroborationPairsStatement: SchoolsAsOfStatement {
    static let sql = """
        WITH s AS (
            SELECT v.id, v.school_id, v.duplicate_of FROM fraud_signal_versions v
            WHERE v.school_id = ANY($1)
              AND (($2::timestamptz IS NULL AND v.sys_to IS NULL)
               OR (v.sys_from <= $2::timestamptz AND (v.sys_to IS NULL OR v.sys_to > $2::timestamptz)))
        ), links AS MATERIALIZED (
            SELECT a.school_id, r.id, r.at, r.signal_id, r.related_signal_id FROM s a
            JOIN signal_relations r ON r.signal_id = a.id
            WHERE r.kind = 'corroborating' AND a.duplicate_of IS NULL
              AND ($2::timestamptz IS NULL OR r.recorded_at <= $2::timestamptz)
        )
        SELECT l.school_id, l.signal_id, l.related_signal_id
        FROM links l JOIN s b ON b.id = l.related_signal_id
        WHERE b.school_id = l.school_id AND b.duplicate_of IS NULL
        ORDER BY l.at, l.id
        """
    typealias Row = (UUID, UUID, UUID)

    let schoolIds: [UUID]
    let asOf: Date?

    func decodeRow(_ row: PostgresRow) throws -> (UUID, UUID, UUID) { try row.decode((UUID, UUID, UUID).self) }
}
