import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import Hummingbird

extension WebController {
    /// `/app/zoeken`: `listSchools` (name typo-tolerant, KvK, municipality, route), each row with its
    /// verdict of today when the role may read overviews.
    func search(_ web: WebRequest) async throws -> Response {
        var context: [String: Any] = [
            "title": "Zoeken", "naam": web.query("naam") ?? "", "kvk": web.query("kvk") ?? "",
            "gemeente": web.query("gemeente") ?? "", "routes": Dutch.options(Dutch.routes, selected: web.query("route")),
        ]
        let searched = ["naam", "kvk", "gemeente", "route"].contains { web.query($0) != nil }
        context["searched"] = searched
        guard searched else { return web.render("search", context) }
        let page: Components.Schemas.SchoolPage
        do {
            page = try await web.call("listSchools") {
                try await api.listSchools(.init(query: .init(q: web.query("naam"), kvkNumber: web.query("kvk"),
                                                             municipality: web.query("gemeente")?.uppercased(),
                                                             route: try InputRules.contractEnum(web.query("route"), "route"),
                                                             cursor: web.query("na"), limit: 25)))
            }.ok.body.json
        } catch {
            guard let errors = web.fieldErrors(error) else { throw error }
            for (field, message) in errors { context["err_\(field)"] = message }
            context["searched"] = false
            return web.render("search", context, status: .badRequest)
        }
        let verdicts = web.may("getSchoolOverview")
        // Every hit's verdict of today from one read of their evidence, not one overview per hit.
        let verdictOf = verdicts
            ? try await api.verdictsToday(of: try await api.store.schools.get(ids: page.items.compactMap { UUID(strict: $0.id) }),
                                          route: web.query("route").flatMap(Route.init(rawValue:)))
            : [:]
        var rows: [[String: Any]] = []
        for school in page.items {
            var row: [String: Any] = [
                "name": school.name, "kvk": school.kvkNumber, "municipality": school.municipalityCode,
                "routes": school.routes.map { Dutch.route($0.rawValue) }.joined(separator: ", "),
            ]
            if verdicts {
                row["href"] = "/app/scholen/\(school.id.lowercased())"
                if let verdict = UUID(strict: school.id).flatMap({ verdictOf[$0] }) {
                    row["verdict"] = verdict.rawValue
                    row["verdictLabel"] = Dutch.verdict(verdict.rawValue)
                }
            }
            rows.append(row)
        }
        context["results"] = rows
        context["hasResults"] = !rows.isEmpty
        // Most relevant first, 25 at a time: the next page continues after the last school shown.
        if let next = page.nextCursor {
            var parts = URLComponents()
            parts.queryItems = ["naam", "kvk", "gemeente", "route"].compactMap { name in web.query(name).map { URLQueryItem(name: name, value: $0) } }
                + [URLQueryItem(name: "na", value: next)]
            context["nextPage"] = "/app/zoeken?" + (parts.percentEncodedQuery ?? "")
        }
        context["verdicts"] = verdicts
        return web.render("search", context)
    }

