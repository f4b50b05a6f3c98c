public import DubbelslotCore
public import Foundation
import Logging
import PostgresNIO

extension SignalRepository {
    /// The least pg_trgm `similarity()` of two normalised names for a name candidate: `0.3`, pg_trgm's
    /// own default `similarity_threshold`, set explicitly per query so that a server setting cannot change it.
    public static let nameSimilarityThreshold = 0.3

    /// Schools the signal may be about, best first (docs/decisions/0009-matching-signals-to-schools.md).
    ///
    /// Identifiers match first: a school whose KvK number is the reported one, or with a location whose
    /// vestigingsnummer is the reported one, is a candidate with score 1. Only when no school matches
    /// by identifier are names compared: the reported name is normalised by Core's
    /// ``SchoolNameNormalizer`` (as the register's names in `school_name_keys` were) and schools whose
    /// registered or trade name has pg_trgm `similarity()` of at least ``nameSimilarityThreshold`` are
    /// candidates, scored by their best similarity. A name that normalises to the empty string (only
    /// non-Latin script, only a legal form) matches nothing. Schools an inspector rejected for this
    /// signal (``rejectCandidate(_:schoolId:note:actor:at:)``) are never proposed again.
    ///
    /// Features say what matched (``MatchFeature``): `name` also on an identifier match whose name is
    /// similar, `place` when the normalised reported place is the name of the municipality of the
    /// school's seat or of one of its locations. Order: score, then a place match, then name and id.
    /// - Parameter limit: at most this many, clamped to 1–50. Defaults to `10`.
    /// - Throws: ``SignalWorkflowError/notFound`` when the signal does not exist.
    public func candidates(for id: UUID, limit: Int = 10) async throws -> [MatchCandidate] {
        let limit = min(max(limit, 1), 50)
        return try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let signalRows = try await connection.query(
                    "SELECT \(unescaped: Self.columns) FROM fraud_signals f WHERE f.id = \(id)", logger: logger)
                guard let signal = try await signalRows.firstRow().map(Self.signal) else { throw SignalWorkflowError.notFound }
                try await connection.query(
                    "SELECT set_config('pg_trgm.similarity_threshold', \(String(Self.nameSimilarityThreshold)), true)",
                    logger: logger).collect()
                let hits = try await Self.matches(signal, on: connection, logger: logger)
                let byIdentifier = hits.filter { $0.kvk || $0.vestiging }
                let chosen = byIdentifier.isEmpty ? hits.filter { $0.similarity != nil } : byIdentifier
                guard !chosen.isEmpty else { return [] }
                let schools = Dictionary(uniqueKeysWithValues: try await SchoolRepository.schools(
                    ids: chosen.map(\.schoolId), on: connection, logger: logger).map { ($0.id, $0) })
                let place = signal.reportedPlace.map(SchoolNameNormalizer.normalize) ?? ""
                let placeCodes = place.isEmpty ? [] : try await Self.municipalities(named: place, on: connection, logger: logger)
                var candidates: [MatchCandidate] = []
                for hit in chosen {
                    guard let school = schools[hit.schoolId] else { continue }
                    let codes = Set([school.municipalityCode] + school.locations.map(\.municipalityCode))
                    var features: [MatchFeature] = []
                    if hit.kvk { features.append(.kvkNumber) }
                    if hit.vestiging { features.append(.vestigingsnummer) }
                    if hit.similarity != nil { features.append(.name) }
                    if !codes.isDisjoint(with: placeCodes) { features.append(.place) }
                    let score = hit.kvk || hit.vestiging ? 1 : hit.similarity ?? 0
                    candidates.append(MatchCandidate(school: school, score: score, features: features))
                }
                candidates.sort { a, b in
                    if a.score != b.score { return a.score > b.score }
                    let (pa, pb) = (a.features.contains(.place), b.features.contains(.place))
                    if pa != pb { return pa }
                    return (a.school.name, a.school.id.uuidString) < (b.school.name, b.school.id.uuidString)
                }
                return Array(candidates.prefix(limit))
            }
        }
    }

    /// Links the signal to a school, as an inspector decided (its version plus one), and keeps the
    /// decision in `signal_school_links`.
    ///
    /// Any school may be linked, a rejected candidate too (the inspector changed their mind); the
    /// rejection stays on record.
    /// - Parameters:
    ///   - note: why, required, 1–10000 characters after trimming.
    ///   - at: when; `nil` (the default) means the database's `now()`.
    /// - Returns: the signal after linking, with its new version.
    /// - Throws: ``SignalWorkflowError/notFound``; ``StoreError/unknownReference(field:)`` with
    ///   `schoolId` for an unknown school; ``ValidationFailure`` (field `note`).
    public func link(_ id: UUID, schoolId: UUID, note: String, actor: RecordedBy, at: Date? = nil) async throws -> VersionedSignal {
        let note = try Self.checkNote(note)
        return try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                // The signal becomes evidence about this school (VerdictWatch; the school it leaves, if any, is not watched).
                let watch = try await VerdictWatch.start(schoolId: schoolId, on: connection, logger: logger)
                let rows = try await connection.query(
                    """
                    UPDATE fraud_signals f SET school_id = \(schoolId), version = f.version + 1
                    WHERE f.id = \(id)
                    RETURNING \(unescaped: Self.columns)
                    """, logger: logger)
                guard let row = try await rows.firstRow() else { throw SignalWorkflowError.notFound }
                try await Self.recordLink(id, schoolId: schoolId, note: note, actor: actor, at: at, on: connection, logger: logger)
                let linked = try Self.versioned(row)
                try await watch?.finish(on: connection, logger: logger)
                try await AuditLog.append(on: connection, actor: actor, action: "signal.link", subject: "signal:\(id.uuidString.lowercased())",
                                          details: ["schoolId": schoolId.uuidString.lowercased(), "version": String(linked.version)],
                                          logger: logger)
                return linked
            }
        }
    }

    /// Records an inspector's "not this school" for the signal: the school is never proposed again by
    /// ``candidates(for:limit:)``. When the signal is linked to that very school, the link is removed
    /// (its version plus one, and a row without school in `signal_school_links`).
    ///
    /// Rejecting the same school again changes nothing and keeps the first note.
    /// - Parameters:
    ///   - note: why, required, 1–10000 characters after trimming.
    ///   - at: when; `nil` (the default) means the database's `now()`.
    /// - Returns: the signal afterwards.
    /// - Throws: ``SignalWorkflowError/notFound``; ``StoreError/unknownReference(field:)`` with
    ///   `schoolId` for an unknown school; ``ValidationFailure`` (field `note`).
    @discardableResult
    public func rejectCandidate(_ id: UUID, schoolId: UUID, note: String, actor: RecordedBy, at: Date? = nil) async throws -> VersionedSignal {
        let note = try Self.checkNote(note)
        return try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                guard var current = try await Self.lock(id, on: connection, logger: logger) else { throw SignalWorkflowError.notFound }
                try await connection.query(
                    """
                    INSERT INTO signal_match_rejections (signal_id, school_id, note, at, by, recorded_by)
                    VALUES (\(id), \(schoolId), \(note), coalesce(\(at)::timestamptz, now()), \(actor), \(actor))
                    ON CONFLICT (signal_id, school_id) DO NOTHING
                    """, logger: logger)
                if current.signal.schoolId == schoolId {
                    let rows = try await connection.query(
                        "UPDATE fraud_signals f SET school_id = NULL, version = f.version + 1 WHERE f.id = \(id) RETURNING \(unescaped: Self.columns)",
                        logger: logger)
                    guard let row = try await rows.firstRow() else { throw SignalWorkflowError.notFound }
                    current = try Self.versioned(row)
                    try await Self.recordLink(id, schoolId: nil, note: note, actor: actor, at: at, on: connection, logger: logger)
                }
                try await AuditLog.append(on: connection, actor: actor, action: "signal.rejectCandidate", subject: "signal:\(id.uuidString.lowercased())",
                                          details: ["schoolId": schoolId.uuidString.lowercased(), "version": String(current.version)],
                                          logger: logger)
                return current
            }
        }
    }

    // MARK: Helpers

    /// A school found for a signal, by identifier and/or by name.
    private struct Hit {
        let schoolId: UUID
        let kvk: Bool
        let vestiging: Bool
        /// The best similarity of the names, when at least the threshold.
        let similarity: Double?
    }

    /// Every school matching the signal's identifiers or (trigram) name, less the rejected ones.
    ///
    /// The caller has set `pg_trgm.similarity_threshold`: `%` uses it and the gin index `school_name_keys_trgm_idx`.
    private static func matches(_ signal: FraudSignal, on connection: PostgresConnection, logger: Logger) async throws -> [Hit] {
        let name = SchoolNameNormalizer.normalize(signal.reportedSchoolName)
        let kvk = signal.reportedKvkNumber?.rawValue, vestiging = signal.reportedVestigingsnummer?.rawValue
        let rows = try await connection.query(
            """
            WITH by_id AS (
                SELECT s.id AS school_id,
                       coalesce(s.kvk_number = \(kvk)::text, false) AS by_kvk,
                       EXISTS (SELECT 1 FROM school_locations l
                               WHERE l.school_id = s.id AND l.vestigingsnummer = \(vestiging)::text) AS by_vestiging
                FROM schools s
                WHERE s.kvk_number = \(kvk)::text
                   OR s.id IN (SELECT l.school_id FROM school_locations l WHERE l.vestigingsnummer = \(vestiging)::text)
            ), by_name AS (
                SELECT k.school_id, max(similarity(k.normalized_name, \(name)::text))::float8 AS score
                FROM school_name_keys k
                WHERE \(name)::text <> '' AND k.normalized_name % \(name)::text
                GROUP BY k.school_id
            )
            SELECT coalesce(i.school_id, n.school_id), coalesce(i.by_kvk, false), coalesce(i.by_vestiging, false), n.score
            FROM by_id i FULL JOIN by_name n ON n.school_id = i.school_id
            WHERE NOT EXISTS (SELECT 1 FROM signal_match_rejections r
                              WHERE r.signal_id = \(signal.id) AND r.school_id = coalesce(i.school_id, n.school_id))
            """, logger: logger)
        var hits: [Hit] = []
        for try await (schoolId, kvk, vestiging, score) in rows.decode((UUID, Bool, Bool, Double?).self) {
            hits.append(Hit(schoolId: schoolId, kvk: kvk, vestiging: vestiging, similarity: score))
        }
        return hits
    }

    /// The codes of the municipalities whose name normalises to `place` (``SchoolNameNormalizer``).
    private static func municipalities(named place: String, on connection: PostgresConnection, logger: Logger) async throws -> Set<MunicipalityCode> {
        // 342 short rows: normalising them in Swift keeps one normaliser for both sides.
        let rows = try await connection.query("SELECT code, name FROM municipalities", logger: logger)
        var codes: Set<MunicipalityCode> = []
        for try await (code, name) in rows.decode((String, String).self) where SchoolNameNormalizer.normalize(name) == place {
            if let code = MunicipalityCode(code) { codes.insert(code) }
        }
        return codes
    }

    /// Adds a row to `signal_school_links`; `schoolId` `nil` records the removal of the link.
    private static func recordLink(_ id: UUID, schoolId: UUID?, note: String, actor: RecordedBy, at: Date?,
                                   on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO signal_school_links (signal_id, school_id, note, at, by, recorded_by)
            VALUES (\(id), \(schoolId)::uuid, \(note), coalesce(\(at)::timestamptz, now()), \(actor), \(actor))
            """, logger: logger)
    }
}
