import Foundation

/// One valid record of a signals file, as a municipality's case system exported it.
public struct SignalImportRow: Hashable, Sendable {
    /// The 1-based line of the record (the header is line 1).
    public let line: Int
    /// The municipality's own case id, 1–100 characters, unique within the file.
    public let caseReference: String
    /// The school as reported, at most 200 characters.
    public let reportedSchoolName: String
    /// The KvK number as reported (8 digits); `nil` when empty.
    public let reportedKvkNumber: KvKNumber?
    /// The KvK vestigingsnummer as reported (12 digits); `nil` when empty.
    public let reportedVestigingsnummer: Vestigingsnummer?
    /// The place as reported, at most 100 characters; `nil` when empty.
    public let reportedPlace: String?
    /// The kind of abuse alleged.
    public let category: SignalCategory
    /// How serious the allegation is.
    public let severity: SignalSeverity
    /// The first day of the observed period, not after the business date.
    public let observedFrom: LocalDate
    /// Exclusive end of the observed period, after `observedFrom`; `nil` while ongoing.
    public let observedUntil: LocalDate?
    /// Free text, at most 4,000 characters, no personal data (``PIIGuard``).
    public let summary: String
    /// Where the municipality learned of it.
    public let source: SignalSource
}

/// Validation of a signals file for bulk intake (docs/decisions/0008-signal-lifecycle-and-intake.md).
///
/// Columns, values trimmed:
/// - `caseReference` (required): the municipality's own case id, 1–100 characters, unique in the file;
///   intake is idempotent on it per municipality.
/// - `reportedSchoolName` (required, at most 200 characters), `reportedKvkNumber` (8 digits),
///   `reportedVestigingsnummer` (12 digits), `reportedPlace` (at most 100 characters).
/// - `category`, `severity`, `source` (required): the raw values of ``SignalCategory``,
///   ``SignalSeverity``, ``SignalSource``.
/// - `observedFrom` (required, `YYYY-MM-DD`, not after `today`) and `observedUntil` (`YYYY-MM-DD`,
///   exclusive, after `observedFrom`; empty while ongoing).
/// - `summary` (required, at most 4000 characters, no personal data: ``PIIGuard``).
///
/// The optional columns may be left out of the header or left empty. The lengths are those of the
/// API's `NewFraudSignal`; other columns are ignored. The reporting municipality is not a column:
/// a file comes from one municipality's case system and the caller names it.
public enum SignalImportRules {
    /// Columns the header must have.
    public static let requiredColumns = ["caseReference", "reportedSchoolName", "category", "severity", "observedFrom", "summary", "source"]
    /// Columns the header may have.
    public static let optionalColumns = ["reportedKvkNumber", "reportedVestigingsnummer", "reportedPlace", "observedUntil"]

    /// Checks every record and returns all of them, or every broken rule of the whole file.
    ///
    /// - Parameter today: the business date (Europe/Amsterdam) `observedFrom` may not lie after.
    /// - Throws: ``ValidationFailure`` with one ``FieldError`` per broken rule (line, column, rule),
    ///   including a `caseReference` that repeats an earlier line's (the later line names the first)
    ///   and a file without records.
    public static func validate(_ table: CSVTable, today: LocalDate) throws(ValidationFailure) -> [SignalImportRow] {
        var errors = table.missingColumns(requiredColumns)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        var rows: [SignalImportRow] = []
        var firstLine: [String: Int] = [:]
        for r in table.records {
            func fail(_ field: String, _ rule: String) { errors.append(FieldError(field: field, rule: rule, line: r.line)) }
            func text(_ column: String, max: Int, required: Bool) -> String? {
                guard let value = r[column] else {
                    if required { fail(column, "is required") }
                    return nil
                }
                if value.count > max { fail(column, "must be at most \(max) characters"); return nil }
                return value
            }
            func parsed<T>(_ column: String, _ make: (String) -> T?, rule: String) -> T? {
                guard let value = r[column] else { return nil }
                guard let result = make(value) else { fail(column, rule); return nil }
                return result
            }
            func required<T: RawRepresentable & CaseIterable>(_ column: String, _ type: T.Type) -> T? where T.RawValue == String {
                guard r[column] != nil else { fail(column, "is required"); return nil }
                return parsed(column, T.init(rawValue:), rule: "must be one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
            }

            let caseReference = text("caseReference", max: 100, required: true)
            let name = text("reportedSchoolName", max: 200, required: true)
            let kvk = parsed("reportedKvkNumber", KvKNumber.init, rule: KvKNumber.rule)
            let vestiging = parsed("reportedVestigingsnummer", Vestigingsnummer.init, rule: Vestigingsnummer.rule)
            let place = text("reportedPlace", max: 100, required: false)
            let category = required("category", SignalCategory.self)
            let severity = required("severity", SignalSeverity.self)
            let dateRule = "must be an existing date written YYYY-MM-DD (ISO 8601)"
            let from = parsed("observedFrom", { LocalDate(iso8601: $0) }, rule: dateRule)
            if r["observedFrom"] == nil { fail("observedFrom", "is required") }
            if let from, from > today { fail("observedFrom", "must not be in the future") }
            let until = parsed("observedUntil", { LocalDate(iso8601: $0) }, rule: dateRule)
            if let from, let until, until <= from { fail("observedUntil", "must be after observedFrom (exclusive end)") }
            var summary = text("summary", max: 4000, required: true)
            if let error = PIIGuard.check(summary, field: "summary") {
                errors.append(FieldError(field: error.field, rule: error.rule, line: r.line))
                summary = nil
            }
            for column in ["reportedSchoolName", "reportedPlace"] {
                if let error = PIIGuard.check(r[column], field: column) { errors.append(FieldError(field: error.field, rule: error.rule, line: r.line)) }
            }
            let source = required("source", SignalSource.self)
            if let caseReference {
                if let first = firstLine[caseReference] {
                    fail("caseReference", "duplicate case reference, first on line \(first)")
                } else {
                    firstLine[caseReference] = r.line
                }
            }
            if let caseReference, let name, let category, let severity, let from, let summary, let source {
                rows.append(SignalImportRow(
                    line: r.line, caseReference: caseReference, reportedSchoolName: name, reportedKvkNumber: kvk,
                    reportedVestigingsnummer: vestiging, reportedPlace: place, category: category, severity: severity,
                    observedFrom: from, observedUntil: until, summary: summary, source: source))
            }
        }
        if table.records.isEmpty { errors.append(FieldError(field: "file", rule: "has no records", line: 2)) }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return rows
    }
}
