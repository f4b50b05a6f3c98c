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
///
/// Sizes are capped so that every file costs time linear in its length: at most
/// ``maximumColumns`` columns in the header and ``maximumFieldCharacters`` characters in a field
/// (the longest value any column takes is 4,000 characters). A header over the cap is refused
/// before any record is read.
public enum CSVFile {
    /// The most columns a header may have: every file of ours has fewer than twenty.
    public static let maximumColumns = 100
    /// The most characters a field may hold: well above the longest value any column accepts
    /// (a signal's summary, 4,000), so the column's own rule names the real limit first.
    public static let maximumFieldCharacters = 10_000

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
        // The header's columns counted before the CSV library reads it, stopping past the limit:
        // a header of millions of columns is refused at once, not after the library has read them all.
        var columnsSeen = 1, quoted = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted && (byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")) { break }
            if !quoted && byte == UInt8(ascii: ",") {
                columnsSeen += 1
                if columnsSeen > maximumColumns {
                    throw ValidationFailure([FieldError(field: "file", rule: "has more than \(maximumColumns) columns in its header; at most \(maximumColumns) are accepted", line: 1)])
                }
            }
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
        guard header.count <= maximumColumns else {
            throw ValidationFailure([FieldError(field: "file", rule: "has \(header.count) columns in its header; at most \(maximumColumns) are accepted", line: 1)])
        }
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
        var errors: [FieldError] = []
        // One pass with a set: a column reported once, however often it repeats.
        var seen = Set<String>(), reported = Set<String>()
        for c in columns where !seen.insert(c).inserted && reported.insert(c).inserted {
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
            for (column, value) in zip(columns, row) {
                if value.utf8.count > maximumFieldCharacters && value.count > maximumFieldCharacters {
                    errors.append(FieldError(field: column, rule: "must be at most \(maximumFieldCharacters) characters", line: line))
                }
                // PostgreSQL text cannot hold NUL; no column of ours needs control characters but line breaks and tabs.
                if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !["\n", "\r", "\t"].contains($0) }) {
                    errors.append(FieldError(field: column, rule: "must not contain control characters", line: line))
                }
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