    /// `/app/scholen/{id}`: the schoolkaart, `getSchoolOverview` for the date and contract period asked,
    /// with the quality-mark timeline and the visits.
    func schoolPage(_ web: WebRequest, id: String, errors extra: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let route = web.query("route") ?? web.field("route")
        var context: [String: Any] = [
            "id": id, "datum": web.query("datum") ?? "", "contractVan": web.query("contractVan") ?? web.field("contractVan") ?? "",
            "contractTot": web.query("contractTot") ?? web.field("contractTot") ?? "", "routes": Dutch.options(Dutch.routes, selected: route),
            "mayCheck": web.may("createProcurementCheck"), "mayInspect": web.may("recordVisit"),
            "schoolId": id.lowercased(),
            // One id per rendering of the check form: sent twice (a double click, a reload), it records one check.
            "formId": web.field("formulier") ?? UUID().uuidString.lowercased(),
        ]
        for (field, message) in extra { context["err_\(field)"] = message }
        // What the previous form did, said once after its redirect (POST, 303, GET).
        if web.query("bezoek") != nil { context["confirmation"] = "Het toezichtbezoek is vastgelegd." }
        if web.query("keurmerk") != nil { context["confirmation"] = "Het keurmerkbesluit is vastgelegd." }
        if web.query("rectificatie") != nil { context["confirmation"] = "Het besluit is gerectificeerd: het telt niet meer mee." }
        let school = try await web.call("getSchool") { try await api.getSchool(.init(path: .init(id: id))) }.ok.body.json
        let location = web.query("vestiging") ?? web.field("vestiging")
        context["locations"] = school.locations.enumerated().map { i, l -> [String: Any] in
            ["value": l.id.lowercased(), "label": Self.locationLabel(l, index: i), "selected": l.id.lowercased() == location?.lowercased()]
        }
        context["hasLocations"] = !school.locations.isEmpty
        let locationLabels = Dictionary(school.locations.enumerated().map { ($1.id.lowercased(), Self.locationLabel($1, index: $0)) },
                                        uniquingKeysWith: { a, _ in a })
        context["title"] = school.name
        context["name"] = school.name
        context["kvk"] = school.kvkNumber
        context["municipality"] = school.municipalityCode
        context["fictional"] = school.isFictional
        var status = status
        do {
            let overview = try await web.call("getSchoolOverview") {
                try await api.getSchoolOverview(.init(path: .init(id: id), query: .init(
                    date: web.query("datum"), route: try InputRules.contractEnum(web.query("route"), "route"), contractFrom: web.query("contractVan"), contractTo: web.query("contractTot"),
                    locationId: web.query("vestiging").flatMap { $0.isEmpty ? nil : $0 }), headers: .init(acceptLanguage: "nl")))
            }.ok.body.json
            context["overview"] = overviewContext(overview, web: web, locationLabels: locationLabels)
            var aggregate = aggregateContext(overview.signals)
            // The school's replies to signals: its own words, shown beside the counts (never the signal's text).
            let signalReplies = overview.replies.filter { $0.subjectKind == .signal }
            aggregate["signalReplies"] = signalReplies.map { ["date": Dutch.date($0.receivedOn), "text": $0.reply] }
            aggregate["hasSignalReplies"] = !signalReplies.isEmpty
            context["aggregate"] = aggregate
            context["repliesBySubject"] = Dictionary(grouping: overview.replies, by: \.subjectId)
        } catch {
            guard let errors = web.fieldErrors(error) else { throw error }
            for (field, message) in errors { context["err_\(field)"] = message }
            status = .badRequest
        }
        let marks = try await web.call("listQualityMarkDecisions") {
            try await api.listQualityMarkDecisions(.init(path: .init(id: id)))
        }.ok.body.json.items
        let labels = locationLabels
        let byId = Dictionary(marks.map { ($0.id.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        context["marks"] = marks.map { m -> [String: Any] in
            // How the period ended: cut short by a later decision, as declared, or not at all (yet).
            var ending = m.validUntil == nil ? "loopt nog" : "afgelopen zoals besloten"
            // A location's own decision yields, from its start, to a school decision that started later.
            if m.locationId != nil, m.rectification == nil,
               let school = marks.filter({ d in d.locationId == nil && d.rectification == nil && d.validFrom > m.validFrom
                                           && (m.validUntil.map { until in d.validFrom < until } ?? true) }).min(by: { $0.validFrom < $1.validFrom }) {
                ending = "voor deze vestiging opzijgezet door het besluit ‘\(Dutch.markStatus(school.status.rawValue))’ van de school vanaf \(Dutch.date(school.validFrom))"
            }
            if let by = m.endedBy.flatMap({ byId[$0.lowercased()] }) {
                ending = "beëindigd door het besluit ‘\(Dutch.markStatus(by.status.rawValue))’ vanaf \(Dutch.date(by.validFrom))"
                    + (m.declaredUntil.map { " (besloten was: tot \(Dutch.date($0)))" } ?? " (besloten was: zonder einde)")
            }
            var row: [String: Any] = [
                "id": m.id.lowercased(), "status": Dutch.markStatus(m.status.rawValue), "from": Dutch.date(m.validFrom),
                "until": m.validUntil.map(Dutch.date) ?? "open einde", "decidedOn": Dutch.date(m.decidedOn), "reference": m.reference ?? "—",
                "scope": m.locationId.map { labels[$0.lowercased()] ?? "locatie" } ?? "hele school", "ending": ending,
                "reason": m.reason ?? false, "objection": m.objection ?? false,
                // Only where the API would allow it: not rectified, and not ended by a later decision that still counts.
                "mayRectify": web.may("rectifyQualityMarkDecision") && m.rectification == nil
                    && (m.endedBy.flatMap { byId[$0.lowercased()] }.map { $0.rectification != nil } ?? true),
            ]
            if let r = m.rectification {
                row["rectified"] = "Gerectificeerd op \(Dutch.date(ISO8601DateFormatter().string(from: r.recordedAt))): \(r.reason)"
            }
            return row
        }
        context["hasMarks"] = !marks.isEmpty
        if web.may("listVisits") {
            let visits = try await web.call("listVisits") { try await api.listVisits(.init(path: .init(id: id))) }.ok.body.json.items
            let replies = (context["repliesBySubject"] as? [String: [Components.Schemas.SchoolReply]]) ?? [:]
            context["visits"] = visits.map { v -> [String: Any] in
                let findings = v.findings.map { f -> [String: Any] in
                    ["norm": f.normCode, "severity": f.severity.rawValue == "major" ? "ernstig" : "klein", "note": f.note ?? "",
                     "replies": (replies[f.id] ?? []).map { ["date": Dutch.date($0.receivedOn), "text": $0.reply] }]
                }
                return ["id": v.id.lowercased(), "date": Dutch.date(v.visitedOn), "kind": Dutch.visitKind(v.kind.rawValue),
                        "outcome": Dutch.outcome(v.outcome.rawValue), "announced": v.announced, "findings": findings, "hasFindings": !findings.isEmpty]
            }
            context["hasVisits"] = !visits.isEmpty
        }
        context.removeValue(forKey: "repliesBySubject")
        return web.render("school", context, status: status)
    }

    /// - Parameter locationLabels: `Vestiging n: address` by location id, to name locations in words.
    func overviewContext(_ o: Components.Schemas.DoubleLockOverview, web: WebRequest, locationLabels: [String: String] = [:]) -> [String: Any] {
        let lock1 = o.qualityMark, lock2 = o.oversight
        // Reasons and explanations in Dutch from their rule and parameters, a location named by its label
        // (`Vestiging 1: address`) rather than its id; the API's own text where there are no parameters.
        func words(_ rule: String, _ parameters: [String: String]?, otherwise text: String) -> String {
            guard var p = parameters else { return text }
            if let id = p["location"] { p["location"] = locationLabels[id.lowercased()] ?? id }
            return Explanation(rule, p).text(.dutch)
        }
        let reasons: [String] =
            if let details = lock1.reasonDetails, details.count == lock1.reasons.count {
                zip(details, lock1.reasons).map { words($0.rule, $0.parameters.additionalProperties, otherwise: $1) }
            } else { lock1.reasons }
        var covers: String?
        if let c = lock1.coversContractPeriod {
            covers = c ? "Het keurmerk dekt de hele contractperiode." : "Het keurmerk dekt de contractperiode niet helemaal."
        }
        let contributions = lock2.contributions.map { c -> [String: Any] in
            var evidence = c.evidenceIds.enumerated().map { i, raw -> [String: Any] in
                let id = raw.lowercased()
                switch c.kind.rawValue {
                case "visit": return ["href": "#bezoek-\(id)", "label": "bezoek \(i + 1)"]
                case "qualityMarkHistory": return ["href": "#besluit-\(id)", "label": "besluit vanaf \(Dutch.date(c.evidenceDate ?? ""))"]
                default:
                    return web.may("getSignal") ? ["href": "/app/inspectie/signalen/\(id)", "label": "signaal \(i + 1)"]
                        : ["href": "#signalen", "label": "signaal \(i + 1) (alleen als telling)"]
                }
            }
            // Signals the reader may not open are counted by month (the aggregate below), not linked one by one.
            if let month = c.evidenceMonth {
                evidence.append(["href": "#signalen", "label": "signalen uit \(DutchTerms.month(month)) (alleen als telling)"])
            }
            let kind: String = switch c.kind.rawValue {
            case "signal": "Signaal"
            case "corroboration": "Meerdere gemeenten"
            case "visit": "Toezichtbezoek"
            case "openSignals": "Open ernstige signalen"
            default: "Keurmerkhistorie"
            }
            return ["kind": kind, "points": Dutch.number(c.points, decimals: 2),
                    "explanation": words(c.rule, c.parameters?.additionalProperties, otherwise: c.explanation), "rule": c.rule,
                    "date": c.evidenceDate.map(Dutch.date) ?? c.evidenceMonth.map(DutchTerms.month) ?? "", "evidence": evidence]
        }
        let visits = o.coverage.lastVisitByKind
        let last: [(String, String?)] = [("classroom", visits.classroom), ("financial", visits.financial), ("resultsAudit", visits.resultsAudit),
                                         ("clientAudit", visits.clientAudit), ("newEntrant", visits.newEntrant), ("followUp", visits.followUp)]
        var period: String?
        if let from = o.contractFrom { period = "\(Dutch.date(from)) tot en met \(o.contractTo.map(Dutch.date) ?? "open einde")" }
        return [
            "verdict": o.verdict.rawValue, "verdictLabel": Dutch.verdict(o.verdict.rawValue), "dateLabel": Dutch.date(o.date),
            // Absent rather than nil: an Optional wrapped in Any is not "missing" to Mustache, it renders "nil".
            "period": period ?? false,
            "lock1": ["state": lock1.state.rawValue, "label": Dutch.lock(lock1.state.rawValue), "reasons": reasons, "covers": covers ?? false,
                      "locations": (lock1.locations ?? []).map { l -> [String: Any] in
                          let name = locationLabels[l.locationId.lowercased()] ?? "locatie"
                          var text = "\(name): \(Dutch.lock(l.state.rawValue))"
                          if let c = l.coversContractPeriod { text += c ? ", dekt de contractperiode" : ", dekt de contractperiode niet helemaal" }
                          return ["text": text, "state": l.state.rawValue]
                      },
                      "hasLocations": !(lock1.locations ?? []).isEmpty],
            "locationAsked": o.locationId.map { locationLabels[$0.lowercased()] ?? "locatie" } ?? false,
            "lock2": ["state": lock2.state.rawValue, "label": Dutch.lock(lock2.state.rawValue), "score": Dutch.number(lock2.score),
                      "band": Dutch.band(lock2.band.rawValue), "hardBlocks": lock2.hardBlocks.map(\.explanation),
                      "hasHardBlocks": !lock2.hardBlocks.isEmpty],
            "contributions": contributions, "hasContributions": !contributions.isEmpty,
            "sufficient": o.coverage.sufficient,
            "coverage": last.map { ["kind": Dutch.visitKind($0.0), "last": $0.1.map(Dutch.date) ?? "nooit — onvoldoende gegevens"] },
            "signalsKnown": o.coverage.signalsKnown, "signalsOpen": o.coverage.signalsOpen,
            "modelVersion": o.modelVersion, "asOf": ISO8601DateFormatter().string(from: o.asOf), "inputDigest": o.inputDigest,
        ]
    }

    /// `Vestiging 1: Voorbeeldstraat 1, Amsterdam`: the location's place in the school's list and its address.
    static func locationLabel(_ l: Components.Schemas.SchoolLocation, index: Int) -> String {
        "Vestiging \(index + 1): \(l.address)"
    }

    func aggregateContext(_ a: Components.Schemas.SignalAggregate) -> [String: Any] {
        ["total": a.total, "totalText": Dutch.signals(a.total), "municipalities": a.reportingMunicipalities,
         "municipalitiesText": "\(a.reportingMunicipalities) \(a.reportingMunicipalities == 1 ? "gemeente" : "gemeenten")",
         "byCategory": a.byCategory.map { ["key": Dutch.category($0.key), "count": $0.count] },
         "byStatus": a.byStatus.map { ["key": Dutch.signalStatus($0.key), "count": $0.count] }]
    }
}
