public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// Fraud signals: reports, by a municipality, of suspected abuse at a school.
public struct SignalRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Usually reached through ``Store``; the client must be running.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Records a signal and its first transition (`nil` → `received`), in one transaction.
    ///
    /// The reference is `SIG-YYYY-nnnnnn`: `YYYY` the year of `receivedAt` in Europe/Amsterdam,
    /// `nnnnnn` the next number of that year's counter (`signal_reference_counters`, row-locked until
    /// commit, so concurrent intakes never share a number). When `schoolId` is `nil` and
    /// `reportedKvkNumber` is a known school's, the signal is linked to that school.
    /// - Throws: ``StoreError/unknownReference(field:)`` with `municipalityCode` or `schoolId`.
    public func record(_ s: NewSignal, actor: Actor) async throws -> FraudSignal {
        try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let counter = try await connection.query(
                    """
                    INSERT INTO signal_reference_counters AS c (year, last)
                    VALUES (extract(year FROM coalesce(\(s.receivedAt)::timestamptz, now()) AT TIME ZONE 'Europe/Amsterdam')::int4, 1)
                    ON CONFLICT (year) DO UPDATE SET last = c.last + 1
                    RETURNING format('SIG-%s-%s', c.year, lpad(c.last::text, 6, '0'))
                    """, logger: logger)
                guard let reference = try await counter.firstRow()?.decode(String.self) else { throw StoreError.notFound }
                let rows = try await connection.query(
                    """
                    INSERT INTO fraud_signals AS f (
                        reference, municipality_code, school_id, reported_school_name, reported_kvk_number, reported_place,
                        category, severity, observed_from, observed_until, summary, source, status, received_at, recorded_by)
                    VALUES (
                        \(reference), \(s.municipalityCode.rawValue),
                        coalesce(\(s.schoolId)::uuid,
                                 (SELECT id FROM schools WHERE kvk_number = \(s.reportedKvkNumber?.rawValue)::text)),
                        \(s.reportedSchoolName), \(s.reportedKvkNumber?.rawValue)::text, \(s.reportedPlace)::text,
                        \(s.category.rawValue), \(s.severity.rawValue),
                        DATE '1970-01-01' + \(s.observedFrom.daysSinceEpoch)::int4,
                        DATE '1970-01-01' + \(s.observedUntil?.daysSinceEpoch)::int4,
                        \(s.summary), \(s.source.rawValue), \(s.status.rawValue),
                        coalesce(\(s.receivedAt)::timestamptz, now()), \(actor))
                    RETURNING \(unescaped: Self.columns)
                    """, logger: logger)
                guard let row = try await rows.firstRow() else { throw StoreError.notFound }
                let signal = try Self.signal(row)
                try await connection.query(
                    """
                    INSERT INTO signal_transitions (signal_id, from_status, to_status, at, by, recorded_by)
                    SELECT f.id, NULL, 'received', f.received_at, \(actor), \(actor)
                    FROM fraud_signals f WHERE f.id = \(signal.id)
                    """, logger: logger)
                return signal
            }
        }
    }

    /// The signal with `id`, or `nil` when there is none.
    public func get(_ id: UUID) async throws -> FraudSignal? {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.columns) FROM fraud_signals f WHERE f.id = \(id)", logger: logger)
        return try await rows.firstRow().map(Self.signal)
    }

    /// One page of signals matching every filter of `q`, newest first by `(receivedAt, id)`.
    ///
    /// - Returns: at most `q.limit` (clamped to 1–200) signals and the cursor of the next page. An
    ///   `after` id that does not exist yields an empty page.
    public func list(_ q: SignalQuery) async throws -> SignalPage {
        let limit = min(max(q.limit, 1), 200)
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM fraud_signals f
            WHERE (\(q.schoolId)::uuid IS NULL OR f.school_id = \(q.schoolId)::uuid)
              AND (\(q.status?.rawValue)::text IS NULL OR f.status = \(q.status?.rawValue)::text)
              AND (\(q.municipality?.rawValue)::text IS NULL OR f.municipality_code = \(q.municipality?.rawValue)::text)
              AND (\(q.after)::uuid IS NULL
                   OR (f.received_at, f.id) < (SELECT a.received_at, a.id FROM fraud_signals a WHERE a.id = \(q.after)::uuid))
            ORDER BY f.received_at DESC, f.id DESC
            LIMIT \(limit + 1)
            """, logger: logger)
        var signals: [FraudSignal] = []
        for try await row in rows { signals.append(try Self.signal(row)) }
        var next: UUID?
        if signals.count > limit {
            signals.removeLast(signals.count - limit)
            next = signals.last?.id
        }
        return SignalPage(signals: signals, nextCursor: next)
    }

    // MARK: Rows to signals

    /// The columns ``signal(_:)`` decodes, for a table aliased `f`; dates as days since 1970-01-01.
    static let columns = """
        f.id, f.reference, f.municipality_code, f.school_id, f.reported_school_name, f.reported_kvk_number,
        f.reported_place, f.category, f.severity, f.observed_from - DATE '1970-01-01',
        f.observed_until - DATE '1970-01-01', f.summary, f.source, f.status, f.received_at, f.recorded_at, f.recorded_by
        """

    static func signal(_ row: PostgresRow) throws -> FraudSignal {
        let (id, reference, municipality, schoolId, reportedName, reportedKvk, reportedPlace, category, severity,
             observedFrom, observedUntil, summary, source, status, receivedAt, recordedAt, recordedBy) =
            try row.decode((UUID, String, String, UUID?, String, String?, String?, String, String, Int, Int?, String,
                            String, String, Date, Date, String).self)
        return FraudSignal(
            id: id, reference: reference,
            municipalityCode: try parse(municipality, MunicipalityCode.init, column: "fraud_signals.municipality_code"),
            schoolId: schoolId, reportedSchoolName: reportedName,
            reportedKvkNumber: try parseIfPresent(reportedKvk, KvKNumber.init, column: "fraud_signals.reported_kvk_number"),
            reportedPlace: reportedPlace,
            category: try parse(category, SignalCategory.init(rawValue:), column: "fraud_signals.category"),
            severity: try parse(severity, SignalSeverity.init(rawValue:), column: "fraud_signals.severity"),
            observedFrom: LocalDate(daysSinceEpoch: observedFrom),
            observedUntil: observedUntil.map(LocalDate.init(daysSinceEpoch:)),
            summary: summary,
            source: try parse(source, SignalSource.init(rawValue:), column: "fraud_signals.source"),
            status: try parse(status, SignalStatus.init(rawValue:), column: "fraud_signals.status"),
            receivedAt: receivedAt, recordedAt: recordedAt, recordedBy: recordedBy)
    }
}
