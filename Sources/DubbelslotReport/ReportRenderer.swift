import CSV
import DubbelslotCore
public import Foundation

/// The formats of `--format` (docs/decisions/0017-risk-report-as-an-api-client.md).
public enum ReportFormat: String, Sendable, CaseIterable {
    /// Plain-text tables fitted to the terminal's width, in English.
    case table
    /// Comma-separated values, one table after another; semicolons and decimal commas with `--excel`.
    case csv
    /// The ``RiskReport`` itself, described by `report.schema.json`.
    case json
    /// Markdown tables, in Dutch.
    case markdown
    /// One HTML page, in Dutch, with a chart of the highest scores.
    case html
}

/// Renders a ``RiskReport`` in each format.
public enum ReportRenderer {
    /// The report in `format`; `excel` (CSV only) writes what Dutch Excel opens directly: semicolons,
    /// decimal commas, a UTF-8 byte-order mark and CRLF line ends.
    public static func render(_ report: RiskReport, as format: ReportFormat, excel: Bool = false, width: Int = 100) throws -> Data {
        switch format {
        case .json: return try json(report)
        case .csv: return try csv(report, excel: excel)
        case .table: return Data(table(report, width: width).utf8)
        case .markdown: return Data(markdown(report).utf8)
        case .html: return Data(HTMLReport.render(report).utf8)
        }
    }

    /// The JSON document of `report.schema.json`: sorted keys, ISO 8601 dates as strings.
    public static func json(_ report: RiskReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(report)
    }

    /// A cell's text, formula-safe for spreadsheets: text starting with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return gets a leading apostrophe, so Excel and LibreOffice show it instead of running
    /// it (OWASP, "CSV Injection"). Numbers are written as numbers.
    public static func spreadsheetText(_ cell: ReportCell, comma: Bool) -> String {
        switch cell {
        case .empty: return ""
        case .int(let n): return String(n)
        case .number(let d, let decimals): return RiskReport.format(d, decimals, comma: comma)
        case .text(let s): return Spreadsheet.formulaSafe(s)
        }
    }

    /// One CSV document: for each table a header row `section,table,<columns…>` and its rows, a blank
    /// line between tables. Written with CSV.swift (quoting per RFC 4180).
    public static func csv(_ report: RiskReport, excel: Bool) throws -> Data {
        let stream = OutputStream(toMemory: ())
        stream.open()
        if excel { _ = [UInt8]([0xEF, 0xBB, 0xBF]).withUnsafeBufferPointer { stream.write($0.baseAddress!, maxLength: 3) } }
        let writer = try CSVWriter(stream: stream, delimiter: excel ? ";" : ",", newline: excel ? .crlf : .lf)
        for (i, table) in report.tables().enumerated() {
            if i > 0 { writer.beginNewRow() }
            try writer.write(row: ["section", "table"] + table.columns)
            for row in table.rows {
                try writer.write(row: [table.section.rawValue, spreadsheetText(.text(table.title), comma: false)]
                    + row.map { spreadsheetText($0, comma: excel) })
            }
        }
        for (section, why) in report.missing.sorted(by: { $0.key < $1.key }) {
            writer.beginNewRow()
            try writer.write(row: ["missing", section, spreadsheetText(.text(why), comma: false)])
        }
        writer.stream.close()
        return stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
    }

    /// A cell as text; `comma` writes decimals as Dutch readers do (the Markdown and HTML formats).
    static func plain(_ cell: ReportCell, comma: Bool = false) -> String {
        switch cell {
        case .empty: "–"
        case .int(let n): String(n)
        case .number(let d, let decimals): RiskReport.format(d, decimals, comma: comma)
        case .text(let s): s
        }
    }

