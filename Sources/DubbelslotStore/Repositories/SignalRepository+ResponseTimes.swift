public import DubbelslotCore
public import Foundation
import PostgresNIO

extension SignalRepository {
    /// The moments of each signal received in `[from, to)`, dates in Europe/Amsterdam, for Core's
    /// ``ResponseTimes`` (docs/decisions/0010-response-times-in-dutch-working-days.md).
    ///
    /// One query: the reporting municipality's province and labour-market region, the first transition
    /// to `triaged` and the first to a concluded status (`substantiated`, `unfounded`, `inconclusive`).
    /// Duplicates (`duplicate_of` set) are left out: their handling is the original's.
    /// - Parameters:
    ///   - from: first received date, included.
    ///   - to: end date, excluded (half-open, like every range of the API).
    /// - Returns: ordered by received instant, then id; empty when `to <= from`.
    public func timelines(receivedFrom from: LocalDate, to: LocalDate, visible: MunicipalityScope = .all) async throws -> [SignalTimeline] {
        guard to > from else { return [] }
        let codes = visible.codeTexts
        let rows = try await client.query(
            """
            SELECT f.id, f.municipality_code, m.province_code, m.labour_market_region, f.category, f.received_at,
                   (SELECT min(t.at) FROM signal_transitions t WHERE t.signal_id = f.id AND t.to_status = 'triaged'),
                   (SELECT min(t.at) FROM signal_transitions t
                    WHERE t.signal_id = f.id AND t.to_status IN ('substantiated', 'unfounded', 'inconclusive'))
            FROM fraud_signals f JOIN municipalities m ON m.code = f.municipality_code
            WHERE f.received_at >= \(from.startInstant()) AND f.received_at < \(to.startInstant())
              AND f.duplicate_of IS NULL
              AND (\(codes)::text[] IS NULL OR f.municipality_code = ANY(\(codes)::text[]))
            ORDER BY f.received_at, f.id
            """, logger: logger)
        var result: [SignalTimeline] = []
        for try await (id, municipality, province, region, category, receivedAt, triagedAt, concludedAt)
            in rows.decode((UUID, String, String, String?, String, Date, Date?, Date?).self) {
            result.append(SignalTimeline(
                signalId: id,
                municipalityCode: try parse(municipality, MunicipalityCode.init, column: "fraud_signals.municipality_code"),
                provinceCode: try parse(province, ProvinceCode.init, column: "municipalities.province_code"),
                labourMarketRegion: region,
                category: try parse(category, SignalCategory.init(rawValue:), column: "fraud_signals.category"),
                receivedAt: receivedAt, triagedAt: triagedAt, concludedAt: concludedAt))
        }
        return result
    }

