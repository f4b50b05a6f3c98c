import DubbelslotCore
import Foundation
import Logging
import PostgresNIO

/// The verdicts of one school for the municipalities that contracted it, taken before a change to
/// its evidence and compared after it, in the change's own transaction: where one differs, the
/// ``WebhookEventType/schoolVerdictChanged`` event is queued for that municipality.
///
/// Only municipalities holding a procurement check on the school decided `proceed` whose contract
/// period runs today (Europe/Amsterdam) are watched; each such check is re-assessed as it was
/// asked (business date today, its route, contract period and location) under the risk model in
/// force now. A school without such checks costs one indexed query and nothing more.
/// Usage: `let watch = try await VerdictWatch.start(…)` before the write, `try await watch?.finish(…)` after it.
struct VerdictWatch {
    /// One running `proceed` check and the assessment it asks for.
    struct Watched {
        let checkId: UUID
        let municipality: String
        let request: AssessmentRequest
    }

    let schoolId: UUID
    let watched: [Watched]
    let model: StoredRiskModel
    let before: [Verdict]

    /// The verdicts before the change; `nil` when no municipality has a running `proceed` check on
    /// the school or no risk model is published (nothing to compare then).
    static func start(schoolId: UUID?, on connection: PostgresConnection, logger: Logger) async throws -> VerdictWatch? {
        guard let schoolId else { return nil }
        let rows = try await connection.query(
            """
            SELECT pc.id, pc.municipality_code, pc.route, pc.contract_from - DATE '1970-01-01', pc.contract_to - DATE '1970-01-01',
                   pc.location_id, (now() AT TIME ZONE 'Europe/Amsterdam')::date - DATE '1970-01-01'
            FROM procurement_checks pc
            JOIN procurement_decisions pd ON pd.check_id = pc.id AND pd.decision = 'proceed'
            WHERE pc.school_id = \(schoolId)
              AND pc.contract_from <= (now() AT TIME ZONE 'Europe/Amsterdam')::date
              AND (pc.contract_to IS NULL OR pc.contract_to >= (now() AT TIME ZONE 'Europe/Amsterdam')::date)
            ORDER BY pc.municipality_code, pc.recorded_at, pc.id
            """, logger: logger)
        var watched: [Watched] = []
        for try await (id, municipality, route, from, to, location, today) in rows.decode((UUID, String, String?, Int, Int?, UUID?, Int).self) {
            let contractTo = to.map(LocalDate.init(daysSinceEpoch:))
            let request = AssessmentRequest(
                date: LocalDate(daysSinceEpoch: today), route: try parseIfPresent(route, Route.init(rawValue:), column: "procurement_checks.route"),
                contractPeriod: DateRange(from: LocalDate(daysSinceEpoch: from), until: contractTo?.adding(days: 1)), locationId: location)
            watched.append(Watched(checkId: id, municipality: municipality, request: request))
        }
        guard !watched.isEmpty else { return nil }
        let models = try await connection.query(
            "SELECT \(unescaped: RiskModelRepository.columns) FROM risk_models WHERE published_at <= now() ORDER BY published_at DESC LIMIT 1",
            logger: logger)
        guard let row = try await models.firstRow() else { return nil }
        let model = try RiskModelRepository.stored(row)
        let before = try await verdicts(schoolId: schoolId, watched, model: model, on: connection, logger: logger)
        return VerdictWatch(schoolId: schoolId, watched: watched, model: model, before: before)
    }

    /// Re-assesses after the change and queues one event per municipality whose verdict changed
    /// (its first check that changed).
    func finish(on connection: PostgresConnection, logger: Logger) async throws {
        let after = try await Self.verdicts(schoolId: schoolId, watched, model: model, on: connection, logger: logger)
        var told: Set<String> = []
        for (i, check) in watched.enumerated() where before[i] != after[i] && !told.contains(check.municipality) {
            told.insert(check.municipality)
            let school = schoolId.uuidString.lowercased()
            try await WebhookOutbox.enqueue(
                on: connection, type: .schoolVerdictChanged, schoolId: schoolId, audience: .organisation(check.municipality),
                dataref: "/v1/schools/\(school)/overview",
                data: ["schoolId": school, "procurementCheckId": check.checkId.uuidString.lowercased(), "fromVerdict": before[i].rawValue,
                       "toVerdict": after[i].rawValue, "date": check.request.date.description, "modelVersion": model.model.version],
                logger: logger)
        }
    }

    static func verdicts(schoolId: UUID, _ watched: [Watched], model: StoredRiskModel, on connection: PostgresConnection,
                         logger: Logger) async throws -> [Verdict] {
        let evidence = try await EvidenceRepository.evidence(schoolIds: [schoolId], asOf: nil, on: connection, logger: logger)[schoolId]
            ?? RiskEvidence(schoolId: schoolId, decisions: [], visits: [], signals: [])
        let assessor = RiskAssessor(model: model.model)
        return watched.map { assessor.assess(evidence, request: $0.request).verdict }
    }
}
