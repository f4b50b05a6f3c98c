public import DubbelslotCore
public import Foundation
import Logging
import PostgresNIO

extension SignalRepository {
    /// Records many signals in one transaction (bulk intake: CSV import and the batch endpoint),
    /// idempotent on each row's `(municipalityCode, caseReference)`.
    ///
    /// A row whose municipality already has a signal with its case reference is not written and comes
    /// back as that signal with `created: false`; so is a row repeating an earlier row's case reference.
    /// Rows without a case reference are always created. Case-reference intake takes a per-municipality
    /// advisory lock, so two batches of one municipality queue and never both write a case, and the
    /// reference numbers (`SIG-GMnnnn-YYYY-nnnnnn`) follow row order without gaps within each municipality. Each row is linked to a
    /// school as in ``record(_:actor:)``. The rows are streamed into a temporary staging table with
    /// `COPY … FROM STDIN` and merged from there set-based.
    /// - Parameters:
    ///   - progress: told how many rows have been streamed (see ``ImportProgress``); `nil` for none.
    /// - Returns: one result per row, in row order.
    /// - Throws: the errors of ``record(_:actor:)``; nothing is written when anything is thrown.
    public func recordBatch(_ rows: [NewSignal], actor: RecordedBy, progress: ImportProgressHandler? = nil) async throws -> [SignalIntake] {
        guard !rows.isEmpty else { return [] }
        // Ids are chosen here: a row repeating an earlier row's case reference gets that row's id and is
        // not created itself; rows whose case is already stored are pointed at it in the database.
        var ids: [UUID] = [], creates: [Bool] = []
        var firstOfCase: [CaseKey: UUID] = [:]
        for row in rows {
            var id = UUID(), create = true
            if let reference = row.caseReference {
                let key = CaseKey(municipality: row.municipalityCode, reference: reference)
                if let first = firstOfCase[key] {
                    id = first
                    create = false
                } else {
                    firstOfCase[key] = id
                }
            }
            ids.append(id)
            creates.append(create)
        }
        return try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                try await Self.stage(rows, ids: ids, creates: creates, on: connection, logger: logger, progress: progress)
                try await Self.lockCaseReferences(of: Set(rows.filter { $0.caseReference != nil }.map(\.municipalityCode)),
                                                  on: connection, logger: logger)
                try await connection.query(
                    """
                    UPDATE signal_import i SET id = f.id, creates = false
                    FROM fraud_signals f
                    WHERE i.case_reference IS NOT NULL
                      AND f.municipality_code = i.municipality_code AND f.case_reference = i.case_reference
                    """, logger: logger)
                try await Self.insertStaged(actor: actor, on: connection, logger: logger)
                let stored = try await connection.query(
                    """
                    SELECT \(unescaped: Self.columns), i.creates
                    FROM signal_import i JOIN fraud_signals f ON f.id = i.id ORDER BY i.ord
                    """, logger: logger)
                var results: [SignalIntake] = []
                results.reserveCapacity(rows.count)
                for try await row in stored {
                    let created = try row.makeRandomAccess()[Self.versionIndex + 1].decode(Bool.self, context: .default)
                    results.append(SignalIntake(signal: try Self.versioned(row), created: created))
                }
                guard results.count == rows.count else { throw StoreError.corruptRow("signal batch") }
                let created = results.filter(\.created).map { $0.signal.signal.id.uuidString.lowercased() }
                try await AuditLog.append(on: connection, actor: actor, action: "signal.recordBatch", subject: "signals",
                                          details: ["rows": String(rows.count), "created": String(created.count),
                                                    "existing": String(rows.count - created.count),
                                                    "ids": created.joined(separator: ",")], logger: logger)
                return results
            }
        }
    }

    /// A municipality's case, the key bulk intake is idempotent on.
    private struct CaseKey: Hashable {
        let municipality: MunicipalityCode
        let reference: String
    }

    /// Streams `rows` into the temporary table `signal_import` (dropped at commit), numbered by their
    /// position (`ord`); dates as days since 1970-01-01, `receivedAt` as microseconds since
    /// 2000-01-01 UTC (PostgreSQL's own epoch and precision).
    private static func stage(_ rows: [NewSignal], ids: [UUID], creates: [Bool], on connection: PostgresConnection,
                              logger: Logger, progress: ImportProgressHandler?) async throws {
        try await connection.query(
            """
            CREATE TEMP TABLE signal_import (
                ord int8 NOT NULL, id uuid NOT NULL, creates bool NOT NULL, municipality_code text NOT NULL,
                school_id uuid, reported_school_name text NOT NULL, reported_kvk_number text,
                reported_vestigingsnummer text, reported_place text, case_reference text, category text NOT NULL,
                severity text NOT NULL, observed_from int4 NOT NULL, observed_until int4, summary text NOT NULL,
                source text NOT NULL, status text NOT NULL, received_us int8
            ) ON COMMIT DROP
            """, logger: logger)
        let epoch2000 = Date(timeIntervalSince1970: 946_684_800)
        try await connection.copyRows(
            into: "signal_import",
            columns: ["ord", "id", "creates", "municipality_code", "school_id", "reported_school_name", "reported_kvk_number",
                      "reported_vestigingsnummer", "reported_place", "case_reference", "category", "severity", "observed_from",
                      "observed_until", "summary", "source", "status", "received_us"],
            count: rows.count, logger: logger, progress: progress
        ) { i, copy in
            let s = rows[i]
            copy.append(i)
            copy.append(ids[i])
            copy.append(creates[i])
            copy.append(s.municipalityCode.rawValue)
            copy.append(s.schoolId)
            copy.append(s.reportedSchoolName)
            copy.append(s.reportedKvkNumber?.rawValue)
            copy.append(s.reportedVestigingsnummer?.rawValue)
            copy.append(s.reportedPlace)
            copy.append(s.caseReference)
            copy.append(s.category.rawValue)
            copy.append(s.severity.rawValue)
            copy.append(s.observedFrom.daysSinceEpoch)
            copy.append(s.observedUntil?.daysSinceEpoch)
            copy.append(s.summary)
            copy.append(s.source.rawValue)
            copy.append(s.status.rawValue)
            // Truncated to microseconds as PostgresNIO's own Date encoding does.
            copy.append(s.receivedAt.map { Int($0.timeIntervalSince(epoch2000) * 1_000_000) })
            copy.endRow()
        }
        try await connection.query("ANALYZE signal_import", logger: logger)
    }

    /// Inserts the staged rows marked `creates`, in `ord` order: their reference numbers (one counter
    /// update per municipality and year for the whole batch), the signals and their first transitions,
    /// in one statement.
    /// The counter's row stays locked until commit, as in ``insert(_:id:actor:on:logger:)``.
    private static func insertStaged(actor: RecordedBy, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            WITH fresh AS (
                SELECT i.*, coalesce(TIMESTAMPTZ '2000-01-01 00:00:00+00' + i.received_us * INTERVAL '1 microsecond', now())
                       AS received_at
                FROM signal_import i WHERE i.creates
            ), dated AS (
                SELECT f.*, extract(year FROM f.received_at AT TIME ZONE 'Europe/Amsterdam')::int4 AS year FROM fresh f
            ), counter AS (
                INSERT INTO signal_reference_counters_by_municipality AS c (municipality_code, year, last)
                SELECT municipality_code, year, count(*) FROM dated GROUP BY municipality_code, year
                ORDER BY municipality_code, year
                ON CONFLICT (municipality_code, year) DO UPDATE SET last = c.last + excluded.last
                RETURNING c.municipality_code, c.year, c.last
            ), numbered AS (
                SELECT d.*, row_number() OVER (PARTITION BY d.municipality_code, d.year ORDER BY d.ord) AS number,
                       count(*) OVER (PARTITION BY d.municipality_code, d.year) AS of_year
                FROM dated d
            ), inserted AS (
                INSERT INTO fraud_signals AS f (
                    id, reference, municipality_code, school_id, reported_school_name, reported_kvk_number,
                    reported_vestigingsnummer, reported_place, case_reference, category, severity, observed_from,
                    observed_until, summary, source, status, received_at, recorded_by)
                SELECT
                    n.id, format('SIG-%s-%s-%s', n.municipality_code, n.year, lpad((c.last - n.of_year + n.number)::text, 6, '0')), n.municipality_code,
                    -- Linked at intake only when the identifiers name exactly one school.
                    coalesce(n.school_id,
                             (SELECT CASE WHEN count(*) = 1 THEN (array_agg(m.id))[1] END
                              FROM (SELECT s.id FROM schools s WHERE s.kvk_number = n.reported_kvk_number
                                    UNION
                                    SELECT l.school_id FROM school_locations l WHERE l.vestigingsnummer = n.reported_vestigingsnummer) m)),
                    n.reported_school_name, n.reported_kvk_number, n.reported_vestigingsnummer, n.reported_place,
                    n.case_reference, n.category, n.severity, DATE '1970-01-01' + n.observed_from,
                    DATE '1970-01-01' + n.observed_until, n.summary, n.source, n.status, n.received_at, \(actor)::text
                FROM numbered n JOIN counter c ON c.municipality_code = n.municipality_code AND c.year = n.year
                ORDER BY n.ord
                RETURNING f.id, f.received_at
            )
            INSERT INTO signal_transitions (signal_id, from_status, to_status, at, by, recorded_by)
            SELECT id, NULL, 'received', received_at, \(actor)::text, \(actor)::text FROM inserted
            """, logger: logger)
    }
}
