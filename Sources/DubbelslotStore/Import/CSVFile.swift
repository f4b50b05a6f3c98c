import CSV
public import DubbelslotCore
public import Foundation

/// Reads a CSV file into a ``CSVTable`` with yaslab/CSV.swift (RFC 4180 quoting).
///
/// Accepted: UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8" writes one), comma
/// separators, a header row. Refused, with a ``FieldError`` on field `file`: other encodings,
/// semicolon-separated files (Dutch Excel's default "CSV"), records whose field count differs from
/// the header's. Lines are counted from 1 (the header); a record's line is exact unless an earlier
/// quoted field spans several lines.
public enum CSVFile {
    /// Reads and parses the file at `url`.
    ///
    /// - Throws: ``ValidationFailure`` when the file cannot be read or is not well-formed CSV as above.
    public static func read(contentsOf url: URL) throws(ValidationFailure) -> CSVTable {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ValidationFailure([FieldError(field: "file", rule: "cannot be read (\(url.path))")])
        }
        return try parse(data)
    }

    /// Parses CSV bytes.
    ///
    /// - Throws: ``ValidationFailure`` as ``read(contentsOf:)``.
    public static func parse(_ data: Data) throws(ValidationFailure) -> CSVTable {
        guard var text = String(data: data, encoding: .utf8) else {
            throw ValidationFailure([FieldError(field: "file", rule: "must be UTF-8 text", line: 1)])
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let headerLine = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        if headerLine.contains(";") && !headerLine.contains(",") {
            throw ValidationFailure([FieldError(field: "file", rule: "must be comma-separated; found ';' separators (save as \"CSV UTF-8 (comma delimited)\")", line: 1)])
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            throw ValidationFailure([FieldError(field: "file", rule: "has no header row", line: 1)])
        }
        guard let header = reader.headerRow, header.contains(where: { !$0.isEmpty }) else {
            throw ValidationFailure([FieldError(field: "file", rule: "has no header row", line: 1)])
        }
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
        var duplicates = Set<String>()
        var errors: [FieldError] = []
        for c in columns where columns.filter({ $0 == c }).count > 1 && duplicates.insert(c).inserted {
            errors.append(FieldError(field: c, rule: "column appears more than once in the header", line: 1))
        }
        var records: [CSVRecord] = []
        var line = 1
        while let row = reader.next() {
            line += 1
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.count == columns.count else {
                errors.append(FieldError(field: "record", rule: "has \(row.count) fields where the header has \(columns.count)", line: line))
                continue
            }
            // PostgreSQL text cannot hold NUL; no column of ours needs control characters but line breaks and tabs.
            for (column, value) in zip(columns, row)
            where value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !["\n", "\r", "\t"].contains($0) }) {
                errors.append(FieldError(field: column, rule: "must not contain control characters", line: line))
            }
            records.append(CSVRecord(line: line, values: Dictionary(zip(columns, row), uniquingKeysWith: { first, _ in first })))
        }
        if reader.error != nil {
            errors.append(FieldError(field: "file", rule: "is not well-formed CSV", line: line))
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return CSVTable(header: columns, records: records)
    }
}
