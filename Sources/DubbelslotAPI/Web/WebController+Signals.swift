import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import Hummingbird

extension WebController {
    /// `/app/signalen/nieuw`: the signaller's form. `?zoek=` lists the schools `listSchools` matches
    /// (typo-tolerant, as the API) to pick from.
    func signalForm(_ web: WebRequest, errors: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        guard web.may("reportSignal") else { throw Problem(.forbidden, detail: "reportSignal") }
        let typed = { (name: String) in web.form[name] ?? web.query(name) ?? "" }
        let search = web.query("zoek") ?? web.field("zoek")
        var context: [String: Any] = [
            "title": "Signaal melden", "zoek": search ?? "",
            "reportedSchoolName": web.form["reportedSchoolName"] ?? search ?? "", "reportedKvkNumber": typed("reportedKvkNumber"),
            "observedFrom": typed("observedFrom"), "observedUntil": typed("observedUntil"), "summary": typed("summary"),
            "categories": Dutch.options(Dutch.categories, selected: web.form["category"]),
            "severities": Dutch.options(Dutch.severities, selected: web.form["severity"] ?? "medium"),
            "sources": Dutch.options(Dutch.sources, selected: web.form["source"] ?? "ownCaseWork"),
            "nonce": web.form["nonce"] ?? WebSessionRepository.randomToken(),
            "municipality": web.principal.municipalityCode?.rawValue ?? "",
        ]
        for (field, message) in errors { context["err_\(Self.key(field))"] = message }
        if !errors.isEmpty { context["hasErrors"] = true }
        if let search {
            // The API's own name matching (typo-tolerant), the schools of the own municipality first.
            var found: [Components.Schemas.School] = []
            for municipality in [web.principal.municipalityCode?.rawValue, nil] {
                let page = try await web.call("listSchools") {
                    try await api.listSchools(.init(query: .init(q: search, municipality: municipality, limit: 10)))
                }.ok.body.json.items
                found += page.filter { school in !found.contains { $0.id == school.id } }
            }
            let chosen = web.form["schoolId"]
            context["matches"] = found.map { ["id": $0.id.lowercased(), "name": $0.name, "kvk": $0.kvkNumber, "municipality": $0.municipalityCode,
                                              "checked": $0.id.lowercased() == chosen] }
            context["searched"] = true
            context["hasMatches"] = !found.isEmpty
        }
        return web.render("signal-new", context, status: status)
    }

    /// `POST /app/signalen`: `reportSignal` for the session's municipality; errors next to their fields.
    func reportSignal(_ web: WebRequest) async throws -> Response {
        guard web.may("reportSignal") else { throw Problem(.forbidden, detail: "reportSignal") }
        var missing: [String: String] = [:]
        let category = web.field("category").flatMap(Components.Schemas.SignalCategory.init(rawValue:))
        let severity = web.field("severity").flatMap(Components.Schemas.SignalSeverity.init(rawValue:))
        let source = web.field("source").flatMap(Components.Schemas.SignalSource.init(rawValue:))
        if category == nil { missing["category"] = "Kies een categorie." }
        if severity == nil { missing["severity"] = "Kies een ernst." }
        if source == nil { missing["source"] = "Kies een bron." }
        var schoolName = web.field("reportedSchoolName")
        let schoolId = web.field("schoolId").flatMap { $0 == "geen" ? nil : $0 }
        if let schoolId, schoolName == nil || web.form["zoek"].map({ $0 == schoolName }) == true {
            schoolName = try? await web.call("getSchool") { try await api.getSchool(.init(path: .init(id: schoolId))) }.ok.body.json.name
        }
        let body = Components.Schemas.NewFraudSignal(
            municipalityCode: web.principal.municipalityCode?.rawValue ?? "", schoolId: schoolId, reportedSchoolName: schoolName ?? "",
            reportedKvkNumber: web.field("reportedKvkNumber"), category: category ?? .other, severity: severity ?? .low,
            observedFrom: web.field("observedFrom") ?? "", observedUntil: web.field("observedUntil"), summary: web.field("summary") ?? "",
            source: source ?? .other)
        let created: Components.Schemas.FraudSignal
        do {
            // The API checks every field; the form's own choices are added so all errors show at once.
            created = try await web.call("reportSignal") {
                try await api.reportSignal(.init(headers: .init(idempotencyKey: web.field("nonce").map { "web-\($0)" }), body: .json(body)))
            }.created.body.json
            guard missing.isEmpty else { throw Problem.validation([]) }
        } catch {
            guard var errors = web.fieldErrors(error) ?? (missing.isEmpty ? nil : [:]) else { throw error }
            errors.merge(missing) { a, _ in a }
            return try await signalForm(web, errors: errors, status: .badRequest)
        }
        return Response(status: .seeOther, headers: [.location: "/app/signalen?gemeld=\(created.reference)"])
    }

    /// `/app/signalen`: the own municipality's signals with their status (`listSignals`, scoped by the policy).
    func signalList(_ web: WebRequest) async throws -> Response {
        let page = try await web.call("listSignals") { try await api.listSignals(.init(query: .init(limit: 100))) }.ok.body.json
        var context: [String: Any] = ["title": "Onze signalen", "total": page.total, "totalText": Dutch.signals(page.total)]
        // Only a reference among the municipality's own signals: the link must not be able to confirm one that does not exist.
        if let reference = web.query("gemeld"), page.items.contains(where: { $0.reference == reference }) { context["reported"] = reference }
        context["signals"] = page.items.map { s -> [String: Any] in
            ["reference": s.reference, "school": s.reportedSchoolName, "category": Dutch.category(s.category.rawValue),
             "severity": Dutch.severity(s.severity.rawValue), "status": Dutch.signalStatus(s.status.rawValue),
             "received": Dutch.date(ISO8601DateFormatter().string(from: s.receivedAt))]
        }
        context["hasSignals"] = !page.items.isEmpty
        context["mayReport"] = web.may("reportSignal")
        return web.render("signals", context)
    }

    /// A field name of the API (`findings[0].note`) as a template key (`findings_0_note`).
    static func key(_ field: String) -> String {
        field.replacingOccurrences(of: "].", with: "_").replacingOccurrences(of: "[", with: "_").replacingOccurrences(of: "]", with: "")
            .replacingOccurrences(of: ".", with: "_")
    }
}
