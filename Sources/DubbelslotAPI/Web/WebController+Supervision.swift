import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import Hummingbird

extension WebController {
    /// Finding rows on the visit form.
    static let findingRows = 5

    /// `/app/scholen/{id}/bezoek`: the inspector's visit form, findings per norm.
    func visitForm(_ web: WebRequest, schoolId: String, errors: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        guard web.may("recordVisit") else { throw Problem(.forbidden, detail: "recordVisit") }
        let school = try await web.call("getSchool") { try await api.getSchool(.init(path: .init(id: schoolId))) }.ok.body.json
        var context: [String: Any] = [
            "title": "Bezoek vastleggen", "id": school.id.lowercased(), "school": school.name,
            "kinds": Dutch.options(Dutch.visitKinds, selected: web.form["kind"]),
            "outcomes": Dutch.options(Dutch.outcomes, selected: web.form["outcome"]),
            "visitedOn": web.form["visitedOn"] ?? LocalDate(instant: Date()).description, "announced": web.form["announced"] != nil,
        ]
        context["findings"] = (0..<Self.findingRows).map { i -> [String: Any] in
            ["i": i, "n": i + 1, "norm": web.form["norm\(i)"] ?? "", "note": web.form["note\(i)"] ?? "",
             "minor": web.form["severity\(i)"] != "major", "major": web.form["severity\(i)"] == "major",
             // Absent (false), not an empty string, where there is no error: Mustache takes "" as a value.
             "err_norm": errors["findings_\(i)_normCode"] ?? false, "err_note": errors["findings_\(i)_note"] ?? false]
        }
        for (field, message) in errors { context["err_\(field)"] = message }
        if !errors.isEmpty { context["hasErrors"] = true }
        return web.render("visit", context, status: status)
    }

    /// `POST /app/scholen/{id}/bezoek`: `recordVisit` (one transaction); errors next to their fields.
    func recordVisit(_ web: WebRequest, schoolId: String) async throws -> Response {
        var errors: [String: String] = [:]
        let kind = web.field("kind").flatMap(Components.Schemas.VisitKind.init(rawValue:))
        let outcome = web.field("outcome").flatMap(Components.Schemas.VisitOutcome.init(rawValue:))
        if kind == nil { errors["kind"] = "Kies de soort bezoek." }
        if outcome == nil { errors["outcome"] = "Kies de uitkomst." }
        // A row counts when its norm or note is filled in; the API checks both.
        var findings: [Components.Schemas.NewFinding] = []
        var rowOfFinding: [Int] = []
        for i in 0..<Self.findingRows where web.field("norm\(i)") != nil || web.field("note\(i)") != nil {
            // Only the two severities the form offers; anything else is refused, not read as minor.
            guard let severity = Components.Schemas.FindingSeverity(rawValue: web.field("severity\(i)") ?? "minor") else {
                errors["findings_\(i)_normCode"] = "Kies de ernst van deze bevinding: licht of ernstig."
                continue
            }
            findings.append(.init(normCode: web.field("norm\(i)") ?? "", severity: severity, note: web.field("note\(i)")))
            rowOfFinding.append(i)
        }
        if errors.isEmpty {
            do {
                let body = Components.Schemas.NewSupervisionVisit(kind: kind!, announced: web.form["announced"] != nil,
                                                                 visitedOn: web.field("visitedOn") ?? "", outcome: outcome!, findings: findings)
                _ = try await web.call("recordVisit") {
                    try await api.recordVisit(.init(path: .init(id: schoolId), body: .json(body)))
                }.created
                return Response(status: .seeOther, headers: [.location: "/app/scholen/\(schoolId)?bezoek=1#bezoeken"])
            } catch {
                guard let apiErrors = web.fieldErrors(error) else { throw error }
                for (field, message) in apiErrors {
                    var key = Self.key(field)
                    // `findings[k]` is the k-th filled row, not the k-th row of the form.
                    if let match = field.firstMatch(of: /^findings\[(\d+)\]\.?(.*)$/), let k = Int(match.1), k < rowOfFinding.count {
                        key = "findings_\(rowOfFinding[k])_\(match.2.isEmpty ? "normCode" : String(match.2))"
                    }
                    errors[key] = message
                }
            }
        }
        return try await visitForm(web, schoolId: schoolId, errors: errors, status: .badRequest)
    }

