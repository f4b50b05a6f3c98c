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
        var binds = PostgresBindings()
        binds.append(from.startInstant())
        binds.append(to.startInstant())
        if let codes { binds.append(codes) } else { binds.appendNull() }
        binds.append(now)
        binds.append(norms.triageWorkingDays)
        binds.append(norms.conclusionWorkingDays)
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
        let sql = """
            WITH steps AS (  -- each signal's first triage and first conclusion up to $4, grouped once (not two probes per signal)
                SELECT t.signal_id, min(t.at) FILTER (WHERE t.to_status = 'triaged') AS triaged,
                       min(t.at) FILTER (WHERE t.to_status IN ('substantiated', 'unfounded', 'inconclusive')) AS concluded
                FROM signal_transitions t
                WHERE t.at <= $4 AND t.to_status IN ('triaged', 'substantiated', 'unfounded', 'inconclusive')
                GROUP BY t.signal_id
            ), s AS (
                SELECT \(key) AS key, f.received_at, steps.triaged, steps.concluded
                FROM fraud_signals f JOIN municipalities m ON m.code = f.municipality_code
                LEFT JOIN steps ON steps.signal_id = f.id
                WHERE f.received_at >= $1 AND f.received_at < $2 AND f.duplicate_of IS NULL
                  AND ($3::text[] IS NULL OR f.municipality_code = ANY($3::text[]))
            ), spans AS (
                SELECT s.key,
                       \(micros("s.received_at", "s.triaged")) AS triage, \(days("r", "t")) AS triage_days,
                       \(micros("s.triaged", "s.concluded")) AS conclusion, \(days("t", "c")) AS conclusion_days,
                       \(micros("s.received_at", "s.concluded")) AS total, \(days("r", "c")) AS total_days,
                       s.received_at <= $4 AND s.triaged IS NULL AND \(days("r", "n")) > $5 AS past_triage,
                       s.received_at <= $4 AND s.concluded IS NULL AND \(days("r", "n")) > $6 AS past_conclusion
                FROM s
                LEFT JOIN dutch_working_days r ON r.day = \(amsterdam("s.received_at"))
                LEFT JOIN dutch_working_days t ON t.day = \(amsterdam("s.triaged"))
                LEFT JOIN dutch_working_days c ON c.day = \(amsterdam("s.concluded"))
                LEFT JOIN dutch_working_days n ON n.day = \(amsterdam("$4::timestamptz"))
            )
            SELECT key, count(*), \(ranks("triage")), \(ranks("conclusion")), \(ranks("total")),
                   count(*) FILTER (WHERE past_triage), count(*) FILTER (WHERE past_conclusion)
            FROM spans GROUP BY key ORDER BY key COLLATE "C"
            """
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        var groups: [ResponseTimeGroup] = []
        for try await row in rows {
            let c = try row.decode((String, Int, Int, Int?, Int?, Int64?, Int64?, Int, Int?, Int?, Int64?, Int64?,
                                    Int, Int?, Int?, Int64?, Int64?, Int, Int).self)
            func hours(_ micros: Int64?) -> Double? { micros.map { Double($0) / 3_600_000_000 } }
            groups.append(ResponseTimeGroup(
                key: c.0, signals: c.1,
                receivedToTriaged: DurationSummary(count: c.2, medianWorkingDays: c.3, p90WorkingDays: c.4, medianHours: hours(c.5), p90Hours: hours(c.6)),
                triagedToConcluded: DurationSummary(count: c.7, medianWorkingDays: c.8, p90WorkingDays: c.9, medianHours: hours(c.10), p90Hours: hours(c.11)),
                receivedToConcluded: DurationSummary(count: c.12, medianWorkingDays: c.13, p90WorkingDays: c.14, medianHours: hours(c.15), p90Hours: hours(c.16)),
                openPastTriageNorm: c.17, openPastConclusionNorm: c.18))
        }
        return groups
    }
}
