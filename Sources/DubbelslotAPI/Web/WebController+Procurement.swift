import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import Hummingbird

extension WebController {
    /// `POST /app/scholen/{id}/inkoopcheck`: `createProcurementCheck` for the contract period of the
    /// form, then the check's printable page; errors next to the fields on the school page.
    func createCheck(_ web: WebRequest, schoolId: String) async throws -> Response {
        let check: Components.Schemas.ProcurementCheck
        do {
            check = try await web.call("createProcurementCheck") {
                // The form's own id as Idempotency-Key: the same form posted twice records one check.
                let key = web.field("formulier").flatMap { UUID(strict: $0) }.map { "web-form-\($0.uuidString.lowercased())" }
                return try await api.createProcurementCheck(.init(headers: .init(acceptLanguage: "nl", idempotencyKey: key), body: .json(.init(
                    schoolId: schoolId, route: web.field("route"), contractFrom: web.field("contractVan") ?? "", contractTo: web.field("contractTot"),
                    locationId: web.field("vestiging")))))
            }.created.body.json
        } catch {
            guard let errors = web.fieldErrors(error) else { throw error }
            var prefixed: [String: String] = [:]
            for (field, message) in errors { prefixed["check_\(field)"] = message }
            return try await schoolPage(web, id: schoolId, errors: prefixed, status: .badRequest)
        }
        return Response(status: .seeOther, headers: [.location: "/app/inkoopchecks/\(check.id.lowercased())"])
    }

    /// `/app/inkoopchecks/{id}`: the check as recorded (`getProcurementCheck`), printable for the
    /// procurement file, with the decision form while no decision is recorded.
    func checkPage(_ web: WebRequest, id: String, errors: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let check = try await web.call("getProcurementCheck") {
            try await api.getProcurementCheck(.init(path: .init(id: id), headers: .init(acceptLanguage: "nl")))
        }.ok.body.json
        var context: [String: Any] = [
            "title": "Inkoopcheck \(check.assessment.school.name)", "id": check.id.lowercased(), "school": check.assessment.school.name,
            "schoolId": check.schoolId.lowercased(), "kvk": check.assessment.school.kvkNumber, "municipality": check.municipalityCode,
            "period": "\(Dutch.date(check.contractFrom)) tot en met \(check.contractTo.map(Dutch.date) ?? "open einde")",
            "route": check.route.map { Dutch.route($0.rawValue) } ?? "B1- en Z-route", "date": Dutch.date(check.date),
            "recordedAt": ISO8601DateFormatter().string(from: check.recordedAt), "recordedBy": check.recordedBy,
            "modelVersion": check.modelVersion, "inputDigest": check.inputDigest,
            "reproducible": check.reproducible.map { $0 ? "ja" : "nee" } ?? "—",
            "overview": overviewContext(check.assessment, web: web),
            "decisions": Dutch.options(Dutch.decisions, selected: web.form["decision"]), "reason": web.form["reason"] ?? "",
            "mayDecide": web.may("recordProcurementDecision") && check.decision == nil,
        ]
        if let d = check.decision {
            context["decision"] = ["label": Dutch.decision(d.decision.rawValue), "reason": d.reason ?? "—",
                                   "at": ISO8601DateFormatter().string(from: d.recordedAt), "by": d.recordedBy]
        }
        for (field, message) in errors { context["err_\(field)"] = message }
        return web.render("check", context, status: status)
    }

    /// `POST /app/inkoopchecks/{id}/besluit`: `recordProcurementDecision`, the reason required when it goes against the verdict.
    func recordDecision(_ web: WebRequest, id: String) async throws -> Response {
        guard let decision = web.field("decision").flatMap(Components.Schemas.ProcurementDecision.DecisionPayload.init(rawValue:)) else {
            return try await checkPage(web, id: id, errors: ["decision": "Kies uw besluit."], status: .badRequest)
        }
        do {
            _ = try await web.call("recordProcurementDecision") {
                try await api.recordProcurementDecision(.init(path: .init(id: id), body: .json(.init(decision: decision.rawValue, reason: web.field("reason")))))
            }
        } catch {
            guard let errors = web.fieldErrors(error) else { throw error }
            return try await checkPage(web, id: id, errors: errors, status: .badRequest)
        }
        return Response(status: .seeOther, headers: [.location: "/app/inkoopchecks/\(id)"])
    }
}