    /// Aligned columns for a terminal, each table within `width` characters: the widest columns are
    /// narrowed first (``TableLayout/fit(natural:minimum:width:gap:)``) and a text longer than its
    /// column loses its middle (``TableLayout/cutMiddle(_:to:)``), so names that differ only at
    /// their end stay apart. `dubbelslot-report` passes the terminal's width (``TerminalWidth``).
    public static func table(_ report: RiskReport, width: Int = 100) -> String {
        var out = header(report).replacingOccurrences(of: "; ", with: "\n") + "\n"
        for table in report.tables() {
            out += "\n" + table.title + "\n"
            let texts = table.rows.map { $0.map { plain($0).replacingOccurrences(of: "\n", with: " ") } }
            let natural = table.columns.indices.map { c in ([table.columns[c]] + texts.map { $0[c] }).map(\.count).max() ?? 0 }
            let widths = fittedWidths(columns: table.columns, natural: natural, width: width)
            func line(_ cells: [String], numeric: [Bool]) -> String {
                cells.indices.map { c in
                    let text = TableLayout.cutMiddle(cells[c], to: widths[c])
                    let pad = String(repeating: " ", count: widths[c] - text.count)
                    return numeric[c] ? pad + text : text + pad
                }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
            }
            let numeric = table.columns.indices.map { c in
                table.rows.contains { if case .text = $0[c] { true } else { false } } == false && !table.rows.isEmpty
            }
            out += line(table.columns, numeric: numeric) + "\n"
            out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            for row in texts { out += line(row, numeric: numeric) + "\n" }
            if table.rows.isEmpty { out += "(none)\n" }
        }
        return out + missingNote(report)
    }

    /// The columns whose text tells one row from another; they keep at least ``nameColumnWidth``
    /// characters when the table can afford it.
    static let nameColumns: Set<String> = ["School"]
    /// Enough of a school name for its start and its distinguishing end (`Taalins…eld 048 B.V.`).
    static let nameColumnWidth = 20

    /// Column widths within `width`: first with each column kept at least as wide as its header (up to
    /// its own width) and a name column at least ``nameColumnWidth``; when that cannot fit, with 6
    /// characters for every column, as narrow as a table gets.
    static func fittedWidths(columns: [String], natural: [Int], width: Int) -> [Int] {
        let preferred = columns.indices.map { c in
            nameColumns.contains(columns[c]) ? nameColumnWidth : max(columns[c].count, 6)
        }
        let widths = TableLayout.fit(natural: natural, minimum: preferred, width: width)
        if widths.reduce(0, +) + 2 * max(widths.count - 1, 0) <= width { return widths }
        return TableLayout.fit(natural: natural, width: width)
    }

    static func header(_ report: RiskReport, language: TextLanguage = .english) -> String {
        let p = report.parameters
        if language == .dutch {
            let area = [p.province.map { "provincie \($0)" }, p.region.map { "regio \($0)" }, p.municipality.map { "gemeente \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            return "Dubbelslot risicorapport, \(p.from) tot \(p.to) (exclusief)\(area.isEmpty ? "" : ", \(area)")"
                + "; kennis tot \(p.asOf ?? p.generatedAt)\(report.modelVersion.map { "; risicomodel \($0)" } ?? "")"
        }
        let area = [p.province.map { "province \($0)" }, p.region.map { "region \($0)" }, p.municipality.map { "municipality \($0)" }]
            .compactMap { $0 }.joined(separator: ", ")
        return "Dubbelslot risk report, \(p.from) to \(p.to) (exclusive)\(area.isEmpty ? "" : ", \(area)")"
            + "; as of \(p.asOf ?? p.generatedAt)\(report.modelVersion.map { "; risk model \($0)" } ?? "")"
    }

    static func missingNote(_ report: RiskReport, language: TextLanguage = .english) -> String {
        report.missing.isEmpty ? "" : (language == .dutch ? "\nOntbrekende onderdelen: " : "\nMissing sections: ")
            + report.missing.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: "; ") + "\n"
    }

    /// Markdown for a memo, in Dutch: a heading per table and a pipe table.
    public static func markdown(_ report: RiskReport) -> String {
        var out = "# " + header(report, language: .dutch) + "\n"
        func escape(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        for table in report.tables(language: .dutch) {
            out += "\n## \(escape(table.title))\n\n"
            out += "| " + table.columns.map(escape).joined(separator: " | ") + " |\n"
            out += "|" + table.columns.map { _ in "---|" }.joined() + "\n"
            for row in table.rows { out += "| " + row.map { escape(plain($0, comma: true)) }.joined(separator: " | ") + " |\n" }
            if table.rows.isEmpty { out += "| " + table.columns.map { _ in "–" }.joined(separator: " | ") + " |\n" }
        }
        return out + missingNote(report, language: .dutch)
    }
}

extension ReportRenderer {
    /// `report.schema.json`, the JSON Schema of the `json` format, as shipped with the library.
    public static func jsonSchema() throws -> Data {
        guard let url = Bundle.module.url(forResource: "report.schema", withExtension: "json") else { throw CocoaError(.fileNoSuchFile) }
        return try Data(contentsOf: url)
    }
}
