import DubbelslotCore
import Foundation

/// The report as one self-contained HTML file (`--format html`, docs/decisions/0017-risk-report-as-an-api-client.md):
/// no network, no scripts, inline CSS (print-friendly) and inline SVG charts. Written as well-formed XHTML-style
/// markup, so any XML parser reads it too.
enum HTMLReport {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Colours for the categories, distinguishable in greyscale print by their order in the legend too.
    static let palette = ["#1b4f72", "#b03a2e", "#117a65", "#7d3c98", "#b9770e", "#2e4053", "#a04000", "#1e8449", "#5b2c6f", "#7b7d7d", "#154360"]

    static func render(_ report: RiskReport) -> String {
        var body = ""
        body += "<h1>\(escape(ReportRenderer.header(report, language: .dutch)))</h1>\n"
        if let m = report.modusOperandi, !m.byCategoryQuarter.isEmpty { body += quarterChart(m) }
        if let h = report.highestRisk, !h.isEmpty { body += scoreChart(h) }
        if let r = report.responseTimes, !r.municipalities.isEmpty { body += responseChart(r) }
        for table in report.tables(language: .dutch) {
            body += "<table>\n<caption>\(escape(table.title))</caption>\n<thead><tr>"
            body += table.columns.map { "<th scope=\"col\">\(escape($0))</th>" }.joined()
            body += "</tr></thead>\n<tbody>\n"
            for row in table.rows {
                body += "<tr>" + row.map { cell -> String in
                    let numeric: Bool = if case .text = cell { false } else { true }
                    return "<td\(numeric ? " class=\"n\"" : "")>\(escape(ReportRenderer.plain(cell, comma: true)))</td>"
                }.joined() + "</tr>\n"
            }
            if table.rows.isEmpty { body += "<tr><td colspan=\"\(table.columns.count)\">(geen)</td></tr>\n" }
            body += "</tbody>\n</table>\n"
        }
        if !report.missing.isEmpty {
            body += "<p class=\"missing\">Ontbrekende onderdelen: " + escape(report.missing.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
                .joined(separator: "; ")) + "</p>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="nl">
            <head>
            <meta charset="utf-8"/>
            <title>\(escape(ReportRenderer.header(report, language: .dutch)))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em; color: #111; }
            h1 { font-size: 1.3em; }
            table { border-collapse: collapse; margin: 1.5em 0; font-size: 0.9em; page-break-inside: auto; }
            caption { text-align: left; font-weight: bold; padding-bottom: 0.3em; }
            th, td { border: 1px solid #999; padding: 0.2em 0.5em; vertical-align: top; }
            th { background: #eee; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            figure { margin: 1.5em 0; page-break-inside: avoid; }
            .missing { color: #b03a2e; }
            @media print { body { margin: 0; } tr { page-break-inside: avoid; } }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    /// Stacked bars: signals per quarter, by category.
    static func quarterChart(_ m: RiskReport.ModusOperandi) -> String {
        let quarters = Array(Set(m.byCategoryQuarter.map(\.key))).sorted()
        let categories = Array(Set(m.byCategoryQuarter.map(\.category))).sorted()
        let totals = quarters.map { q in m.byCategoryQuarter.filter { $0.key == q }.map(\.count).reduce(0, +) }
        let maxTotal = max(totals.max() ?? 1, 1)
        let barWidth = 24, gap = 8, height = 200, left = 40, top = 10
        let width = left + quarters.count * (barWidth + gap) + 180
        var svg = "<figure><figcaption>Signalen per kwartaal per categorie</figcaption>\n"
        svg += "<svg width=\"\(width)\" height=\"\(height + 60)\" role=\"img\" aria-label=\"Signalen per kwartaal per categorie\">\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top + height)\" x2=\"\(width - 180)\" y2=\"\(top + height)\" stroke=\"#333\"/>\n"
        svg += "<text x=\"0\" y=\"\(top + 10)\" font-size=\"10\">\(maxTotal)</text>\n"
        for (i, q) in quarters.enumerated() {
            var y = Double(top + height)
            let x = left + i * (barWidth + gap)
            for (c, category) in categories.enumerated() {
                let n = m.byCategoryQuarter.first { $0.key == q && $0.category == category }?.count ?? 0
                guard n > 0 else { continue }
                let h = Double(height) * Double(n) / Double(maxTotal)
                y -= h
                svg += "<rect x=\"\(x)\" y=\"\(fmt(y))\" width=\"\(barWidth)\" height=\"\(fmt(h))\" fill=\"\(palette[c % palette.count])\">"
                svg += "<title>\(escape(q)) \(escape(category)): \(n)</title></rect>\n"
            }
            svg += "<text x=\"\(x)\" y=\"\(top + height + 14)\" font-size=\"9\" transform=\"rotate(45 \(x) \(top + height + 14))\">\(escape(q))</text>\n"
        }
        for (c, category) in categories.enumerated() {
            let y = top + c * 16
            svg += "<rect x=\"\(width - 170)\" y=\"\(y)\" width=\"10\" height=\"10\" fill=\"\(palette[c % palette.count])\"/>"
            svg += "<text x=\"\(width - 155)\" y=\"\(y + 9)\" font-size=\"10\">\(escape(category))</text>\n"
        }
        return svg + "</svg></figure>\n"
    }

    /// A histogram of the listed schools' scores in bands of 10 points.
    static func scoreChart(_ schools: [RiskReport.HighRiskSchool]) -> String {
        var bins = Array(repeating: 0, count: 10)
        for s in schools { bins[min(9, max(0, Int(s.score / 10)))] += 1 }
        let maxBin = max(bins.max() ?? 1, 1), height = 150, barWidth = 36
        var svg = "<figure><figcaption>Scoreverdeling van de genoemde scholen</figcaption>\n"
        svg += "<svg width=\"\(10 * (barWidth + 4) + 20)\" height=\"\(height + 30)\" role=\"img\" aria-label=\"Scoreverdeling\">\n"
        for (i, n) in bins.enumerated() {
            let h = Double(height) * Double(n) / Double(maxBin)
            let x = 10 + i * (barWidth + 4)
            svg += "<rect x=\"\(x)\" y=\"\(fmt(Double(height) - h))\" width=\"\(barWidth)\" height=\"\(fmt(h))\" fill=\"#1b4f72\"><title>\(i * 10)-\(i * 10 + 10): \(n)</title></rect>"
            svg += "<text x=\"\(x)\" y=\"\(height + 14)\" font-size=\"9\">\(i * 10)-\(i * 10 + 10)</text>\n"
        }
        return svg + "</svg></figure>\n"
    }

    /// Horizontal bars: median and 90th percentile received→concluded per municipality.
    static func responseChart(_ r: RiskReport.ResponseTimes) -> String {
        let rows = r.municipalities
        let maxDays = max(rows.compactMap { $0.receivedToConcludedP90 ?? $0.receivedToTriagedP90 }.max() ?? 1, Double(r.conclusionNormWorkingDays), 1)
        let scale = 400.0 / maxDays, rowHeight = 18
        var svg = "<figure><figcaption>Reactietijden (werkdagen): mediaan en 90e percentiel van ontvangst tot afronding; de lijn is de norm</figcaption>\n"
        svg += "<svg width=\"520\" height=\"\(rows.count * rowHeight + 20)\" role=\"img\" aria-label=\"Reactietijden\">\n"
        for (i, m) in rows.enumerated() {
            let y = i * rowHeight
            svg += "<text x=\"0\" y=\"\(y + 12)\" font-size=\"10\">\(escape(m.municipalityCode))</text>"
            if let p90 = m.receivedToConcludedP90 {
                svg += "<rect x=\"60\" y=\"\(y + 2)\" width=\"\(fmt(p90 * scale))\" height=\"12\" fill=\"#aab7b8\"><title>p90 \(fmt(p90))</title></rect>"
            }
            if let median = m.receivedToConcludedMedian {
                svg += "<rect x=\"60\" y=\"\(y + 5)\" width=\"\(fmt(median * scale))\" height=\"6\" fill=\"#1b4f72\"><title>mediaan \(fmt(median))</title></rect>"
            }
            svg += "\n"
        }
        let normX = 60 + Double(r.conclusionNormWorkingDays) * scale
        svg += "<line x1=\"\(fmt(normX))\" y1=\"0\" x2=\"\(fmt(normX))\" y2=\"\(rows.count * rowHeight)\" stroke=\"#b03a2e\" stroke-dasharray=\"4 2\"/>\n"
        return svg + "</svg></figure>\n"
    }

    static func fmt(_ d: Double) -> String { String(format: "%.1f", d) }
}
