import DubbelslotCore
import Foundation
import PostgresNIO

extension SchoolRepository {
    /// Inserts new schools and updates changed ones, by KvK number, in one transaction (for imports).
    ///
    /// A school's locations are matched by vestigingsnummer, or, without one, by municipality and
    /// address; new ones are added and changed ones updated. Locations missing from the input are
    /// kept: visits may refer to them. A school counts as updated when its own row or any of its
    /// locations changed. Each school's normalised names in `school_name_keys` (signal matching) are
    /// brought up to date in the same transaction.
    /// - Returns: counts of inserted, updated and unchanged schools.
    /// - Throws: ``StoreError/duplicate(field:)`` with `vestigingsnummer` when a location number belongs
    ///   to another school; ``StoreError/unknownReference(field:)`` with `municipalityCode`. Nothing is
    ///   written when anything is thrown.
    public func upsert(_ schools: [NewSchool], actor: Actor) async throws -> ImportSummary {
        // One KvK number twice would make the set-based upsert touch a row twice; the import rules
        // refuse such files before they get here.
        var seen = Set<KvKNumber>()
        for school in schools where !seen.insert(school.kvkNumber).inserted { throw StoreError.duplicate(field: "kvkNumber") }
        return try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let changes = try await Self.upsertRows(schools, actor: actor, on: connection, logger: logger)
                // Also for unchanged schools: keys missing since before 0019 are filled in passing.
                var keySchools: [UUID] = [], keys: [String] = []
                for (school, change) in zip(schools, changes) {
                    for key in Self.nameKeys(name: school.name, tradeNames: school.tradeNames) {
                        keySchools.append(change.id)
                        keys.append(key)
                    }
                }
                _ = try await Self.replaceNameKeys(of: changes.map(\.id), with: keySchools, keys, on: connection, logger: logger)
                var summary = ImportSummary()
                for (school, change) in zip(schools, changes) {
                    var locationsChanged = false
                    for location in school.locations {
                        let changed = try await Self.upsertLocation(location, schoolId: change.id, actor: actor, on: connection, logger: logger)
                        locationsChanged = locationsChanged || changed
                    }
                    switch change.row {
                    case .inserted: summary.inserted += 1
                    case .updated: summary.updated += 1
                    case .unchanged: if locationsChanged { summary.updated += 1 } else { summary.unchanged += 1 }
                    }
                }
                try await AuditLog.append(on: connection, actor: actor, action: "school.upsert", subject: "schools",
                                          details: summary.auditDetails, logger: logger)
                return summary
            }
        }
    }

    private enum RowChange: String { case inserted, updated, unchanged }

    /// Upserts the `schools` rows of every input in one statement (issue 7: one round trip per row
    /// imported 394 rows/s); returns each input's id and what happened to its row, in input order.
    ///
    /// The inputs travel as parallel arrays; the list columns (trade names, routes) as one JSON
    /// array text each, since PostgreSQL arrays cannot be ragged.
    private static func upsertRows(_ schools: [NewSchool], actor: Actor, on connection: PostgresConnection,
                                   logger: Logger) async throws -> [(id: UUID, row: RowChange)] {
        guard !schools.isEmpty else { return [] }
        let encoder = JSONEncoder()
        func json(_ list: [String]) throws -> String { String(decoding: try encoder.encode(list), as: UTF8.self) }
        let names = schools.map(\.name), kvks = schools.map(\.kvkNumber.rawValue)
        let seats = schools.map(\.municipalityCode.rawValue), fictional = schools.map(\.isFictional)
        let tradeNames = try schools.map { try json($0.tradeNames) }, routes = try schools.map { try json($0.routes.sortedRawValues) }
        let rows = try await connection.query(
            """
            WITH input AS (
                SELECT i.name, ARRAY(SELECT jsonb_array_elements_text(i.trade_names::jsonb)) AS trade_names, i.kvk_number,
                       i.municipality_code, ARRAY(SELECT jsonb_array_elements_text(i.routes::jsonb)) AS routes, i.is_fictional, i.ord
                FROM unnest(\(names)::text[], \(tradeNames)::text[], \(kvks)::text[], \(seats)::text[], \(routes)::text[],
                            \(fictional)::bool[]) WITH ORDINALITY
                     AS i(name, trade_names, kvk_number, municipality_code, routes, is_fictional, ord)
            ), written AS (
                INSERT INTO schools (name, trade_names, kvk_number, municipality_code, routes, is_fictional, recorded_by)
                SELECT name, trade_names, kvk_number, municipality_code, routes, is_fictional, \(actor)::text FROM input ORDER BY ord
                ON CONFLICT (kvk_number) DO UPDATE SET
                    name = excluded.name, trade_names = excluded.trade_names,
                    municipality_code = excluded.municipality_code, routes = excluded.routes,
                    is_fictional = excluded.is_fictional, recorded_at = now(), recorded_by = excluded.recorded_by
                WHERE (schools.name, schools.trade_names, schools.municipality_code, schools.routes, schools.is_fictional)
                      IS DISTINCT FROM
                      (excluded.name, excluded.trade_names, excluded.municipality_code, excluded.routes, excluded.is_fictional)
                RETURNING id, kvk_number, (xmax = 0) AS inserted
            )
            SELECT coalesce(w.id, s.id), CASE WHEN w.id IS NULL THEN 'unchanged' WHEN w.inserted THEN 'inserted' ELSE 'updated' END
            FROM input i LEFT JOIN written w ON w.kvk_number = i.kvk_number LEFT JOIN schools s ON s.kvk_number = i.kvk_number
            ORDER BY i.ord
            """, logger: logger)
        var result: [(id: UUID, row: RowChange)] = []
        result.reserveCapacity(schools.count)
        for try await (id, change) in rows.decode((UUID?, String).self) {
            guard let id, let row = RowChange(rawValue: change) else { throw StoreError.corruptRow("schools upsert") }
            result.append((id, row))
        }
        guard result.count == schools.count else { throw StoreError.corruptRow("schools upsert") }
        return result
    }

    /// Upserts one location of school `schoolId`; returns whether anything was written.
    private static func upsertLocation(_ location: NewSchoolLocation, schoolId: UUID, actor: Actor,
                                       on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        guard let number = location.vestigingsnummer?.rawValue else {
            let rows = try await connection.query(
                """
                INSERT INTO school_locations (school_id, vestigingsnummer, municipality_code, address, recorded_by)
                SELECT \(schoolId), NULL, \(location.municipalityCode.rawValue)::text, \(location.address)::text, \(actor)::text
                WHERE NOT EXISTS (
                    SELECT 1 FROM school_locations
                    WHERE school_id = \(schoolId) AND vestigingsnummer IS NULL
                      AND municipality_code = \(location.municipalityCode.rawValue) AND address = \(location.address))
                RETURNING true
                """, logger: logger)
            return try await rows.firstRow() != nil
        }
        let rows = try await connection.query(
            """
            INSERT INTO school_locations (school_id, vestigingsnummer, municipality_code, address, recorded_by)
            VALUES (\(schoolId), \(number), \(location.municipalityCode.rawValue), \(location.address), \(actor))
            ON CONFLICT (vestigingsnummer) DO UPDATE SET
                municipality_code = excluded.municipality_code, address = excluded.address,
                recorded_at = now(), recorded_by = excluded.recorded_by
            WHERE school_locations.school_id = excluded.school_id
              AND (school_locations.municipality_code, school_locations.address)
                  IS DISTINCT FROM (excluded.municipality_code, excluded.address)
            RETURNING true
            """, logger: logger)
        if try await rows.firstRow() != nil { return true }
        // Nothing written: either unchanged, or the number belongs to another school.
        let owner = try await connection.query(
            "SELECT school_id FROM school_locations WHERE vestigingsnummer = \(number)", logger: logger)
        if let ownerId = try await owner.firstRow()?.decode(UUID.self), ownerId != schoolId {
            throw StoreError.duplicate(field: "vestigingsnummer")
        }
        return false
    }
}
