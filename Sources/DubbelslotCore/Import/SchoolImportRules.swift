import Foundation

/// One valid record of a schools file.
public struct SchoolImportRow: Hashable, Sendable {
    /// The 1-based line of the record (the header is line 1).
    public let line: Int
    /// The school's KvK number, 8 digits.
    public let kvkNumber: KvKNumber
    /// The registered name, by ``SchoolFieldRules``.
    public let name: String
    /// The trade names, `|`-separated in the file; empty when none.
    public let tradeNames: [String]
    /// The CBS code of the seat's municipality, one already imported.
    public let municipalityCode: MunicipalityCode
    /// The routes offered, at least one.
    public let routes: Set<Route>
}

/// Validation of a schools (register) file.
///
/// Columns: `kvkNumber` (8 digits), `name`, `municipalityCode` (GMnnnn, the seat), `routes`
/// (`|`-separated: b1Route, educationRoute, zRoute) and optionally `tradeNames` (`|`-separated).
/// Names follow ``SchoolFieldRules``, the same rules as the API's.
/// The quality-mark body publishes no register with KvK numbers (shared/DESIGN.md), so the KvK
/// number is the only key and must be given.
public enum SchoolImportRules {
    /// Columns the header must have.
    public static let requiredColumns = ["kvkNumber", "name", "municipalityCode", "routes"]

    /// Checks every record and returns all of them, or every broken rule of the whole file.
    ///
    /// - Parameter knownMunicipalities: the codes a seat may name (municipalities already imported).
    /// - Throws: ``ValidationFailure`` with one ``FieldError`` per broken rule, including duplicate KvK
    ///   numbers (the later line names the first).
    public static func validate(_ table: CSVTable, knownMunicipalities: Set<MunicipalityCode>) throws(ValidationFailure) -> [SchoolImportRow] {
        var errors = table.missingColumns(requiredColumns)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        var rows: [SchoolImportRow] = []
        var firstLine: [KvKNumber: Int] = [:]
        for r in table.records {
            let kvk = r["kvkNumber"].flatMap(KvKNumber.init)
            if kvk == nil { errors.append(FieldError(field: "kvkNumber", rule: KvKNumber.rule, line: r.line)) }
            // The API's rules (SchoolFieldRules), with the record's line.
            func add(_ found: [FieldError]) { errors += found.map { FieldError(field: $0.field, rule: $0.rule, line: r.line) } }
            let nameErrors = SchoolFieldRules.nameErrors(r["name"], field: "name")
            add(nameErrors)
            let name = nameErrors.isEmpty ? r["name"] : nil
            var municipality = r["municipalityCode"].flatMap(MunicipalityCode.init)
            if municipality == nil {
                errors.append(FieldError(field: "municipalityCode", rule: MunicipalityCode.rule, line: r.line))
            } else if !knownMunicipalities.contains(municipality!) {
                errors.append(FieldError(field: "municipalityCode", rule: "must name a known municipality (import municipalities first)", line: r.line))
                municipality = nil
            }
            let routeTexts = (r["routes"] ?? "").split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let routes = Set(routeTexts.compactMap(Route.init(rawValue:)))
            if routeTexts.isEmpty || routes.count != Set(routeTexts).count {
                errors.append(FieldError(field: "routes", rule: "must be one or more of b1Route, educationRoute, zRoute separated by |", line: r.line))
            }
            let tradeNames = (r["tradeNames"] ?? "").split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            add(SchoolFieldRules.tradeNameErrors(tradeNames))
            if let kvk {
                if let first = firstLine[kvk] {
                    errors.append(FieldError(field: "kvkNumber", rule: "duplicate KvK number, first on line \(first)", line: r.line))
                } else {
                    firstLine[kvk] = r.line
                }
            }
            if let kvk, let name, let municipality, !routes.isEmpty {
                rows.append(SchoolImportRow(line: r.line, kvkNumber: kvk, name: name, tradeNames: tradeNames, municipalityCode: municipality, routes: routes))
            }
        }
        if table.records.isEmpty { errors.append(FieldError(field: "file", rule: "has no records", line: 2)) }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return rows
    }
}
