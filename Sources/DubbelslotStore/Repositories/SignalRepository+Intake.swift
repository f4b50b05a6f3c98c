public import DubbelslotCore
public import Foundation
import Logging
import PostgresNIO

extension SignalRepository {
    /// Records a signal and its first transition (`nil` → `received`), in one transaction.
    ///
    /// The reference is `SIG-GMnnnn-YYYY-nnnnnn`: the reporting municipality's CBS code, `YYYY` the year
    /// of `receivedAt` in Europe/Amsterdam, and the next number of that municipality's counter for the
    /// year (`signal_reference_counters_by_municipality`, row-locked until commit, so concurrent intakes
    /// never share a number and a signal of one municipality never waits for another's). When `schoolId` is `nil`, the signal is
    /// linked to a school when the reported KvK number and vestigingsnummer together point at exactly
    /// one school (a KvK number of one school and a vestigingsnummer of another link nothing).
    /// - Throws: ``StoreError/unknownReference(field:)`` with `municipalityCode` or `schoolId`;
    ///   ``StoreError/duplicate(field:)`` with `caseReference` when the municipality sent that case before.
    public func record(_ s: NewSignal, actor: RecordedBy) async throws -> FraudSignal {
        try await record(s, idempotencyKey: nil, requestHash: "", actor: actor).signal.signal
    }

