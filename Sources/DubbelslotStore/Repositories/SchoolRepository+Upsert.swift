import DubbelslotCore
import Foundation
import PostgresNIO

extension SchoolRepository {
    /// Inserts new schools and updates changed ones, by KvK number, in one transaction (for imports).
    ///
    /// The schools are streamed into a temporary staging table with `COPY … FROM STDIN` and merged
    /// from there set-based, so the cost per school is PostgreSQL's own. A school's locations are
    /// matched by vestigingsnummer, or, without one, by municipality and address; new ones are added
    /// and changed ones updated. Locations missing from the input are kept: visits may refer to them.
    /// A school counts as updated when its own row or any of its locations changed. Each school's
    /// normalised names in `school_name_keys` (signal matching) are brought up to date in the same
    /// transaction.
    /// - Parameters:
    ///   - progress: told how many schools have been streamed (see ``ImportProgress``); `nil` for none.
    /// - Returns: counts of inserted, updated and unchanged schools.
    /// - Throws: ``StoreError/duplicate(field:)`` with `kvkNumber` when a KvK number occurs twice in
    ///   `schools`, or `vestigingsnummer` when a location number belongs to another school;
    ///   ``StoreError/unknownReference(field:)`` with `municipalityCode`. Nothing is written when
    ///   anything is thrown.
    public func upsert(_ schools: [NewSchool], actor: RecordedBy, progress: ImportProgressHandler? = nil) async throws -> ImportSummary {
        // One KvK number twice would make the set-based upsert touch a row twice; the import rules
        // refuse such files before they get here.
        var seen = Set<KvKNumber>()
        for school in schools where !seen.insert(school.kvkNumber).inserted { throw StoreError.duplicate(field: "kvkNumber") }
        return try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                try await Self.stage(schools, on: connection, logger: logger, progress: progress)
                var summary = try await Self.mergeStaged(actor: actor, on: connection, logger: logger)
                // Import files carry no locations; the few schools that have them are handled one by one.
                let withLocations = schools.indices.filter { !schools[$0].locations.isEmpty }
                if !withLocations.isEmpty {
                    let staged = try await connection.query(
                        "SELECT ord, school_id, change FROM school_import WHERE ord = ANY(\(withLocations)::int8[]) ORDER BY ord",
                        logger: logger)
                    // Read whole first: the connection runs one statement at a time.
                    var located: [(ord: Int, id: UUID, change: String)] = []
                    for try await row in staged.decode((Int, UUID, String).self) { located.append(row) }
                    for (ord, id, change) in located {
                        var locationsChanged = false
                        for location in schools[ord].locations {
                            let changed = try await Self.upsertLocation(location, schoolId: id, actor: actor, on: connection, logger: logger)
                            locationsChanged = locationsChanged || changed
                        }
                        if change == "unchanged" && locationsChanged {
                            summary.unchanged -= 1
                            summary.updated += 1
                        }
                    }
                }
                try await AuditLog.append(on: connection, actor: actor, action: "school.upsert", subject: "schools",
                                          details: summary.auditDetails, logger: logger)
                return summary
            }
        }
    }

    /// Streams `schools` into the temporary table `school_import` (dropped at commit), one row each
    /// numbered by its position (`ord`), with the list columns and the name keys as JSON arrays.
    private static func stage(_ schools: [NewSchool], on connection: PostgresConnection, logger: Logger,
                              progress: ImportProgressHandler?) async throws {
        try await connection.query(
            """
            CREATE TEMP TABLE school_import (
                ord int8 NOT NULL, kvk_number text NOT NULL, name text NOT NULL, trade_names jsonb NOT NULL,
                municipality_code text NOT NULL, routes jsonb NOT NULL, is_fictional bool NOT NULL,
                name_keys jsonb NOT NULL, school_id uuid, change text
            ) ON COMMIT DROP
            """, logger: logger)
        let encoder = JSONEncoder()
        func json(_ list: [String]) throws -> String { String(decoding: try encoder.encode(list), as: UTF8.self) }
        try await connection.copyRows(
            into: "school_import",
            columns: ["ord", "kvk_number", "name", "trade_names", "municipality_code", "routes", "is_fictional", "name_keys"],
            count: schools.count, logger: logger, progress: progress
        ) { i, rows in
            let school = schools[i]
            rows.append(i)
            rows.append(school.kvkNumber.rawValue)
            rows.append(school.name)
            rows.append(try json(school.tradeNames))
            rows.append(school.municipalityCode.rawValue)
            rows.append(try json(school.routes.sortedRawValues))
            rows.append(school.isFictional)
            // The keys signals are matched by, normalised in Swift (Core's normaliser).
            rows.append(try json(nameKeys(name: school.name, tradeNames: school.tradeNames)))
            rows.endRow()
        }
        // A temporary table has no statistics until analysed; the merge joins it three times.
        try await connection.query("ANALYZE school_import", logger: logger)
    }

    /// Merges `school_import` into `schools` and `school_name_keys`, recording each staged row's
    /// school id and what happened to its row (`inserted`, `updated`, `unchanged`).
    /// - Returns: the counts of the `schools` rows alone (locations come after).
    private static func mergeStaged(actor: RecordedBy, on connection: PostgresConnection, logger: Logger) async throws -> ImportSummary {
        try await connection.query(
            """
            WITH written AS (
                INSERT INTO schools (name, trade_names, kvk_number, municipality_code, routes, is_fictional, recorded_by)
                SELECT name, ARRAY(SELECT jsonb_array_elements_text(trade_names)), kvk_number, municipality_code,
                       ARRAY(SELECT jsonb_array_elements_text(routes)), is_fictional, \(actor)::text
                FROM school_import ORDER BY ord
                ON CONFLICT (kvk_number) DO UPDATE SET
                    name = excluded.name, trade_names = excluded.trade_names,
                    municipality_code = excluded.municipality_code, routes = excluded.routes,
                    is_fictional = excluded.is_fictional, recorded_at = now(), recorded_by = excluded.recorded_by
                WHERE (schools.name, schools.trade_names, schools.municipality_code, schools.routes, schools.is_fictional)
                      IS DISTINCT FROM
                      (excluded.name, excluded.trade_names, excluded.municipality_code, excluded.routes, excluded.is_fictional)
                RETURNING id, kvk_number, (xmax = 0) AS inserted
            )
            UPDATE school_import i SET school_id = w.id, change = CASE WHEN w.inserted THEN 'inserted' ELSE 'updated' END
            FROM written w WHERE w.kvk_number = i.kvk_number
            """, logger: logger)
        try await connection.query(
            """
            UPDATE school_import i SET school_id = s.id, change = 'unchanged'
            FROM schools s WHERE i.school_id IS NULL AND s.kvk_number = i.kvk_number
            """, logger: logger)
        // Also for unchanged schools: keys missing since before 0019 are filled in passing. Keys that
        // exist are skipped by ON CONFLICT, one primary-key probe each: an anti-join against the table
        // being written here scans it once per row when its statistics call it empty (a first import).
        try await connection.query(
            """
            WITH removed AS (
                DELETE FROM school_name_keys k USING school_import i
                WHERE k.school_id = i.school_id AND NOT i.name_keys ? k.normalized_name
            )
            INSERT INTO school_name_keys (school_id, normalized_name)
            SELECT i.school_id, key FROM school_import i CROSS JOIN LATERAL jsonb_array_elements_text(i.name_keys) AS key
            ON CONFLICT DO NOTHING
            """, logger: logger)
        let counts = try await connection.query(
            """
            SELECT count(*) FILTER (WHERE change = 'inserted')::int8, count(*) FILTER (WHERE change = 'updated')::int8,
                   count(*) FILTER (WHERE change = 'unchanged')::int8, count(*) FILTER (WHERE change IS NULL)::int8
            FROM school_import
            """, logger: logger).firstRow()
        guard let (inserted, updated, unchanged, missing) = try counts?.decode((Int, Int, Int, Int).self), missing == 0 else {
            throw StoreError.corruptRow("schools upsert")
        }
        return ImportSummary(inserted: inserted, updated: updated, unchanged: unchanged)
    }

    /// Upserts one location of school `schoolId`; returns whether anything was written.
    private static func upsertLocation(_ location: NewSchoolLocation, schoolId: UUID, actor: RecordedBy,
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
