import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import Hummingbird

extension WebController {
    /// `/app/inspectie`: signals in one status (default `received`), oldest first, with their age in
    /// Dutch working days (``DutchCalendar/workingDays(from:to:)``).
    func inspectionQueue(_ web: WebRequest) async throws -> Response {
        guard web.may("transitionSignal") else { throw Problem(.forbidden, detail: "transitionSignal") }
        let status = web.query("status").flatMap { s in Dutch.signalStatuses.contains { $0.0 == s } ? s : nil } ?? "received"
        var items: [Components.Schemas.FraudSignal] = []
        var cursor: String?
        repeat {
            let page = try await web.call("listSignals") {
                try await api.listSignals(.init(query: .init(status: try InputRules.contractEnum(status, "status"), cursor: cursor, limit: 200)))
            }.ok.body.json
            items += page.items
            cursor = page.nextCursor ?? nil
        } while cursor != nil && items.count < 2000
        let today = LocalDate(instant: Date())
        let rows = items.sorted { ($0.receivedAt, $0.id) < ($1.receivedAt, $1.id) }.map { s -> [String: Any] in
            let received = LocalDate(instant: s.receivedAt)
            return ["id": s.id.lowercased(), "reference": s.reference, "received": Dutch.date(received.description),
                    "age": DutchCalendar.workingDays(from: received, to: today), "municipality": s.municipalityCode,
                    "school": s.reportedSchoolName, "category": Dutch.category(s.category.rawValue), "severity": Dutch.severity(s.severity.rawValue)]
        }
        return web.render("inspection", [
            "title": "Inspectie: signalen", "statuses": Dutch.options(Dutch.signalStatuses, selected: status),
            "statusLabel": Dutch.signalStatus(status), "signals": rows, "hasSignals": !rows.isEmpty, "count": rows.count, "countText": Dutch.signals(rows.count),
        ])
    }

    /// `/app/inspectie/signalen/{id}`: one signal in full (`getSignal`, audited as a read), its history
    /// and the transition form.
    func inspectionSignal(_ web: WebRequest, id: String, errors: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let output = try await web.call("getSignal") { try await api.getSignal(.init(path: .init(id: id))) }.ok
        let s = try output.body.json
        let history = try await web.call("listSignalTransitions") {
            try await api.listSignalTransitions(.init(path: .init(id: id)))
        }.ok.body.json.items
        var context: [String: Any] = [
            "title": "Signaal \(s.reference)", "id": s.id.lowercased(), "reference": s.reference, "municipality": s.municipalityCode,
            "school": s.reportedSchoolName, "kvk": s.reportedKvkNumber ?? "—", "category": Dutch.category(s.category.rawValue),
            "severity": Dutch.severity(s.severity.rawValue), "status": Dutch.signalStatus(s.status.rawValue),
            "observed": "\(Dutch.date(s.observedFrom)) – \(s.observedUntil.map(Dutch.date) ?? "nog gaande of onbekend")",
            "summary": s.summary, "version": s.version ?? 1, "received": Dutch.date(LocalDate(instant: s.receivedAt).description),
            "statuses": Dutch.options(Dutch.signalStatuses.filter { $0.0 != s.status.rawValue }, selected: web.form["to"]),
            "reason": web.form["reason"] ?? "", "mayTransition": web.may("transitionSignal"),
            "history": history.map { t -> [String: Any] in
                ["at": Dutch.date(ISO8601DateFormatter().string(from: t.at)), "from": t.fromStatus.map { Dutch.signalStatus($0.rawValue) } ?? "—",
                 "to": Dutch.signalStatus(t.toStatus.rawValue), "note": t.note ?? ""]
            },
        ]
        if let school = s.schoolId { context["schoolId"] = school.lowercased() }
        if web.query("gewijzigd") != nil { context["changed"] = true }
        for (field, message) in errors { context["err_\(Self.key(field))"] = message }
        return web.render("inspection-signal", context, status: status)
    }

    /// `POST /app/inspectie/signalen/{id}/overgang`: `transitionSignal` with the version the form was shown at (If-Match).
    func transition(_ web: WebRequest, id: String) async throws -> Response {
        guard let to = web.field("to").flatMap(Components.Schemas.SignalStatus.init(rawValue:)) else {
            return try await inspectionSignal(web, id: id, errors: ["to": "Kies de nieuwe status."], status: .badRequest)
        }
        do {
            _ = try await web.call("transitionSignal") {
                try await api.transitionSignal(.init(path: .init(id: id), headers: .init(ifMatch: "\"\(web.field("version") ?? "")\""),
                                                     body: .json(.init(to: to, reason: web.form["reason"] ?? ""))))
            }.ok
        } catch {
            let problem = OpenAPIProblemMiddleware.problem(for: error, operationID: "transitionSignal", logger: logger)
            if problem.kind == .preconditionFailed {
                return try await inspectionSignal(web, id: id, errors: ["to": Dutch.problem(problem)], status: .preconditionFailed)
            }
            guard let errors = web.fieldErrors(error) else { throw error }
            return try await inspectionSignal(web, id: id, errors: errors, status: problem.httpStatus)
        }
        return Response(status: .seeOther, headers: [.location: "/app/inspectie/signalen/\(id)?gewijzigd=1"])
    }
}
