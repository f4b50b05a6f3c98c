public import DubbelslotCore
public import Foundation
import PostgresNIO

extension SignalRepository {
    /// The moments of each signal received in `[from, to)`, dates in Europe/Amsterdam, for Core's
    /// ``ResponseTimes`` (issue 3, "Response times").
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

    /// The response-time figures of signals received in `[from, to)`, per group, as of `now`: Core's
    /// ``ResponseTimes/groups(_:groupBy:now:norms:)`` over ``timelines(receivedFrom:to:)``.
    ///
    /// - Parameters:
    ///   - now: the moment the figures are of (the caller's clock); transitions after it count as not made.
    ///   - norms: working-day norms for "open past the norm". Defaults to 10 (triage) and 65 (conclusion).
    public func responseTimes(from: LocalDate, to: LocalDate, groupBy: ResponseTimeGrouping, now: Date,
                              norms: ResponseTimeNorms = ResponseTimeNorms()) async throws -> [ResponseTimeGroup] {
        ResponseTimes.groups(try await timelines(receivedFrom: from, to: to), groupBy: groupBy, now: now, norms: norms)
    }
}
