public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// Schools (taalscholen) and their locations (vestigingen).
public struct SchoolRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Usually reached through ``Store``; the client must be running.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Records a school with its locations, in one transaction.
    ///
    /// Also writes the school's normalised names to `school_name_keys`, for signal matching.
    /// - Returns: the school as stored, locations ordered by vestigingsnummer (those without last),
    ///   then address.
    /// - Throws: ``StoreError/duplicate(field:)`` with `kvkNumber` when a school with that KvK
    ///   number exists, or `vestigingsnummer` when a location number is taken;
    ///   ``StoreError/unknownReference(field:)`` with `municipalityCode` for an unknown municipality.
    public func create(_ school: NewSchool, actor: RecordedBy) async throws -> School {
        try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    INSERT INTO schools (name, trade_names, kvk_number, municipality_code, routes, is_fictional, recorded_by)
                    VALUES (\(school.name), \(school.tradeNames), \(school.kvkNumber.rawValue),
                            \(school.municipalityCode.rawValue), \(school.routes.sortedRawValues),
                            \(school.isFictional), \(actor))
                    RETURNING id
                    """, logger: logger)
                guard let id = try await rows.firstRow()?.decode(UUID.self) else { throw StoreError.notFound }
                // The names signals are matched by, normalised in Swift
                // (docs/decisions/0009-matching-signals-to-schools.md).
                try await Self.writeNameKeys(schoolId: id, name: school.name, tradeNames: school.tradeNames, on: connection, logger: logger)
                for location in school.locations {
                    try await connection.query(
                        """
                        INSERT INTO school_locations (school_id, vestigingsnummer, municipality_code, address, recorded_by)
                        VALUES (\(id), \(location.vestigingsnummer?.rawValue)::text,
                                \(location.municipalityCode.rawValue), \(location.address), \(actor))
                        """, logger: logger)
                }
                guard let stored = try await Self.schools(ids: [id], on: connection, logger: logger).first else {
                    throw StoreError.notFound
                }
                try await AuditLog.append(on: connection, actor: actor, action: "school.create", subject: "school:\(id.uuidString.lowercased())",
                                          details: ["locations": String(school.locations.count)], logger: logger)
                return stored
            }
        }
    }

    /// The school with `id` and its locations, or `nil` when there is none.
    public func get(_ id: UUID) async throws -> School? {
        try await client.withConnection { connection in
            try await Self.schools(ids: [id], on: connection, logger: logger).first
        }
    }

    /// The schools with `ids` that exist, with their locations, by name.
    public func get(ids: [UUID]) async throws -> [School] {
        guard !ids.isEmpty else { return [] }
        return try await client.withConnection { connection in
            try await Self.schools(ids: ids, on: connection, logger: logger)
        }
    }

    /// Schools with their seat or a location in `municipality`, or in another municipality of the same province.
    ///
    /// Those in `municipality` itself come first; within each group ordered by `(name, id)`.
    /// - Returns: an empty list for an unknown municipality.
    public func inProvince(of municipality: MunicipalityCode) async throws -> [School] {
        try await client.withConnection { connection in
            let rows = try await connection.query(
                """
                WITH area AS (
                    SELECT a.code FROM municipalities a
                    JOIN municipalities m ON m.province_code = a.province_code
                    WHERE m.code = \(municipality.rawValue)
                )
                SELECT \(unescaped: Self.columns)
                FROM schools s
                WHERE s.municipality_code IN (SELECT code FROM area)
                   OR EXISTS (SELECT 1 FROM school_locations l
                              WHERE l.school_id = s.id AND l.municipality_code IN (SELECT code FROM area))
                ORDER BY (s.municipality_code = \(municipality.rawValue)
                          OR EXISTS (SELECT 1 FROM school_locations l
                                     WHERE l.school_id = s.id AND l.municipality_code = \(municipality.rawValue))) DESC,
                         s.name, s.id
                """, logger: logger)
            return try await Self.schools(from: rows, on: connection, logger: logger)
        }
    }

    // MARK: Rows to schools

    /// The `schools` columns every school query selects, in the order ``schools(from:on:logger:)`` decodes.
    static let columns = "s.id, s.name, s.trade_names, s.kvk_number, s.municipality_code, s.routes, s.is_fictional, s.recorded_at"

    /// The schools with `ids` (in no particular order), with their locations.
    static func schools(ids: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> [School] {
        let rows = try await connection.query(
            "SELECT \(unescaped: columns) FROM schools s WHERE s.id = ANY(\(ids)) ORDER BY s.name, s.id", logger: logger)
        return try await schools(from: rows, on: connection, logger: logger)
    }

    /// Turns rows of ``columns`` into schools, keeping their order, and loads their locations in one more query.
    static func schools(from rows: PostgresRowSequence, on connection: PostgresConnection, logger: Logger) async throws -> [School] {
        typealias SchoolRow = (UUID, String, [String], String, String, [String], Bool, Date)
        var schoolRows: [SchoolRow] = []
        for try await row in rows.decode(SchoolRow.self) { schoolRows.append(row) }
        guard !schoolRows.isEmpty else { return [] }
        let locations = try await locations(schoolIds: schoolRows.map(\.0), on: connection, logger: logger)
        return try schoolRows.map { id, name, tradeNames, kvk, municipality, routes, isFictional, recordedAt in
            School(
                id: id, name: name, tradeNames: tradeNames,
                kvkNumber: try parse(kvk, KvKNumber.init, column: "schools.kvk_number"),
                municipalityCode: try parse(municipality, MunicipalityCode.init, column: "schools.municipality_code"),
                routes: try parseRoutes(routes, column: "schools.routes"),
                isFictional: isFictional, locations: locations[id] ?? [], recordedAt: recordedAt)
        }
    }

    /// The locations of the given schools, by school, each list ordered by vestigingsnummer (nulls last), address, id.
    static func locations(schoolIds: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> [UUID: [SchoolLocation]] {
        let rows = try await connection.query(
            """
            SELECT school_id, id, vestigingsnummer, municipality_code, address
            FROM school_locations WHERE school_id = ANY(\(schoolIds))
            ORDER BY school_id, vestigingsnummer NULLS LAST, address, id
            """, logger: logger)
        var result: [UUID: [SchoolLocation]] = [:]
        for try await (schoolId, id, number, municipality, address) in rows.decode((UUID, UUID, String?, String, String).self) {
            result[schoolId, default: []].append(SchoolLocation(
                id: id,
                vestigingsnummer: try parseIfPresent(number, Vestigingsnummer.init, column: "school_locations.vestigingsnummer"),
                municipalityCode: try parse(municipality, MunicipalityCode.init, column: "school_locations.municipality_code"),
                address: address))
        }
        return result
    }
}
