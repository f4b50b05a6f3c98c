import DubbelslotCore
import Foundation
import Testing

extension CoreTests {
    @Suite("Identifiers")
    struct IdentifiersTests {
        @Test("KvK numbers are exactly 8 digits", arguments: ["1234567", "123456789", "1234567a", "", "１２３４５６７８", " 12345678"])
        func badKvK(text: String) { #expect(KvKNumber(text) == nil) }

        @Test func goodKvK() { #expect(KvKNumber("01234567")?.rawValue == "01234567") }

        @Test("municipality codes are GM plus 4 digits", arguments: ["GM363", "GM03630", "gm0363", "PV0363", "GM03a3"])
        func badMunicipality(text: String) { #expect(MunicipalityCode(text) == nil) }

        @Test func goodMunicipality() { #expect(MunicipalityCode("GM0363")?.rawValue == "GM0363") }

        @Test("vestigingsnummers are 12 digits")
        func vestiging() {
            #expect(Vestigingsnummer("000012345678") != nil)
            #expect(Vestigingsnummer("00001234567") == nil)
        }

        @Test func onlyThe36CharacterFormIsAUUID() {
            #expect(UUID(strict: "1dadfd61-f1ca-416e-b167-855da75fe755") != nil)
            #expect(UUID(strict: "1DADFD61-F1CA-416E-B167-855DA75FE755") != nil)
            // Foundation reads a C string, so everything after a NUL byte was ignored; not here.
            #expect(UUID(strict: "1dadfd61-f1ca-416e-b167-855da75fe755\u{0}garbage") == nil)
            #expect(UUID(strict: "1dadfd61-f1ca-416e-b167-855da75fe755\u{0}") == nil)
            #expect(UUID(strict: "1dadfd61f1ca416eb167855da75fe755") == nil)
            #expect(UUID(strict: "{1dadfd61-f1ca-416e-b167-855da75fe755}") == nil)
        }
    }
}
