public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// Which municipalities a report covers: all, or one province, labour-market region or municipality
/// (combined with AND). Applied to a school's seat, or to a signal's reporting municipality.
public struct AreaFilter: Sendable, Hashable {
    /// Only this province (`PVnn`); `nil` for any.
    public var province: ProvinceCode?
    /// `AMnn`.
    public var region: String?
    /// Only this municipality (`GMnnnn`); `nil` for any.
    public var municipality: MunicipalityCode?

    /// A filter; with no arguments it covers every municipality.
    public init(province: ProvinceCode? = nil, region: String? = nil, municipality: MunicipalityCode? = nil) {
        self.province = province
        self.region = region
        self.municipality = municipality
    }
}

/// Figures across schools and municipalities for the inspectorate's risk report
/// (docs/decisions/0017-risk-report-as-an-api-client.md). Every query groups in PostgreSQL, so a report over ten
/// years of signals moves counts, not rows.
public struct ReportRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A repository on `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The schools seated in the area, by name.
    public func schools(in area: AreaFilter) async throws -> [School] {
        try await client.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: SchoolRepository.columns) FROM schools s JOIN municipalities m ON m.code = s.municipality_code
                WHERE (\(area.province?.rawValue)::text IS NULL OR m.province_code = \(area.province?.rawValue)::text)
                  AND (\(area.region)::text IS NULL OR m.labour_market_region = \(area.region)::text)
                  AND (\(area.municipality?.rawValue)::text IS NULL OR m.code = \(area.municipality?.rawValue)::text)
                ORDER BY s.name, s.id
                """, logger: logger)
            return try await SchoolRepository.schools(from: rows, on: connection, logger: logger)
        }
    }

    /// One school reported by several municipalities.
    public struct CrossMunicipality: Sendable, Hashable {
        /// The school reported.
        public let schoolId: UUID
        /// The reporting municipalities, at least two, in code order.
        public let municipalities: [MunicipalityCode]
        /// Signals about the school in the period (duplicates left out).
        public let signals: Int
        /// Those signals per category.
        public let categories: [SignalCategory: Int]
        /// Those signals per status.
        public let statuses: [SignalStatus: Int]
    }

    /// How many signals of one category fall in one group: a quarter or an area.
    public struct CategoryCount: Sendable, Hashable {
        /// The signals' category.
        public var category: SignalCategory
        /// The group: a quarter `YYYY-Qn` (Europe/Amsterdam) in ``SignalStatistics/byCategoryQuarter``;
        /// in ``SignalStatistics/byCategoryArea`` a province `PVnn`, or a labour-market region `AMnn`
        /// and `unknown` for municipalities without one.
        public var key: String
        /// Signals, at least 1 (groups without signals are left out).
        public var count: Int

        /// A count as grouped.
        public init(category: SignalCategory, key: String, count: Int) {
            self.category = category
            self.key = key
            self.count = count
        }
    }

    /// Signal counts of `[from, to)` (received, Europe/Amsterdam) reported by municipalities in `area`,
    /// duplicates left out.
    public struct SignalStatistics: Sendable, Hashable {
        /// Signals in the period and area.
        public var signals = 0
        /// Schools reported by more than one municipality.
        public var acrossMunicipalities: [CrossMunicipality] = []
        /// Per category and quarter (`YYYY-Qn`), ordered by quarter, then category.
        public var byCategoryQuarter: [CategoryCount] = []
        /// Per category and area (province `PVnn`, or region `AMnn`/`unknown`), ordered by area, then category.
        public var byCategoryArea: [CategoryCount] = []
    }

    /// The quarters (Europe/Amsterdam) that `[from, to)` touches: the instant each starts and its label
    /// `YYYY-Qn`, in order.
    static func quarterStarts(from: LocalDate, to: LocalDate) -> [(start: Date, label: String)] {
        var result: [(start: Date, label: String)] = []
        var (year, quarter) = (from.year, (from.month - 1) / 3 + 1)
        while true {
            guard let first = LocalDate(year: year, month: (quarter - 1) * 3 + 1, day: 1), first < to else { break }
            result.append((first.startInstant(), "\(year)-Q\(quarter)"))
            (year, quarter) = quarter == 4 ? (year + 1, 1) : (year, quarter + 1)
        }
        return result
    }

    /// Signal counts of `[from, to)` (days received, Europe/Amsterdam) reported by municipalities in `area`, in one
    /// read-only, repeatable-read transaction, so the figures agree with one another.
    ///
    /// - Parameters:
    ///   - from: first day, included.
    ///   - to: first day not included; nothing is counted unless it is after `from`.
    ///   - byRegion: group ``SignalStatistics/byCategoryArea`` by labour-market region (`AMnn`, `unknown`) instead of province.
    /// - Throws: ``StoreError/corruptRow(_:)`` when a stored category or tally cannot be read; a database error.
    public func signalStatistics(from: LocalDate, to: LocalDate, area: AreaFilter, byRegion: Bool) async throws -> SignalStatistics {
        var result = SignalStatistics()
        guard to > from else { return result }
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            // Room for the groupings' hash tables: with the default 4 MB they spill to disk at volume.
            try await connection.query("SET LOCAL work_mem = '64MB'", logger: logger)
            let scope = """
                FROM fraud_signals f JOIN municipalities m ON m.code = f.municipality_code
                WHERE f.received_at >= $1 AND f.received_at < $2 AND f.duplicate_of IS NULL
                  AND ($3::text IS NULL OR m.province_code = $3::text) AND ($4::text IS NULL OR m.labour_market_region = $4::text)
                  AND ($5::text IS NULL OR m.code = $5::text)
                """
            var binds = PostgresBindings()
            binds.append(from.startInstant())
            binds.append(to.startInstant())
            binds.append(area.province?.rawValue)
            binds.append(area.region)
            binds.append(area.municipality?.rawValue)
            // The count, category × quarter and category × area in one pass over the signals (grouping
            // sets). A quarter is found by the instants its Amsterdam days start at (width_bucket): turning
            // every signal's instant into an Amsterdam quarter took 2 s of the 5 s at 1,000× volume.
            let quarters = Self.quarterStarts(from: from, to: to)
            var grouped = binds
            grouped.append(quarters.map(\.start))
            let areaKey = byRegion ? "coalesce(m.labour_market_region, 'unknown')" : "m.province_code"
            let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT f.category, width_bucket(f.received_at, $6::timestamptz[]) AS q, \(areaKey) AS a, count(*)::int,
                       GROUPING(f.category)::int, GROUPING(width_bucket(f.received_at, $6::timestamptz[]))::int
                \(scope)
                GROUP BY GROUPING SETS ((), (f.category, width_bucket(f.received_at, $6::timestamptz[])), (f.category, \(areaKey)))
                ORDER BY 2 NULLS FIRST, 3 NULLS FIRST, 1 NULLS FIRST
                """, binds: grouped), logger: logger)
            for try await (category, bucket, key, count, noCategory, noQuarter) in rows.decode((String?, Int?, String?, Int, Int, Int).self) {
                if noCategory == 1 { result.signals = count; continue }
                let c = try parse(category ?? "", SignalCategory.init(rawValue:), column: "fraud_signals.category")
                if noQuarter == 0 {
                    guard let bucket, quarters.indices.contains(bucket - 1) else { throw StoreError.corruptRow("signal statistics: quarter") }
                    result.byCategoryQuarter.append(CategoryCount(category: c, key: quarters[bucket - 1].label, count: count))
                } else {
                    result.byCategoryArea.append(CategoryCount(category: c, key: key ?? "unknown", count: count))
                }
            }
            // One pass over the signals with three groupings per school (municipality, category, status),
            // folded per school: the grouping bits say which row is which. The pass reads the index
            // fraud_signals_school_municipality_idx (sql/0041) in school and municipality order, so the
            // (school, municipality) grouping is counted as the rows come and only the two small ones are
            // hashed: 1.4 s at 1,000× volume, where hashing all three over the table took 2.0 s.
            // PostgreSQL's estimate prefers the table, so the table is ruled out for this statement; the
            // area is a list of codes, not a join, so that nothing comes between the index and the grouping.
            var codes: [String]?
            if area.province != nil || area.region != nil || area.municipality != nil {
                codes = []
                for try await code in try await connection.query("""
                    SELECT m.code FROM municipalities m
                    WHERE (\(area.province?.rawValue)::text IS NULL OR m.province_code = \(area.province?.rawValue)::text)
                      AND (\(area.region)::text IS NULL OR m.labour_market_region = \(area.region)::text)
                      AND (\(area.municipality?.rawValue)::text IS NULL OR m.code = \(area.municipality?.rawValue)::text)
                    """, logger: logger).decode(String.self) { codes?.append(code) }
            }
            var perSchool = PostgresBindings()
            perSchool.append(from.startInstant())
            perSchool.append(to.startInstant())
            if let codes { perSchool.append(codes) } else { perSchool.appendNull() }
            try await connection.query("SET LOCAL enable_seqscan = off", logger: logger)
            let crossRows = try await connection.query(PostgresQuery(unsafeSQL: """
                WITH g AS (
                    SELECT f.school_id, f.municipality_code, f.category, f.status, count(*)::int AS n,
                           GROUPING(f.municipality_code, f.category, f.status) AS grouped
                    FROM fraud_signals f
                    WHERE f.received_at >= $1 AND f.received_at < $2 AND f.duplicate_of IS NULL AND f.school_id IS NOT NULL
                      AND ($3::text[] IS NULL OR f.municipality_code = ANY($3::text[]))
                    GROUP BY GROUPING SETS ((f.school_id, f.municipality_code), (f.school_id, f.category), (f.school_id, f.status)))
                SELECT school_id,
                       array_agg(municipality_code ORDER BY municipality_code) FILTER (WHERE grouped = 3),
                       sum(n) FILTER (WHERE grouped = 3)::int,
                       array_agg(category || '=' || n ORDER BY category) FILTER (WHERE grouped = 5),
                       array_agg(status || '=' || n ORDER BY status) FILTER (WHERE grouped = 6)
                FROM g
                GROUP BY school_id
                HAVING count(*) FILTER (WHERE grouped = 3) >= 2
                ORDER BY count(*) FILTER (WHERE grouped = 3) DESC, 3 DESC, school_id
                """, binds: perSchool), logger: logger)
            for try await (schoolId, codes, count, categories, statuses) in crossRows.decode((UUID, [String], Int, [String], [String]).self) {
                func tally<K>(_ pairs: [String], _ make: (String) -> K?) throws -> [K: Int] {
                    var result: [K: Int] = [:]
                    for pair in pairs {
                        let parts = pair.split(separator: "=")
                        guard parts.count == 2, let key = make(String(parts[0])), let n = Int(parts[1]) else { throw StoreError.corruptRow("report tally") }
                        result[key] = n
                    }
                    return result
                }
                result.acrossMunicipalities.append(CrossMunicipality(
                    schoolId: schoolId, municipalities: try codes.map { try parse($0, MunicipalityCode.init, column: "fraud_signals.municipality_code") },
                    signals: count, categories: try tally(categories, SignalCategory.init(rawValue:)),
                    statuses: try tally(statuses, SignalStatus.init(rawValue:))))
            }
        }
        return result
    }

    /// A mark holder's last visits on or before a date.
    public struct VisitDates: Sendable, Hashable {
        /// The school.
        public let schoolId: UUID
        /// The last classroom supervision visit on or before the date; `nil` when none.
        public let lastClassroomVisit: LocalDate?
        /// The last visit of any kind on or before the date; `nil` when none.
        public let lastVisit: LocalDate?
    }

    /// Schools seated in `area` with a `granted*` decision in force on `date`, with their last
    /// classroom visit and last visit of any kind on or before it.
    public func markHolders(on date: LocalDate, area: AreaFilter) async throws -> [VisitDates] {
        let day = date.daysSinceEpoch
        let rows = try await client.query(
            """
            SELECT s.id,
                   (SELECT max(v.visited_on) - DATE '1970-01-01' FROM supervision_visits v
                    WHERE v.school_id = s.id AND v.kind = 'classroom' AND v.visited_on <= DATE '1970-01-01' + \(day)::int),
                   (SELECT max(v.visited_on) - DATE '1970-01-01' FROM supervision_visits v
                    WHERE v.school_id = s.id AND v.visited_on <= DATE '1970-01-01' + \(day)::int)
            FROM schools s JOIN municipalities m ON m.code = s.municipality_code
            WHERE EXISTS (SELECT 1 FROM quality_mark_decisions d WHERE d.school_id = s.id
                          AND d.status IN ('grantedFixedTerm', 'grantedIndefinite')
                          AND d.location_id IS NULL AND d.rectified_at IS NULL
                          AND d.valid_during @> (DATE '1970-01-01' + \(day)::int))
              AND (\(area.province?.rawValue)::text IS NULL OR m.province_code = \(area.province?.rawValue)::text)
              AND (\(area.region)::text IS NULL OR m.labour_market_region = \(area.region)::text)
              AND (\(area.municipality?.rawValue)::text IS NULL OR m.code = \(area.municipality?.rawValue)::text)
            ORDER BY s.name, s.id
            """, logger: logger)
        var result: [VisitDates] = []
        for try await (id, classroom, any) in rows.decode((UUID, Int?, Int?).self) {
            result.append(VisitDates(schoolId: id, lastClassroomVisit: classroom.map(LocalDate.init(daysSinceEpoch:)),
                                     lastVisit: any.map(LocalDate.init(daysSinceEpoch:))))
        }
        return result
    }

    /// A location of a school without any visit recorded at it.
    public struct UnvisitedLocation: Sendable, Hashable {
        /// The school the location belongs to.
        public let schoolId: UUID
        /// The location.
        public let locationId: UUID
        /// The CBS code of the location's municipality.
        public let municipalityCode: MunicipalityCode
        /// The location's address; `nil` when not recorded.
        public let address: String?
    }

    /// Locations lying in `area` (by the location's own municipality) where no visit was ever recorded, by school name.
    public func locationsNeverVisited(area: AreaFilter) async throws -> [UnvisitedLocation] {
        let rows = try await client.query(
            """
            SELECT l.school_id, l.id, l.municipality_code, l.address
            FROM school_locations l JOIN schools s ON s.id = l.school_id JOIN municipalities m ON m.code = l.municipality_code
            WHERE NOT EXISTS (SELECT 1 FROM supervision_visits v WHERE v.location_id = l.id)
              AND (\(area.province?.rawValue)::text IS NULL OR m.province_code = \(area.province?.rawValue)::text)
              AND (\(area.region)::text IS NULL OR m.labour_market_region = \(area.region)::text)
              AND (\(area.municipality?.rawValue)::text IS NULL OR m.code = \(area.municipality?.rawValue)::text)
            ORDER BY s.name, l.id
            """, logger: logger)
        var result: [UnvisitedLocation] = []
        for try await (school, location, code, address) in rows.decode((UUID, UUID, String, String?).self) {
            result.append(UnvisitedLocation(schoolId: school, locationId: location,
                                            municipalityCode: try parse(code, MunicipalityCode.init, column: "school_locations.municipality_code"),
                                            address: address))
        }
        return result
    }

    /// Decisions whose period starts in `[from, to)`, of schools seated in `area`, by start then school name.
    public func qualityMarkChanges(from: LocalDate, to: LocalDate, area: AreaFilter) async throws -> [QualityMarkDecision] {
        let rows = try await client.query(
            """
            SELECT \(unescaped: QualityMarkRepository.columns) FROM quality_mark_decisions d
            JOIN schools s ON s.id = d.school_id JOIN municipalities m ON m.code = s.municipality_code
            WHERE d.rectified_at IS NULL AND lower(d.valid_during) >= DATE '1970-01-01' + \(from.daysSinceEpoch)::int
              AND lower(d.valid_during) < DATE '1970-01-01' + \(to.daysSinceEpoch)::int
              AND (\(area.province?.rawValue)::text IS NULL OR m.province_code = \(area.province?.rawValue)::text)
              AND (\(area.region)::text IS NULL OR m.labour_market_region = \(area.region)::text)
              AND (\(area.municipality?.rawValue)::text IS NULL OR m.code = \(area.municipality?.rawValue)::text)
            ORDER BY lower(d.valid_during), s.name, d.id
            """, logger: logger)
        var result: [QualityMarkDecision] = []
        for try await row in rows { result.append(try QualityMarkRepository.decision(row)) }
        return result
    }
}
