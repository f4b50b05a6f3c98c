import Foundation

/// One valid record of a quality-mark decisions file.
public struct QualityMarkImportRow: Hashable, Sendable {
    /// The 1-based line of the record (the header is line 1).
    public let line: Int
    /// The school's KvK number, 8 digits.
    public let kvkNumber: KvKNumber
    /// The location (vestiging) the decision is about; `nil` for the whole school.
    public let vestigingsnummer: Vestigingsnummer?
    /// The decision's status.
    public let status: QualityMarkStatus
    /// `validFrom` to `validUntil` (exclusive; open-ended when empty), within ``QualityMarkImportRules/plausibleDates``.
    public let validDuring: DateRange
    /// The day the quality-mark body decided.
    public let decidedOn: LocalDate
    /// The body's reference, 1–64 characters; `nil` when empty.
    public let reference: String?
    /// The body's reason, at most 4,000 characters, no personal data; `nil` when empty.
    public let reason: String?
}

/// Validation of a file of the quality-mark body's decisions (its register of holders, suspensions
/// and withdrawals), matched to schools by KvK number and to locations by KvK vestigingsnummer.
///
/// Columns: `kvkNumber` (8 digits), `status` (``QualityMarkStatus``), `validFrom` and `decidedOn`
/// (`YYYY-MM-DD`), and optionally `validUntil` (exclusive, after `validFrom`), `vestigingsnummer`
/// (12 digits: a decision about that location only), `reference` (1–64 characters) and `reason`
/// (up to 4,000 characters, no personal data). Whether each decision may follow the one before is
/// checked when the file is written (``QualityMarkLifecycle``), in the order of `validFrom`.
public enum QualityMarkImportRules {
    /// Columns the header must have.
    public static let requiredColumns = ["kvkNumber", "status", "validFrom", "decidedOn"]

    /// Dates a decision's period may start or end on: the Keurmerk Inburgeren exists since 2019 (Wet
    /// inburgering 2021's predecessor regime) and a decision runs for years; outside this are typing errors.
    public static let plausibleDates = LocalDate(year: 2000, month: 1, day: 1)!...LocalDate(year: 2099, month: 12, day: 31)!

    /// Checks every record and returns all of them, or every broken rule of the whole file.
    ///
    /// - Parameter today: decisions are not taken in the future (`decidedOn` ≤ today, Europe/Amsterdam).
    /// - Throws: ``ValidationFailure`` with one ``FieldError`` per broken rule, with its line.
    public static func validate(_ table: CSVTable, today: LocalDate) throws(ValidationFailure) -> [QualityMarkImportRow] {
        var errors = table.missingColumns(requiredColumns)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        var rows: [QualityMarkImportRow] = []
        for r in table.records {
            func fail(_ field: String, _ rule: String) { errors.append(FieldError(field: field, rule: rule, line: r.line)) }
            let kvk = r["kvkNumber"].flatMap(KvKNumber.init)
            if kvk == nil { fail("kvkNumber", KvKNumber.rule) }
            var location: Vestigingsnummer?
            if let text = r["vestigingsnummer"] {
                location = Vestigingsnummer(text)
                if location == nil { fail("vestigingsnummer", Vestigingsnummer.rule) }
            }
            let status = r["status"].flatMap(QualityMarkStatus.init(rawValue:))
            if status == nil { fail("status", "must be one of " + QualityMarkStatus.allCases.map(\.rawValue).joined(separator: ", ")) }
            let from = r["validFrom"].flatMap { LocalDate(iso8601: $0) }
            if from == nil { fail("validFrom", "must be an existing date written YYYY-MM-DD") }
            var until: LocalDate?
            if let text = r["validUntil"] {
                until = LocalDate(iso8601: text)
                if until == nil { fail("validUntil", "must be an existing date written YYYY-MM-DD") }
            }
            if let from, let until, until <= from { fail("validUntil", "must be after validFrom (the first day no longer covered)") }
            if let from, !plausibleDates.contains(from) { fail("validFrom", "must be between 2000-01-01 and 2099-12-31") }
            if let until, !plausibleDates.contains(until) { fail("validUntil", "must be between 2000-01-01 and 2099-12-31") }
            let decidedOn = r["decidedOn"].flatMap { LocalDate(iso8601: $0) }
            if decidedOn == nil { fail("decidedOn", "must be an existing date written YYYY-MM-DD") }
            if let decidedOn, decidedOn > today { fail("decidedOn", "must not be in the future") }
            let reference = r["reference"]
            if let reference, reference.count > 64 { fail("reference", "must be at most 64 characters") }
            let reason = r["reason"]
            if let reason, reason.count > 4000 { fail("reason", "must be at most 4000 characters") }
            if let e = PIIGuard.check(reason, field: "reason") { fail(e.field, e.rule) }
            if let e = PIIGuard.check(reference, field: "reference") { fail(e.field, e.rule) }
            if let kvk, let status, let from, let decidedOn, let period = DateRange(from: from, until: until),
               r["vestigingsnummer"] == nil || location != nil {
                rows.append(QualityMarkImportRow(line: r.line, kvkNumber: kvk, vestigingsnummer: location, status: status, validDuring: period,
                                                 decidedOn: decidedOn, reference: reference, reason: reason))
            }
        }
        if table.records.isEmpty { errors.append(FieldError(field: "file", rule: "has no records", line: 2)) }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return rows
    }
}
