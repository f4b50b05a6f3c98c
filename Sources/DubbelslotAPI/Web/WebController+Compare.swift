import CSV
import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import Hummingbird

extension WebController {
    /// The sortable columns of `/app/vergelijken` (`?sorteer=`).
    static let compareColumns: [(key: String, label: String)] = [
        ("naam", "School"), ("oordeel", "Oordeel"), ("score", "Score"), ("slot1", "Slot 1 (keurmerk)"), ("slot2", "Slot 2 (toezicht)"),
    ]

    /// `/app/vergelijken` and `/app/vergelijken.csv`: `getMunicipalityOverview` as a table sorted by
    /// `?sorteer=` and `?richting=` links (no script), or as CSV that Dutch Excel opens directly.
    func compare(_ web: WebRequest, csv: Bool) async throws -> Response {
        let municipality = (web.query("gemeente") ?? web.principal.municipalityCode?.rawValue)?.uppercased()
        let sort = Self.compareColumns.contains { $0.key == web.query("sorteer") } ? web.query("sorteer")! : "oordeel"
        let descending = web.query("richting") == "af"
        var context: [String: Any] = [
            "title": "Vergelijken", "gemeente": municipality ?? "", "datum": web.query("datum") ?? "",
            "routes": Dutch.options(Dutch.routes, selected: web.query("route")),
        ]
        guard let municipality else {
            guard web.may("getMunicipalityOverview") else { throw Problem(.forbidden, detail: "getMunicipalityOverview") }
            return web.render("compare", context)
        }
        let overview: Components.Schemas.MunicipalityOverview
        do {
            overview = try await web.call("getMunicipalityOverview") {
                try await api.getMunicipalityOverview(.init(query: .init(municipality: municipality, route: try InputRules.contractEnum(web.query("route"), "route"), date: web.query("datum"))))
            }.ok.body.json
        } catch {
            guard let errors = web.fieldErrors(error), !csv else { throw error }
            for (field, message) in errors { context["err_\(field)"] = message }
            return web.render("compare", context, status: .badRequest)
        }
        let rank: [String: Int] = ["blocked": 0, "caution": 1, "clear": 2, "closed": 0, "attention": 1, "open": 2, "notApplicable": 3]
        var items = overview.items
        // The API's order (worst first, then score) is the default; every other column sorts stably on top of it.
        switch sort {
        case "naam": items = items.sorted { $0.school.name.localizedCompare($1.school.name) == .orderedAscending }
        case "score": items = items.sorted { $0.score > $1.score }
        case "slot1": items = items.sorted { rank[$0.qualityMarkState.rawValue, default: 9] < rank[$1.qualityMarkState.rawValue, default: 9] }
        case "slot2": items = items.sorted { rank[$0.oversightState.rawValue, default: 9] < rank[$1.oversightState.rawValue, default: 9] }
        default: break
        }
        if descending { items.reverse() }
        if csv { return try compareCSV(items, municipality: municipality, date: overview.date) }
        let base = "/app/vergelijken?gemeente=\(municipality)" + (web.query("route").map { "&route=\($0)" } ?? "") + (web.query("datum").map { "&datum=\($0)" } ?? "")
        context["columns"] = Self.compareColumns.map { column -> [String: Any] in
            let active = column.key == sort
            let next = active && !descending ? "af" : "op"
            return ["label": column.label, "href": "\(base)&sorteer=\(column.key)&richting=\(next)",
                    "sort": active ? (descending ? "descending" : "ascending") : "none",
                    "hint": active ? (descending ? " (aflopend)" : " (oplopend)") : ""]
        }
        context["csvHref"] = base.replacingOccurrences(of: "/app/vergelijken?", with: "/app/vergelijken.csv?") + "&sorteer=\(sort)&richting=\(descending ? "af" : "op")"
        context["municipalityName"] = overview.municipality.name
        context["date"] = Dutch.date(overview.date)
        context["modelVersion"] = overview.modelVersion
        context["rows"] = items.map { i -> [String: Any] in
            ["href": "/app/scholen/\(i.school.id.lowercased())", "name": i.school.name, "kvk": i.school.kvkNumber,
             "verdict": i.verdict.rawValue, "verdictLabel": Dutch.verdict(i.verdict.rawValue), "score": Dutch.number(i.score),
             "band": Dutch.band(i.band.rawValue), "lock1": i.qualityMarkState.rawValue, "lock1Label": Dutch.lock(i.qualityMarkState.rawValue),
             "lock2": i.oversightState.rawValue, "lock2Label": Dutch.lock(i.oversightState.rawValue),
             "coverage": i.coverageSufficient ? "voldoende" : "onvoldoende gegevens"]
        }
        context["hasRows"] = !items.isEmpty
        context["count"] = items.count
        return web.render("compare", context)
    }

    /// The overview as CSV for Dutch Excel: UTF-8 with a byte-order mark, `;` between fields, CRLF,
    /// decimal commas, every text cell formula-safe (``Spreadsheet/formulaSafe(_:)``). Written with CSV.swift.
    func compareCSV(_ items: [Components.Schemas.OverviewItem], municipality: String, date: String) throws -> Response {
        let stream = OutputStream(toMemory: ())
        stream.open()
        _ = [UInt8]([0xEF, 0xBB, 0xBF]).withUnsafeBufferPointer { stream.write($0.baseAddress!, maxLength: 3) }
        let writer = try CSVWriter(stream: stream, delimiter: ";", newline: .crlf)
        try writer.write(row: ["school", "kvk", "gemeente", "oordeel", "score", "band", "slot 1 keurmerk", "slot 2 toezicht", "dekking", "peildatum"])
        for i in items {
            try writer.write(row: [
                Spreadsheet.formulaSafe(i.school.name), Spreadsheet.formulaSafe(i.school.kvkNumber), i.school.municipalityCode,
                Dutch.verdict(i.verdict.rawValue), Dutch.number(i.score), Dutch.band(i.band.rawValue), Dutch.lock(i.qualityMarkState.rawValue),
                Dutch.lock(i.oversightState.rawValue), i.coverageSufficient ? "voldoende" : "onvoldoende gegevens", date,
            ])
        }
        writer.stream.close()
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"vergelijking-\(municipality)-\(date).csv\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
