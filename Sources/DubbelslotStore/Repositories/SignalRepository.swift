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

    /// The signal with `id`, or `nil` when there is none.
    public func get(_ id: UUID) async throws -> FraudSignal? {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.columns) FROM fraud_signals f WHERE f.id = \(id)", logger: logger)
        return try await rows.firstRow().map(Self.signal)
    }

    /// The reporting municipality of each of `ids` that exists; ids of signals that do not (or no
    /// longer) exist are absent from the answer.
    public func municipalities(of ids: [UUID]) async throws -> [UUID: MunicipalityCode] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await client.query("SELECT id, municipality_code FROM fraud_signals WHERE id = ANY(\(ids))", logger: logger)
        var result: [UUID: MunicipalityCode] = [:]
        for try await (id, code) in rows.decode((UUID, String).self) {
            if let municipality = MunicipalityCode(code) { result[id] = municipality }
        }
        return result
    }

    /// The signal with `id` and its version (the `ETag`), or `nil` when there is none.
    public func getVersioned(_ id: UUID) async throws -> VersionedSignal? {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.columns) FROM fraud_signals f WHERE f.id = \(id)", logger: logger)
        return try await rows.firstRow().map(Self.versioned)
    }

    /// One page of signals matching every filter of `q`, newest first by `(receivedAt, id)`.
    ///
    /// - Returns: at most `q.limit` (clamped to 1–200) signals and the cursor of the next page. An
    ///   `after` id that does not exist yields an empty page.
    public func list(_ q: SignalQuery) async throws -> SignalPage {
        let limit = min(max(q.limit, 1), 200)
        let codes = q.visible.codeTexts
        // One statement, so the page and the count see the same snapshot and the same filters; an
        // empty page is one row of NULLs that carries the count.
        let rows = try await client.query(
            """
            WITH matching AS (
                SELECT * FROM fraud_signals m
                WHERE (\(q.schoolId)::uuid IS NULL OR m.school_id = \(q.schoolId)::uuid)
                  AND (\(q.status?.rawValue)::text IS NULL OR m.status = \(q.status?.rawValue)::text)
                  AND (\(q.municipality?.rawValue)::text IS NULL OR m.municipality_code = \(q.municipality?.rawValue)::text)
                  AND (\(codes)::text[] IS NULL OR m.municipality_code = ANY(\(codes)::text[]))
            )
            SELECT \(unescaped: Self.columns), t.total
            FROM (SELECT count(*) AS total FROM matching) t
            LEFT JOIN LATERAL (
                SELECT * FROM matching p
                WHERE \(q.after)::uuid IS NULL
                   OR (p.received_at, p.id) < (SELECT a.received_at, a.id FROM fraud_signals a WHERE a.id = \(q.after)::uuid)
                ORDER BY p.received_at DESC, p.id DESC
                LIMIT \(limit + 1)
            ) f ON true
            ORDER BY f.received_at DESC, f.id DESC
            """, logger: logger)
        var signals: [FraudSignal] = []
        var total = 0
        for try await row in rows {
            let columns = row.makeRandomAccess()
            total = try columns[Self.versionIndex + 1].decode(Int.self, context: .default)
            if try columns[0].decode(UUID?.self, context: .default) != nil { signals.append(try Self.signal(row)) }
        }
        var next: UUID?
        if signals.count > limit {
            signals.removeLast(signals.count - limit)
            next = signals.last?.id
        }
        return SignalPage(signals: signals, nextCursor: next, total: total)
    }

    // MARK: Rows to signals

    /// The columns ``signal(_:)`` and ``versioned(_:)`` decode, for a table aliased `f`; dates as days
    /// since 1970-01-01; the version last (at ``versionIndex``).
    static let columns = """
        f.id, f.reference, f.municipality_code, f.school_id, f.reported_school_name, f.reported_kvk_number,
        f.reported_place, f.category, f.severity, f.observed_from - DATE '1970-01-01',
        f.observed_until - DATE '1970-01-01', f.summary, f.source, f.status, f.received_at, f.recorded_at, f.recorded_by,
        f.case_reference, f.reported_vestigingsnummer, f.duplicate_of, f.version
        """

    /// The position of `f.version` in ``columns``.
    static let versionIndex = 20

    /// A signal and its version from a row of ``columns``.
    static func versioned(_ row: PostgresRow) throws -> VersionedSignal {
        let version = try row.makeRandomAccess()[versionIndex].decode(Int.self, context: .default)
        return VersionedSignal(signal: try signal(row), version: version)
    }

    /// A signal from a row of ``columns`` (the version is not read).
    static func signal(_ row: PostgresRow) throws -> FraudSignal {
        let (id, reference, municipality, schoolId, reportedName, reportedKvk, reportedPlace, category, severity,
             observedFrom, observedUntil, summary, source, status, receivedAt, recordedAt, recordedBy,
             caseReference, reportedVestiging, duplicateOf) =
            try row.decode((UUID, String, String, UUID?, String, String?, String?, String, String, Int, Int?, String,
                            String, String, Date, Date, String, String?, String?, UUID?).self)
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
            receivedAt: receivedAt, recordedAt: recordedAt, recordedBy: recordedBy, caseReference: caseReference,
            reportedVestigingsnummer: try parseIfPresent(reportedVestiging, Vestigingsnummer.init,
                                                         column: "fraud_signals.reported_vestigingsnummer"),
            duplicateOf: duplicateOf)
    }
}
