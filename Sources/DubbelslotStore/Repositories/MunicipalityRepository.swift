public import DubbelslotCore
public import Logging
public import PostgresNIO

/// Municipalities (gemeenten): reference data from CBS, upserted by code.
public struct MunicipalityRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Usually reached through ``Store``; the client must be running.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Every municipality, ordered by code (`GM0003` first).
    public func list() async throws -> [Municipality] {
        let rows = try await client.query(
            """
            SELECT code, name, province_code, province_name, labour_market_region
            FROM municipalities ORDER BY code
            """, logger: logger)
        var result: [Municipality] = []
        for try await row in rows { result.append(try Self.municipality(row)) }
        return result
    }

    /// The municipality with `code`, or `nil` when there is none.
    public func get(_ code: MunicipalityCode) async throws -> Municipality? {
        let rows = try await client.query(
            """
            SELECT code, name, province_code, province_name, labour_market_region
            FROM municipalities WHERE code = \(code.rawValue)
            """, logger: logger)
        return try await rows.firstRow().map(Self.municipality)
    }

    /// The municipalities of `code`'s labour-market region, `code` included; only `code` when its
    /// region is not known (``AccessScope/ownRegion``). An unknown code gives just that code.
    public func sameRegion(as code: MunicipalityCode) async throws -> Set<MunicipalityCode> {
        let rows = try await client.query(
            """
            SELECT o.code FROM municipalities m JOIN municipalities o ON o.labour_market_region = m.labour_market_region
            WHERE m.code = \(code.rawValue) AND m.labour_market_region IS NOT NULL
            """, logger: logger)
        var result: Set<MunicipalityCode> = [code]
        for try await text in rows.decode(String.self) {
            result.insert(try parse(text, MunicipalityCode.init, column: "municipalities.code"))
        }
        return result
    }

    /// Inserts new municipalities and updates changed ones, by code, in one transaction.
    ///
    /// A row that is already equal is left alone (its `recorded_at` and `recorded_by` stay).
    /// Municipalities missing from `items` are kept: codes end when municipalities merge, but
    /// schools and signals keep referring to them.
    /// - Returns: counts of inserted, updated and unchanged items.
    /// An item listed twice counts once as written and once as unchanged.
    /// - Throws: database errors as they come; nothing is written when one is thrown.
    public func upsert(_ items: [Municipality], actor: RecordedBy) async throws -> ImportSummary {
        try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                var summary = ImportSummary()
                for m in items {
                    // xmax = 0 only for a freshly inserted row; an unchanged row is filtered by the
                    // WHERE of DO UPDATE and returns nothing.
                    let rows = try await connection.query(
                        """
                        INSERT INTO municipalities (code, name, province_code, province_name, labour_market_region, recorded_by)
                        VALUES (\(m.code.rawValue), \(m.name), \(m.provinceCode.rawValue), \(m.provinceName),
                                \(m.labourMarketRegion)::text, \(actor))
                        ON CONFLICT (code) DO UPDATE SET
                            name = excluded.name, province_code = excluded.province_code,
                            province_name = excluded.province_name,
                            labour_market_region = excluded.labour_market_region,
                            recorded_at = now(), recorded_by = excluded.recorded_by
                        WHERE (municipalities.name, municipalities.province_code, municipalities.province_name,
                               municipalities.labour_market_region)
                              IS DISTINCT FROM
                              (excluded.name, excluded.province_code, excluded.province_name, excluded.labour_market_region)
                        RETURNING (xmax = 0)
                        """, logger: logger)
                    switch try await rows.firstRow()?.decode(Bool.self) {
                    case true?: summary.inserted += 1
                    case false?: summary.updated += 1
                    case nil: summary.unchanged += 1
                    }
                }
                try await AuditLog.append(on: connection, actor: actor, action: "municipality.import", subject: "municipalities",
                                          details: summary.auditDetails, logger: logger)
                return summary
            }
        }
    }

    static func municipality(_ row: PostgresRow) throws -> Municipality {
        let (code, name, provinceCode, provinceName, region) =
            try row.decode((String, String, String, String, String?).self)
        return Municipality(
            code: try parse(code, MunicipalityCode.init, column: "municipalities.code"),
            name: name,
            provinceCode: try parse(provinceCode, ProvinceCode.init, column: "municipalities.province_code"),
            provinceName: provinceName,
            labourMarketRegion: region)
    }
}
