import Foundation

/// A parsed CSV file: its header and its records, each with the line it started on.
///
/// Parsing (quoting, separators, encodings) is the Store's job with a CSV library; Core only
/// validates the values.
public struct CSVTable: Sendable {
    /// Column names as written in the header row.
    public let header: [String]
    /// The records after the header, in file order.
    public let records: [CSVRecord]

    /// A table as the Store's CSV reader parsed it.
    public init(header: [String], records: [CSVRecord]) {
        self.header = header
        self.records = records
    }

    /// Field errors for required columns that the header lacks (reported on line 1).
    public func missingColumns(_ required: [String]) -> [FieldError] {
        required.filter { !header.contains($0) }.map { FieldError(field: $0, rule: "column is missing from the header", line: 1) }
    }
}

/// One record of a CSV file.
public struct CSVRecord: Sendable {
    /// The 1-based line on which the record starts (the header is line 1).
    public let line: Int
    /// Values by column name, untrimmed.
    public let values: [String: String]

    /// A record as parsed.
    public init(line: Int, values: [String: String]) {
        self.line = line
        self.values = values
    }

    /// The trimmed value of `column`, or `nil` when empty.
    public subscript(column: String) -> String? {
        // Trimmed by scalar rather than with NSString's trimmingCharacters (a seventh of an import's
        // CPU went to bridging); the same set, CharacterSet.whitespaces.
        guard let raw = values[column] else { return nil }
        let scalars = raw.unicodeScalars
        guard let first = scalars.firstIndex(where: { !CharacterSet.whitespaces.contains($0) }),
              let last = scalars.lastIndex(where: { !CharacterSet.whitespaces.contains($0) })
        else { return nil }
        return String(scalars[first...last])
    }
}