    /// The response-time figures of signals received in `[from, to)`, per group, as of `now`, grouped by
    /// PostgreSQL: the figures of Core's ``ResponseTimes/groups(_:groupBy:now:norms:)`` over
    /// ``timelines(receivedFrom:to:visible:)``, without sending every signal to the service (a test
    /// holds the two equal on random histories).
    ///
    /// Working days come from the calendar table `dutch_working_days` (sql/0034, Core's
    /// ``DutchCalendar``); percentiles by nearest rank in integers, `⌈p·n/100⌉`, as
    /// ``ResponseTimes/nearestRank(_:percent:)`` (PostgreSQL's `percentile_disc` multiplies in floating
    /// point: 0.9 × 70 is 63.000000000000007 there, rank 64 instead of 63). Hours are whole microseconds
    /// divided in the service.
    ///
    /// - Parameters:
    ///   - from: first received date, included; `to`: end date, excluded.
    ///   - now: the moment the figures are of; transitions after it count as not made.
    ///   - norms: working-day norms for "open past the norm".
    ///   - visible: the municipalities whose signals count.
    /// - Returns: one group per key, ordered by key; empty when `to <= from`.
    public func responseTimes(from: LocalDate, to: LocalDate, groupBy: ResponseTimeGrouping, now: Date,
                              norms: ResponseTimeNorms = ResponseTimeNorms(), visible: MunicipalityScope = .all) async throws -> [ResponseTimeGroup] {
        guard to > from else { return [] }
        let codes = visible.codeTexts
        let key: String =
            switch groupBy {
            case .municipality: "f.municipality_code"
            case .category: "f.category"
            case .region: "coalesce(m.labour_market_region, m.province_code)"
            }
        // The reference list is joined only for the key that needs it (every signal's municipality is in it).
        let join = groupBy == .region ? "JOIN municipalities m ON m.code = f.municipality_code" : ""
        var binds = PostgresBindings()
        binds.append(from.startInstant())
        binds.append(to.startInstant())
        if let codes { binds.append(codes) } else { binds.appendNull() }
        binds.append(now)
        binds.append(norms.triageWorkingDays)
        binds.append(norms.conclusionWorkingDays)
        let scope = """
            WHERE f.received_at >= $1 AND f.received_at < $2 AND f.duplicate_of IS NULL
              AND ($3::text[] IS NULL OR f.municipality_code = ANY($3::text[]))
            """
        let steps = """
            steps AS (  -- each signal's first triage and first conclusion up to $4, grouped once (not two probes per signal)
                SELECT t.signal_id, min(t.at) FILTER (WHERE t.to_status = 'triaged') AS triaged,
                       min(t.at) FILTER (WHERE t.to_status IN ('substantiated', 'unfounded', 'inconclusive')) AS concluded
                FROM signal_transitions t
                WHERE t.at <= $4 AND t.to_status IN ('triaged', 'substantiated', 'unfounded', 'inconclusive')
                GROUP BY t.signal_id
            )
            """
        // "More than N working days old" is "received before the first day whose ordinal is at least
        // today's less N" (ordinals never decrease): one day worked out once, where joining the
        // calendar for each of a million signals took a second. NULL, so nothing counts, when today
        // lies outside the calendar table; days before it never count, as their ordinal is unknown.
        func receivedBeforeNorm(_ norm: String) -> String {
            """
            f.received_on >= (SELECT min(day) FROM dutch_working_days)
            AND f.received_on < (SELECT min(d.day) FROM dutch_working_days d
                                 WHERE d.ordinal >= (SELECT n.ordinal - \(norm) FROM dutch_working_days n
                                                     WHERE n.day = ($4::timestamptz AT TIME ZONE 'Europe/Amsterdam')::date))
            """
        }
        // Each span in working days is the difference of two days' ordinals in the calendar table, joined
        // (a function per row was not inlined: 2 s per 100,000 signals); NULL when either end is.
        func amsterdam(_ instant: String) -> String { "(\(instant) AT TIME ZONE 'Europe/Amsterdam')::date" }
        func days(_ a: String, _ b: String) -> String { "(CASE WHEN \(b).ordinal < \(a).ordinal THEN 0 ELSE \(b).ordinal - \(a).ordinal END)" }
        // Whole microseconds; negative spans (bad data) count 0; NULL when either end is NULL.
        func micros(_ a: String, _ b: String) -> String { "(CASE WHEN \(b) < \(a) THEN 0 ELSE (extract(epoch FROM (\(b) - \(a))) * 1000000)::bigint END)" }
        func ranks(_ column: String) -> String {
            """
            count(\(column)), (array_agg(\(column)_days ORDER BY \(column)_days) FILTER (WHERE \(column) IS NOT NULL))[(50 * count(\(column)) + 99) / 100],
            (array_agg(\(column)_days ORDER BY \(column)_days) FILTER (WHERE \(column) IS NOT NULL))[(90 * count(\(column)) + 99) / 100],
            (array_agg(\(column) ORDER BY \(column)) FILTER (WHERE \(column) IS NOT NULL))[(50 * count(\(column)) + 99) / 100],
            (array_agg(\(column) ORDER BY \(column)) FILTER (WHERE \(column) IS NOT NULL))[(90 * count(\(column)) + 99) / 100]
            """
        }
        // Two statements in one snapshot: counts over every signal (a hashed pass, no calendar join), in
        // key order, and the spans of the signals that took a step, the only ones whose days are looked up
        // and sorted. At 1,000× volume the one statement over every signal took 2 s; these take 0.6 s.
        // Each groups the transitions (`steps`) itself: a read-only transaction cannot keep them in a
        // temporary table, and the benchmark's signals have few transitions; with a step for every
        // signal that grouping is done twice.
        let counts = """
            WITH \(steps)
            SELECT \(key) AS key, count(*),
                   count(*) FILTER (WHERE f.received_at <= $4 AND steps.triaged IS NULL AND \(receivedBeforeNorm("$5::int"))),
                   count(*) FILTER (WHERE f.received_at <= $4 AND steps.concluded IS NULL AND \(receivedBeforeNorm("$6::int")))
            FROM fraud_signals f \(join) LEFT JOIN steps ON steps.signal_id = f.id
            \(scope)
            GROUP BY 1 ORDER BY \(key) COLLATE "C"
            """
        let spans = """
            WITH \(steps), s AS (
                SELECT \(key) AS key, f.received_at, f.received_on, steps.triaged, steps.concluded
                FROM steps JOIN fraud_signals f ON f.id = steps.signal_id \(join)
                \(scope)
            ), spans AS (
                SELECT s.key,
                       \(micros("s.received_at", "s.triaged")) AS triage, \(days("r", "t")) AS triage_days,
                       \(micros("s.triaged", "s.concluded")) AS conclusion, \(days("t", "c")) AS conclusion_days,
                       \(micros("s.received_at", "s.concluded")) AS total, \(days("r", "c")) AS total_days
                FROM s
                LEFT JOIN dutch_working_days r ON r.day = s.received_on
                LEFT JOIN dutch_working_days t ON t.day = \(amsterdam("s.triaged"))
                LEFT JOIN dutch_working_days c ON c.day = \(amsterdam("s.concluded"))
            )
            SELECT key, \(ranks("triage")), \(ranks("conclusion")), \(ranks("total"))
            FROM spans GROUP BY key
            """
        typealias Spans = (DurationSummary, DurationSummary, DurationSummary)
        var figures: [(key: String, signals: Int, pastTriage: Int, pastConclusion: Int)] = []
        var spansByKey: [String: Spans] = [:]
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            // Room for the spans' sorts: with the default 4 MB they spill to disk at volume.
            try await connection.query("SET LOCAL work_mem = '64MB'", logger: logger)
            for try await (key, signals, pastTriage, pastConclusion) in try await connection.query(
                PostgresQuery(unsafeSQL: counts, binds: binds), logger: logger).decode((String, Int, Int, Int).self) {
                figures.append((key, signals, pastTriage, pastConclusion))
            }
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: spans, binds: binds), logger: logger) {
                let c = try row.decode((String, Int, Int?, Int?, Int64?, Int64?, Int, Int?, Int?, Int64?, Int64?,
                                        Int, Int?, Int?, Int64?, Int64?).self)
                func hours(_ micros: Int64?) -> Double? { micros.map { Double($0) / 3_600_000_000 } }
                spansByKey[c.0] = (
                    DurationSummary(count: c.1, medianWorkingDays: c.2, p90WorkingDays: c.3, medianHours: hours(c.4), p90Hours: hours(c.5)),
                    DurationSummary(count: c.6, medianWorkingDays: c.7, p90WorkingDays: c.8, medianHours: hours(c.9), p90Hours: hours(c.10)),
                    DurationSummary(count: c.11, medianWorkingDays: c.12, p90WorkingDays: c.13, medianHours: hours(c.14), p90Hours: hours(c.15)))
            }
        }
        let none = DurationSummary(count: 0, medianWorkingDays: nil, p90WorkingDays: nil, medianHours: nil, p90Hours: nil)
        let groups = figures.map { f in
            let s = spansByKey[f.key] ?? (none, none, none)
            return ResponseTimeGroup(key: f.key, signals: f.signals, receivedToTriaged: s.0, triagedToConcluded: s.1, receivedToConcluded: s.2,
                                     openPastTriageNorm: f.pastTriage, openPastConclusionNorm: f.pastConclusion)
        }
        return groups
    }
}