    /// `/app/scholen/{id}/keurmerk`: the quality-mark decision form with its period.
    func markForm(_ web: WebRequest, schoolId: String, errors: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        guard web.may("recordQualityMarkDecision") else { throw Problem(.forbidden, detail: "recordQualityMarkDecision") }
        let school = try await web.call("getSchool") { try await api.getSchool(.init(path: .init(id: schoolId))) }.ok.body.json
        var context: [String: Any] = [
            "title": "Keurmerkbesluit vastleggen", "id": school.id.lowercased(), "school": school.name,
            "statuses": Dutch.options(Dutch.markStatuses, selected: web.form["status"]),
            "validFrom": web.form["validFrom"] ?? "", "validUntil": web.form["validUntil"] ?? "",
            "decidedOn": web.form["decidedOn"] ?? LocalDate(instant: Date()).description,
            "reference": web.form["reference"] ?? "", "reason": web.form["reason"] ?? "", "objection": web.form["objection"] ?? "",
            "locations": school.locations.enumerated().map { i, l -> [String: Any] in
                ["value": l.id.lowercased(), "label": Self.locationLabel(l, index: i), "selected": l.id.lowercased() == web.form["locationId"]?.lowercased()]
            },
            "hasLocations": !school.locations.isEmpty,
            // What the lifecycle table allows after each status, so the inspector sees the rule before sending.
            "lifecycle": QualityMarkStatus.allCases.map { status -> [String: Any] in
                ["status": Dutch.markStatus(status.rawValue),
                 "next": QualityMarkLifecycle.allowed(after: status).map { Dutch.markStatus($0.rawValue) }.joined(separator: ", ")]
            },
            "newApplication": QualityMarkLifecycle.newApplication.map { Dutch.markStatus($0.rawValue) }.joined(separator: ", "),
        ]
        for (field, message) in errors { context["err_\(field)"] = message }
        if !errors.isEmpty { context["hasErrors"] = true }
        return web.render("mark", context, status: status)
    }

    /// `POST /app/scholen/{id}/keurmerk`: `recordQualityMarkDecision`; an overlapping period is shown at `validFrom`.
    func recordMark(_ web: WebRequest, schoolId: String) async throws -> Response {
        guard let status = web.field("status").flatMap(Components.Schemas.QualityMarkStatus.init(rawValue:)) else {
            return try await markForm(web, schoolId: schoolId, errors: ["status": "Kies de status van het besluit."], status: .badRequest)
        }
        do {
            let body = Components.Schemas.NewQualityMarkDecision(
                status: status, locationId: web.field("locationId"), validFrom: web.field("validFrom") ?? "", validUntil: web.field("validUntil"),
                decidedOn: web.field("decidedOn") ?? "", reference: web.field("reference"), reason: web.field("reason"),
                objection: web.field("objection"))
            _ = try await web.call("recordQualityMarkDecision") {
                try await api.recordQualityMarkDecision(.init(path: .init(id: schoolId), body: .json(body)))
            }.created
        } catch {
            guard let errors = web.fieldErrors(error) else { throw error }
            return try await markForm(web, schoolId: schoolId, errors: errors, status: .badRequest)
        }
        return Response(status: .seeOther, headers: [.location: "/app/scholen/\(schoolId)?keurmerk=1#keurmerk"])
    }

    /// `POST /app/scholen/{id}/keurmerk/{decision}/rectificatie`: `rectifyQualityMarkDecision` with the
    /// reason of the form; a refusal is shown under the quality-mark history.
    func rectifyMark(_ web: WebRequest, schoolId: String, decisionId: String) async throws -> Response {
        do {
            _ = try await web.call("rectifyQualityMarkDecision") {
                try await api.rectifyQualityMarkDecision(.init(path: .init(id: schoolId, decisionId: decisionId),
                                                               body: .json(.init(reason: web.field("reason") ?? ""))))
            }.created
        } catch {
            guard let errors = web.fieldErrors(error) else { throw error }
            let message = errors.sorted { $0.key < $1.key }.map(\.value).joined(separator: " ")
            return try await schoolPage(web, id: schoolId, errors: ["rectification": message], status: .badRequest)
        }
        return Response(status: .seeOther, headers: [.location: "/app/scholen/\(schoolId)?rectificatie=1#keurmerk"])
    }
}
