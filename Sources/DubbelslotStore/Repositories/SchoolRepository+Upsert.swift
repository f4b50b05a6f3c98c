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
        try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                var summary = ImportSummary()
                for school in schools {
                    let (id, schoolChange) = try await Self.upsertRow(school, actor: actor, on: connection, logger: logger)
                    // Also for unchanged schools: keys missing since before 0019 are filled in passing.
                    try await Self.writeNameKeys(schoolId: id, name: school.name, tradeNames: school.tradeNames, on: connection, logger: logger)
                    var locationsChanged = false
                    for location in school.locations {
                        let changed = try await Self.upsertLocation(location, schoolId: id, actor: actor, on: connection, logger: logger)
                        locationsChanged = locationsChanged || changed
                    }
                    switch schoolChange {
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

    private enum RowChange { case inserted, updated, unchanged }

    /// Upserts the `schools` row; returns its id and what happened to it.
    private static func upsertRow(_ school: NewSchool, actor: Actor, on connection: PostgresConnection,
                                  logger: Logger) async throws -> (UUID, RowChange) {
        let rows = try await connection.query(
            """
            INSERT INTO schools (name, trade_names, kvk_number, municipality_code, routes, is_fictional, recorded_by)
            VALUES (\(school.name), \(school.tradeNames), \(school.kvkNumber.rawValue),
                    \(school.municipalityCode.rawValue), \(school.routes.sortedRawValues), \(school.isFictional), \(actor))
            ON CONFLICT (kvk_number) DO UPDATE SET
                name = excluded.name, trade_names = excluded.trade_names,
                municipality_code = excluded.municipality_code, routes = excluded.routes,
                is_fictional = excluded.is_fictional, recorded_at = now(), recorded_by = excluded.recorded_by
            WHERE (schools.name, schools.trade_names, schools.municipality_code, schools.routes, schools.is_fictional)
                  IS DISTINCT FROM
                  (excluded.name, excluded.trade_names, excluded.municipality_code, excluded.routes, excluded.is_fictional)
            RETURNING id, (xmax = 0)
            """, logger: logger)
        if let (id, inserted) = try await rows.firstRow()?.decode((UUID, Bool).self) {
            return (id, inserted ? .inserted : .updated)
        }
        let existing = try await connection.query(
            "SELECT id FROM schools WHERE kvk_number = \(school.kvkNumber.rawValue)", logger: logger)
        guard let id = try await existing.firstRow()?.decode(UUID.self) else { throw StoreError.notFound }
        return (id, .unchanged)
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
