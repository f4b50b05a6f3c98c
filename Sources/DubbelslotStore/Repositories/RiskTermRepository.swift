public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// The risk terms the triggers of sql/0039 keep: one per version of every scored fact, read by
/// rankings as a bound and by `dubbelslot risk verify` against the evidence.
///
/// Design: docs/decisions/0020-risk-terms-as-a-candidate-bound.md.
public struct RiskTermRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A repository over `client`; ``Store/riskTerms`` gives one over the store's current client.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// An upper bound of each school's lock-2 score on `date` as known at `asOf` (NULL: now), for
    /// ``Ranking/topByScore(_:top:batch:assess:)``; never shown.
    ///
    /// The sum of every term's points with decay, in PostgreSQL, plus what rounding and PostgreSQL's
    /// own `power` can add: 0.01 per term (each contribution is rounded to 0.01, a financial visit's two
    /// separately), decay and window taken a day wider on either side (a signal's day of receipt is
    /// worked out by PostgreSQL here and by Foundation in the assessment), corroboration at its most
    /// for the distinct municipalities of the counted signals, and 0.05 for the score's rounding to
    /// 0.1; capped at 100 like the score.
    /// - Returns: a bound for each of `schoolIds` (0 for a school without a fact that gives points then).
    public func scoreBounds(schoolIds: [UUID], date: LocalDate, asOf: Date?, weights w: RiskTermWeights) async throws -> [UUID: Double] {
        let day = Int32(date.daysSinceEpoch)
        let widest = Int32(max(w.signalWindowDays, w.visitWindowDays, w.decisionWindowDays, w.corroborationWindowDays) + 1)
        // Points and reporting municipalities in two groupings over the same terms (the CTE is inlined
        // into each): `count(DISTINCT …)` beside the sum made PostgreSQL sort every term by school, on
        // disk, where two hashed groupings need no sort (at 1,000× volume 0.6–0.8 s against 0.9–1.2 s).
        let sql: PostgresQuery = """
            WITH w AS (SELECT * FROM unnest(\(w.keys)::text[], \(w.basePoints)::float8[]) AS w(key, points)),
            t AS NOT MATERIALIZED (
                SELECT t.school_id, t.kind, t.key, t.municipality_code, (DATE '1970-01-01' + \(day)::int) - t.anchor_date AS age
                FROM risk_terms t
                WHERE t.anchor_date BETWEEN (DATE '1970-01-01' + \(day)::int) - \(widest)::int AND (DATE '1970-01-01' + \(day)::int) + 1
                  AND t.school_id = ANY(\(schoolIds))
                  AND ((\(asOf)::timestamptz IS NULL AND t.sys_to IS NULL)
                       OR (t.sys_from <= \(asOf)::timestamptz AND (t.sys_to IS NULL OR t.sys_to > \(asOf)::timestamptz)))
            ), points AS (
                SELECT t.school_id,
                       coalesce(sum(w.points * power(0.5, greatest(0, t.age - 1)::float8
                                        / CASE t.kind WHEN 'signal' THEN \(w.signalHalfLifeDays)::float8
                                                      WHEN 'visit' THEN \(w.visitHalfLifeDays)::float8
                                                      ELSE \(w.decisionHalfLifeDays)::float8 END) + 0.01)
                                FILTER (WHERE w.points IS NOT NULL AND t.age <= CASE t.kind WHEN 'signal' THEN \(Int32(w.signalWindowDays))::int
                                                                   WHEN 'visit' THEN \(Int32(w.visitWindowDays))::int
                                                                   ELSE \(Int32(w.decisionWindowDays))::int END + 1), 0)::float8 AS points
                FROM t LEFT JOIN w USING (key)
                GROUP BY t.school_id
            ), reporters AS (
                SELECT d.school_id, count(*)::int AS municipalities
                FROM (SELECT DISTINCT t.school_id, t.municipality_code FROM t
                      WHERE t.key = ANY(\(w.corroboratingKeys)::text[]) AND t.age <= \(Int32(w.corroborationWindowDays))::int + 1
                        AND t.municipality_code IS NOT NULL) d
                GROUP BY d.school_id
            )
            SELECT p.school_id, p.points, coalesce(r.municipalities, 0)::int FROM points p LEFT JOIN reporters r USING (school_id)
            """
        var found: [(UUID, Double, Int32)] = []
        try await client.withTransaction(logger: logger) { connection in
            // Room for the groupings' hash tables: with the default 4 MB they spill to disk at volume.
            try await connection.query("SET LOCAL work_mem = '64MB'", logger: logger)
            for try await row in try await connection.query(sql, logger: logger).decode((UUID, Double, Int32).self) { found.append(row) }
        }
        // Without a term that gives points the score is exactly 0: no margin, so that schools without
        // evidence tie at 0 and are ranked by name without being assessed.
        var bounds = Dictionary(uniqueKeysWithValues: schoolIds.map { ($0, 0.0) })
        for (schoolId, points, municipalities) in found {
            let corroboration = min(w.corroborationMaxPoints, w.corroborationPointsPerMunicipality * Double(max(0, municipalities - 1)))
            if points > 0 || corroboration > 0 { bounds[schoolId] = min(100, points + corroboration + 0.05) }
        }
        return bounds
    }

    /// The terms of `schoolIds` valid at `asOf` (`nil`: the current ones), by school.
    public func terms(schoolIds: [UUID], asOf: Date?) async throws -> [UUID: Set<RiskTerm>] {
        let rows = try await client.query(
            """
            SELECT t.evidence_id, t.school_id, t.kind, t.key, t.anchor_date - DATE '1970-01-01', t.municipality_code
            FROM risk_terms t
            WHERE t.school_id = ANY(\(schoolIds))
              AND ((\(asOf)::timestamptz IS NULL AND t.sys_to IS NULL)
                   OR (t.sys_from <= \(asOf)::timestamptz AND (t.sys_to IS NULL OR t.sys_to > \(asOf)::timestamptz)))
            """, logger: logger)
        var result: [UUID: Set<RiskTerm>] = [:]
        for try await (id, schoolId, kind, key, anchor, municipality) in rows.decode((UUID, UUID, String, String, Int, String?).self) {
            let term = RiskTerm(
                evidenceId: id, schoolId: schoolId, kind: try parse(kind, RiskTerm.Kind.init(rawValue:), column: "risk_terms.kind"),
                key: key, anchorDate: LocalDate(daysSinceEpoch: anchor),
                municipalityCode: try parseIfPresent(municipality, MunicipalityCode.init, column: "risk_terms.municipality_code"))
            result[schoolId, default: []].insert(term)
        }
        return result
    }

    /// Every school id, in id order: what `risk verify` walks through.
    public func allSchoolIds() async throws -> [UUID] {
        var ids: [UUID] = []
        for try await id in try await client.query("SELECT id FROM schools ORDER BY id", logger: logger).decode(UUID.self) { ids.append(id) }
        return ids
    }
}

