import Foundation

/// Validation of a municipalities file in the CBS layout of `data/reference/gemeenten_2025.csv`.
///
/// Columns: `gemeentecode_gm` (GMnnnn), `gemeentenaam`, `provinciecode_pv` (PVnn), `provincienaam`, and
/// optionally `arbeidsmarktregio_code` (AMnn). Other columns are ignored.
public enum MunicipalityImportRules {
    /// Columns the header must have (CBS layout).
    public static let requiredColumns = ["gemeentecode_gm", "gemeentenaam", "provinciecode_pv", "provincienaam"]

    /// Checks every record and returns all of them, or every broken rule of the whole file.
    ///
    /// - Throws: ``ValidationFailure`` with one ``FieldError`` per broken rule (line, column, rule),
    ///   including duplicate codes (both lines are named).
    public static func validate(_ table: CSVTable) throws(ValidationFailure) -> [Municipality] {
        var errors = table.missingColumns(requiredColumns)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        var result: [Municipality] = []
        var firstLine: [MunicipalityCode: Int] = [:]
        for r in table.records {
            let code = r["gemeentecode_gm"].flatMap(MunicipalityCode.init)
            if code == nil { errors.append(FieldError(field: "gemeentecode_gm", rule: MunicipalityCode.rule, line: r.line)) }
            let name = r["gemeentenaam"]
            if name == nil { errors.append(FieldError(field: "gemeentenaam", rule: "is required", line: r.line)) }
            let province = r["provinciecode_pv"].flatMap(ProvinceCode.init)
            if province == nil { errors.append(FieldError(field: "provinciecode_pv", rule: ProvinceCode.rule, line: r.line)) }
            let provinceName = r["provincienaam"]
            if provinceName == nil { errors.append(FieldError(field: "provincienaam", rule: "is required", line: r.line)) }
            let region = r["arbeidsmarktregio_code"]
            if let region, !(region.count == 4 && region.hasPrefix("AM") && region.dropFirst(2).allSatisfy(\.isASCII) && region.dropFirst(2).allSatisfy(\.isNumber)) {
                errors.append(FieldError(field: "arbeidsmarktregio_code", rule: "must be AM followed by 2 digits (labour-market region)", line: r.line))
            }
            if let code {
                if let first = firstLine[code] {
                    errors.append(FieldError(field: "gemeentecode_gm", rule: "duplicate code, first on line \(first)", line: r.line))
                } else {
                    firstLine[code] = r.line
                }
            }
            if let code, let name, let province, let provinceName {
                result.append(Municipality(code: code, name: name, provinceCode: province, provinceName: provinceName, labourMarketRegion: region))
            }
        }
        if table.records.isEmpty { errors.append(FieldError(field: "file", rule: "has no records", line: 2)) }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return result
    }
}
