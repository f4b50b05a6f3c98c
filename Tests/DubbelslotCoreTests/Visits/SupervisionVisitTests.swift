import Foundation
import DubbelslotCore
import Testing

extension CoreTests {
    /// `NormCode`: the quality-mark handbook numbers that findings name.
    @Suite struct SupervisionVisitTests {
        @Test(arguments: ["4.2", "1.1", "10.1", "4.2.1", "99.99.99"])
        func handbookNumbers(code: String) { #expect(NormCode.isValid(code)) }

        @Test(arguments: ["x", "abc", "4", "4.", ".2", "04.2", "4.2.1.1", "100.1", "4,2", "4.2a", "", "４.２"])
        func notHandbookNumbers(code: String) { #expect(!NormCode.isValid(code)) }
    }
}
