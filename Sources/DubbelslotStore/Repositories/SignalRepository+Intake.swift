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
    /// Keys are per reporting municipality (`s.municipalityCode`). The key is written first, in the
    /// signal's own transaction (`INSERT … ON CONFLICT DO NOTHING` on `idempotency_keys`): of two
    /// requests with the same key at the same time, the second waits for the first to commit and
    /// then finds its signal, so exactly one signal is written.
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
                if let key = idempotencyKey {
                    let claimed = try await connection.query(
                        """
                        INSERT INTO idempotency_keys (municipality_code, key, request_sha256, signal_id)
                        VALUES (\(s.municipalityCode.rawValue), \(key), \(requestHash), \(id))
                        ON CONFLICT (municipality_code, key) DO NOTHING
                        RETURNING signal_id
                        """, logger: logger).firstRow()
                    if claimed == nil {
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
                }
                if s.caseReference != nil { try await Self.lockCaseReferences(of: [s.municipalityCode], on: connection, logger: logger) }
                // A signal about a school some municipality contracted: its verdict compared after the insert (VerdictWatch).
                let watch = try await VerdictWatch.start(schoolId: s.schoolId, on: connection, logger: logger)
                let (signal, who) = try await Self.insert(s, id: id, actor: actor, on: connection, logger: logger)
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
    /// One statement: the reference number, the signal and its `received` transition, and who the
    /// actor is for the audit entry (``AuditLog/who(_:role:organisation:nowMicros:)``), so intake
    /// spends no round trip on that. The counter's row (one per municipality and year) stays locked
    /// until commit, so every statement after it serialises the municipality's concurrent intakes;
    /// three round trips there made intake wait on that lock (pg_stat_activity under 8 connections:
    /// nearly every intake waiting on the counter).
    static func insert(_ s: NewSignal, id: UUID, actor: RecordedBy, on connection: PostgresConnection,
                       logger: Logger) async throws -> (VersionedSignal, AuditLog.Who) {
        let kvk = s.reportedKvkNumber?.rawValue, vestiging = s.reportedVestigingsnummer?.rawValue
        // Linked at intake only when the identifiers name exactly one school
        // (docs/decisions/0009-matching-signals-to-schools.md).
        let rows = try await connection.query(
            """
            WITH counter AS (
                INSERT INTO signal_reference_counters_by_municipality AS c (municipality_code, year, last)
                VALUES (\(s.municipalityCode.rawValue),
                        extract(year FROM coalesce(\(s.receivedAt)::timestamptz, now()) AT TIME ZONE 'Europe/Amsterdam')::int4, 1)
                ON CONFLICT (municipality_code, year) DO UPDATE SET last = c.last + 1
                RETURNING format('SIG-%s-%s-%s', c.municipality_code, c.year, lpad(c.last::text, 6, '0')) AS reference
            ), inserted AS (
                INSERT INTO fraud_signals AS f (
                    id, reference, municipality_code, school_id, reported_school_name, reported_kvk_number,
                    reported_vestigingsnummer, reported_place, case_reference, category, severity, observed_from,
                    observed_until, summary, source, status, received_at, recorded_by)
                SELECT
                    \(id), counter.reference, \(s.municipalityCode.rawValue),
                    coalesce(\(s.schoolId)::uuid,
                             (SELECT CASE WHEN count(*) = 1 THEN (array_agg(m.id))[1] END
                              FROM (SELECT s.id FROM schools s WHERE s.kvk_number = \(kvk)::text
                                    UNION
                                    SELECT l.school_id FROM school_locations l WHERE l.vestigingsnummer = \(vestiging)::text) m)),
                    \(s.reportedSchoolName), \(kvk)::text, \(vestiging)::text, \(s.reportedPlace)::text,
                    \(s.caseReference)::text, \(s.category.rawValue), \(s.severity.rawValue),
                    DATE '1970-01-01' + \(s.observedFrom.daysSinceEpoch)::int4,
                    DATE '1970-01-01' + \(s.observedUntil?.daysSinceEpoch)::int4,
                    \(s.summary), \(s.source.rawValue), \(s.status.rawValue),
                    coalesce(\(s.receivedAt)::timestamptz, now()), \(actor)
                FROM counter
                RETURNING *
            ), transition AS (
                INSERT INTO signal_transitions (signal_id, from_status, to_status, at, by, recorded_by)
                SELECT inserted.id, NULL, 'received', inserted.received_at, \(actor), \(actor) FROM inserted
            )
            SELECT \(unescaped: Self.columns), t.role, t.organisation_id, (extract(epoch FROM now()) * 1000000)::bigint
            FROM inserted f LEFT JOIN api_tokens t ON t.id = \(AuditLog.tokenId(of: actor))::uuid
            """, logger: logger)
        guard let row = try await rows.firstRow() else { throw StoreError.notFound }
        let columns = row.makeRandomAccess()
        let who = AuditLog.who(actor, role: try columns[Self.versionIndex + 1].decode(String?.self, context: .default),
                               organisation: try columns[Self.versionIndex + 2].decode(String?.self, context: .default),
                               nowMicros: try columns[Self.versionIndex + 3].decode(Int64.self, context: .default))
        return (try Self.versioned(row), who)
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
