import Foundation
import DubbelslotCore
import Testing

extension CoreTests {
    @Suite("School import rules")
    struct SchoolImportRulesTests {
        let known: Set<MunicipalityCode> = [MunicipalityCode("GM0363")!]

        @Test("every bad school row is listed with line, column and rule")
        func badSchools() {
            let t = table(["kvkNumber", "name", "municipalityCode", "routes"], [
                ["12345678", "Taalschool Voorbeeld 1", "GM0363", "b1Route"],
                ["1234567", "Taalschool Voorbeeld 2", "GM363", "b1Route|zRoute"],
                ["12345678", "Taalschool Voorbeeld 3", "GM0599", "busRoute"],
            ])
            #expect {
                _ = try SchoolImportRules.validate(t, knownMunicipalities: known)
            } throws: { error in
                let e = (error as! ValidationFailure).errors.map { "\($0.line!):\($0.field)" }
                return e == ["3:kvkNumber", "3:municipalityCode", "4:municipalityCode", "4:routes", "4:kvkNumber"]
            }
        }

        @Test("the import keeps the API's rules for names: a 2,800-letter trade name, 21 trade names, an empty name")
        func schoolNamesFollowTheAPIsRules() {
            let long = String(repeating: "a", count: 2_800)
            let many = (1...21).map { "Handelsnaam \($0)" }.joined(separator: "|")
            let t = table(["kvkNumber", "name", "municipalityCode", "routes", "tradeNames"], [
                ["00000017", "Taalschool Voorbeeld 017 B.V.", "GM0363", "b1Route", "Kort|\(long)"],
                ["00000025", "Taalschool Voorbeeld 025 B.V.", "GM0363", "b1Route", many],
                ["00000033", String(repeating: "b", count: 201), "GM0363", "b1Route", ""],
            ])
            #expect {
                _ = try SchoolImportRules.validate(t, knownMunicipalities: known)
            } throws: { error in
                let e = (error as! ValidationFailure).errors.map { "\($0.line!):\($0.field):\($0.rule)" }
                return e == ["2:tradeNames[1]:must be at most 200 characters", "3:tradeNames:must hold at most 20 names",
                             "4:name:must be at most 200 characters"]
            }
        }

        @Test("a missing column is named")
        func missingColumn() {
            #expect {
                _ = try SchoolImportRules.validate(table(["kvkNumber", "name", "routes"], [["12345678", "x", "b1Route"]]), knownMunicipalities: known)
            } throws: { ($0 as! ValidationFailure).errors == [FieldError(field: "municipalityCode", rule: "column is missing from the header", line: 1)] }
        }

        @Test("good rows come back whole")
        func goodSchools() throws {
            let rows = try SchoolImportRules.validate(table(["kvkNumber", "name", "municipalityCode", "routes", "tradeNames"], [
                ["00000017", "Taalschool Voorbeeld 017 B.V.", "GM0363", "b1Route | zRoute", "Voorbeeld 17|TV17"],
            ]), knownMunicipalities: known)
            #expect(rows.count == 1)
            #expect(rows[0].routes == [.b1Route, .zRoute])
            #expect(rows[0].tradeNames == ["Voorbeeld 17", "TV17"])
        }
    }
}