/// What `dubbelslot risk verify` found for one school: terms the evidence calls for that are missing,
/// and terms kept that the evidence does not call for.
public struct RiskTermDifference: Sendable, Hashable {
    /// The school whose terms differ.
    public let schoolId: UUID
    /// Terms its evidence calls for (``RiskTerms/terms(of:)``) that `risk_terms` does not hold.
    public let missing: Set<RiskTerm>
    /// Terms `risk_terms` holds that its evidence does not call for (a changed key counts as one of each).
    public let unexpected: Set<RiskTerm>
}

extension Store {
    /// Risk terms (sql/0039).
    public var riskTerms: RiskTermRepository { .init(client: client, logger: logger) }

    /// Recomputes the terms of `schoolIds` from their evidence as known at `asOf` (`nil`: now) with
    /// ``RiskTerms/terms(of:)`` and compares them with those kept, 100 schools at a time.
    /// - Returns: a difference per school whose terms differ; empty when every term agrees.
    public func verifyRiskTerms(schoolIds: [UUID], asOf: Date?) async throws -> [RiskTermDifference] {
        var differences: [RiskTermDifference] = []
        for start in stride(from: 0, to: schoolIds.count, by: 100) {
            let batch = Array(schoolIds[start..<min(start + 100, schoolIds.count)])
            let evidence = try await self.evidence.evidence(schoolIds: batch, asOf: asOf)
            let kept = try await riskTerms.terms(schoolIds: batch, asOf: asOf)
            for id in batch {
                let expected = evidence[id].map(RiskTerms.terms(of:)) ?? []
                let actual = kept[id] ?? []
                if expected != actual {
                    differences.append(RiskTermDifference(schoolId: id, missing: expected.subtracting(actual),
                                                          unexpected: actual.subtracting(expected)))
                }
            }
        }
        return differences
    }
}
