import Foundation
import DubbelslotCore
import Testing

extension CoreTests {
    @Suite struct MunicipalityImportRulesTests {
        @Test("duplicate municipality codes are refused")
        func duplicateMunicipality() {
            let t = table(MunicipalityImportRules.requiredColumns, [["GM0363", "Amsterdam", "PV27", "Noord-Holland"], ["GM0363", "Amsterdam", "PV27", "Noord-Holland"]])
            #expect(throws: ValidationFailure.self) { _ = try MunicipalityImportRules.validate(t) }
        }
    }
}