    /// Records a signal, honouring an `Idempotency-Key` (docs/decisions/0008-signal-lifecycle-and-intake.md).
    ///
    /// Keys are per reporting municipality (`s.municipalityCode`). The key is claimed in the signal's
    /// own transaction, by the statement that inserts the signal (`INSERT … ON CONFLICT DO NOTHING` on
    /// `idempotency_keys`, before the counter and the signal): of two requests with the same key at the
    /// same time, the second waits for the first to commit and then finds its signal, so exactly one
    /// signal is written.
    /// - Parameters:
    ///   - idempotencyKey: 1–200 characters, or `nil` to record without one (then always created).
    ///   - requestHash: lowercase hex SHA-256 (64 characters) of the request as the caller
    ///     canonicalised it; ignored without a key.
    /// - Returns: the signal, `created: false` when the same key came with the same hash before (the
    ///   first request's signal, as it is now).
    /// - Throws: ``SignalWorkflowError/idempotencyKeyReused`` for the same key with another hash;
    ///   ``ValidationFailure`` (fields `idempotencyKey`, `requestHash`) for a bad key or hash; the
    ///   errors of ``record(_:actor:)``. Nothing is written when anything is thrown.
    public func record(_ s: NewSignal, idempotencyKey: String?, requestHash: String, actor: RecordedBy) async throws -> SignalIntake {
        if let idempotencyKey { try Self.checkIdempotency(key: idempotencyKey, hash: requestHash) }
        return try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let id = UUID()
                if s.caseReference != nil { try await Self.lockCaseReferences(of: [s.municipalityCode], on: connection, logger: logger) }
                // A signal about a school some municipality contracted: its verdict compared after the insert (VerdictWatch).
                let watch = try await VerdictWatch.start(schoolId: s.schoolId, on: connection, logger: logger)
                let claim = idempotencyKey.map { (key: $0, requestHash: requestHash) }
                guard let (signal, who) = try await Self.insert(s, id: id, claim: claim, actor: actor, on: connection, logger: logger) else {
                    // The key was claimed before: the first request's signal, if it came with the same body.
                    guard let key = idempotencyKey else { throw StoreError.notFound }
                    let first = try await connection.query(
                        """
                        SELECT \(unescaped: Self.columns), k.request_sha256
                        FROM idempotency_keys k JOIN fraud_signals f ON f.id = k.signal_id
                        WHERE k.municipality_code = \(s.municipalityCode.rawValue) AND k.key = \(key)
                        """, logger: logger).firstRow()
                    guard let first else { throw StoreError.notFound }
                    let firstHash = try first.makeRandomAccess()[Self.versionIndex + 1].decode(String.self, context: .default)
                    guard firstHash == requestHash else { throw SignalWorkflowError.idempotencyKeyReused }
                    return SignalIntake(signal: try Self.versioned(first), created: false)
                }
                try await watch?.finish(on: connection, logger: logger)
                try await AuditLog.append(on: connection, who: who, action: "signal.record", subject: "signal:\(id.uuidString.lowercased())",
                                          details: ["reference": signal.signal.reference,
                                                    "status": signal.signal.status.rawValue,
                                                    "municipalityCode": s.municipalityCode.rawValue], logger: logger)
                return SignalIntake(signal: signal, created: true)
            }
        }
    }

    // MARK: Helpers

    /// Advisory-lock class of case-reference intake (`pg_advisory_xact_lock(class, hashtext(code))`): "DBSC".
    static let caseReferenceLockClass: Int32 = 0x4442_5343

    /// Takes the transaction-scoped case-reference lock of each municipality, in code order (no deadlocks).
    static func lockCaseReferences(of municipalities: some Collection<MunicipalityCode>, on connection: PostgresConnection,
                                   logger: Logger) async throws {
        for code in municipalities.sorted() {
            try await connection.query(
                "SELECT pg_advisory_xact_lock(\(caseReferenceLockClass), hashtext(\(code.rawValue)))", logger: logger).collect()
        }
    }

    /// Inserts one signal with id `id` and its first transition; the caller holds the transaction.
    ///
    /// One statement: the idempotency key's claim (with `claim`), the reference number, the signal and
    /// its `received` transition, and who the actor is for the audit entry
    /// (``AuditLog/who(_:role:organisation:nowMicros:)``), so intake spends no round trip on either.
    /// The counter's row (one per municipality and year) stays locked until commit, so every statement
    /// after it serialises the municipality's concurrent intakes; three round trips there made intake
    /// wait on that lock (pg_stat_activity under 8 connections: nearly every intake waiting on the counter).
    /// - Returns: `nil`, with nothing written, when `claim`'s key was claimed before (by a committed
    ///   transaction: a concurrent one is waited for).
    static func insert(_ s: NewSignal, id: UUID, claim: (key: String, requestHash: String)? = nil, actor: RecordedBy,
                       on connection: PostgresConnection, logger: Logger) async throws -> (VersionedSignal, AuditLog.Who)? {
        var rows = try await connection.execute(IntakeStatement(signal: s, id: id, claim: claim, actor: actor), logger: logger)
            .makeAsyncIterator()
        let row = try await rows.next()
        while try await rows.next() != nil {}
        guard let row else {
            if claim != nil { return nil }
            throw StoreError.notFound
        }
        let columns = row.makeRandomAccess()
        let who = AuditLog.who(actor, role: try columns[Self.versionIndex + 1].decode(String?.self, context: .default),
                               organisation: try columns[Self.versionIndex + 2].decode(String?.self, context: .default),
                               nowMicros: try columns[Self.versionIndex + 3].decode(Int64.self, context: .default))
        return (try Self.versioned(row), who)
    }

    /// The statement of ``insert(_:id:claim:actor:on:logger:)``, prepared once per connection: its
    /// parsing and planning were a fifth of the machine's CPU under intake when sent unnamed each time
    /// (perf, 32 connections: `pg_analyze_and_rewrite` 6 %, `raw_parser` 4 %, `pg_plan_query` 10 %).
    /// The row: ``columns`` of the signal, then the actor's `api_tokens.role` and `organisation_id`
    /// (NULL for an operator) and `now()` in microseconds since 1970-01-01 UTC; no row when the key
    /// was claimed before.
    struct IntakeStatement: PostgresPreparedStatement {
        // A signal is linked at intake only when the identifiers name exactly one school
        // (docs/decisions/0009-matching-signals-to-schools.md).
        static let sql = """
            WITH claimed AS (
                INSERT INTO idempotency_keys (municipality_code, key, request_sha256, signal_id)
                SELECT $1, $2::text, $3::text, $4 WHERE $2::text IS NOT NULL
                ON CONFLICT (municipality_code, key) DO NOTHING
                RETURNING signal_id
            ), counter AS (
                INSERT INTO signal_reference_counters_by_municipality AS c (municipality_code, year, last)
                SELECT $1, extract(year FROM coalesce($5::timestamptz, now()) AT TIME ZONE 'Europe/Amsterdam')::int4, 1
                WHERE $2::text IS NULL OR EXISTS (SELECT FROM claimed)
                ON CONFLICT (municipality_code, year) DO UPDATE SET last = c.last + 1
                RETURNING format('SIG-%s-%s-%s', c.municipality_code, c.year, lpad(c.last::text, 6, '0')) AS reference
            ), inserted AS (
                INSERT INTO fraud_signals AS f (
                    id, reference, municipality_code, school_id, reported_school_name, reported_kvk_number,
                    reported_vestigingsnummer, reported_place, case_reference, category, severity, observed_from,
                    observed_until, summary, source, status, received_at, recorded_by)
                SELECT
                    $4, counter.reference, $1,
                    coalesce($6::uuid,
                             (SELECT CASE WHEN count(*) = 1 THEN (array_agg(m.id))[1] END
                              FROM (SELECT s.id FROM schools s WHERE s.kvk_number = $7::text
                                    UNION
                                    SELECT l.school_id FROM school_locations l WHERE l.vestigingsnummer = $8::text) m)),
                    $9, $7::text, $8::text, $10::text, $11::text, $12, $13,
                    DATE '1970-01-01' + $14::int4, DATE '1970-01-01' + $15::int4,
                    $16, $17, $18, coalesce($5::timestamptz, now()), $19
                FROM counter
                RETURNING *
            ), transition AS (
                INSERT INTO signal_transitions (signal_id, from_status, to_status, at, by, recorded_by)
                SELECT inserted.id, NULL, 'received', inserted.received_at, $19, $19 FROM inserted
            )
            SELECT \(SignalRepository.columns), t.role, t.organisation_id, (extract(epoch FROM now()) * 1000000)::bigint
            FROM inserted f LEFT JOIN api_tokens t ON t.id = $20::uuid
            """
        static let bindingDataTypes: [PostgresDataType] = [
            .text, .text, .text, .uuid, .timestamptz, .uuid, .text, .text, .text, .text,
            .text, .text, .text, .int4, .int4, .text, .text, .text, .text, .uuid,
        ]

        let signal: NewSignal
        let id: UUID
        let claim: (key: String, requestHash: String)?
        let actor: RecordedBy

        func makeBindings() throws -> PostgresBindings {
            let s = signal
            var bindings = PostgresBindings(capacity: 20)
            // PostgresNIO has no encoder for optionals.
            func append<T: PostgresNonThrowingEncodable>(_ value: T?) { if let value { bindings.append(value) } else { bindings.appendNull() } }
            bindings.append(s.municipalityCode.rawValue)
            append(claim?.key)
            append(claim?.requestHash)
            bindings.append(id)
            append(s.receivedAt)
            append(s.schoolId)
            append(s.reportedKvkNumber?.rawValue)
            append(s.reportedVestigingsnummer?.rawValue)
            bindings.append(s.reportedSchoolName)
            append(s.reportedPlace)
            append(s.caseReference)
            bindings.append(s.category.rawValue)
            bindings.append(s.severity.rawValue)
            bindings.append(Int32(s.observedFrom.daysSinceEpoch))
            append(s.observedUntil.map { Int32($0.daysSinceEpoch) })
            bindings.append(s.summary)
            bindings.append(s.source.rawValue)
            bindings.append(s.status.rawValue)
            bindings.append(actor)
            append(AuditLog.tokenId(of: actor))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    /// Checks an idempotency key (1–200 characters) and a request hash (64 lowercase hex digits).
    static func checkIdempotency(key: String, hash: String) throws(ValidationFailure) {
        var errors: [FieldError] = []
        if key.isEmpty || key.count > 200 { errors.append(FieldError(field: "idempotencyKey", rule: "must be 1 to 200 characters")) }
        if hash.utf8.count != 64 || !hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) {
            errors.append(FieldError(field: "requestHash", rule: "must be a lowercase hex SHA-256 (64 characters)"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
