import Foundation
import Testing

@testable import DubbelslotCore

extension CoreTests {
    /// The fast paths (hex, dates, trimming, working days; measured in BENCHMARKS.md) give what the general paths give.
    @Suite("Fast paths equal the general ones")
    struct FastPathTests {
        @Test("an ASCII name folds the same with lowercased() as through LatinFolding")
        func asciiFold() {
            var generator = SystemRandomNumberGenerator()
            let printable = (32...126).map { Character(UnicodeScalar(UInt8($0))) }
            for _ in 0..<2_000 {
                let name = String((0..<Int.random(in: 0...40, using: &generator)).map { _ in printable.randomElement(using: &generator)! })
                #expect(name.lowercased() == LatinFolding.fold(name), "\(name)")
            }
            #expect(SchoolNameNormalizer.normalize("Café De Ĳssel B.V.") == "cafe de ijssel")
        }

        @Test("CSV values are trimmed of CharacterSet.whitespaces only, as trimmingCharacters(in:) does")
        func trimming() {
            for raw in ["  a b  ", "\ta\t", "\u{00A0}x\u{2003}", " ", "", "a\n", "\u{3000}Ĳ\u{3000}"] {
                let record = CSVRecord(line: 2, values: ["c": raw])
                let expected = raw.trimmingCharacters(in: .whitespaces)
                #expect(record["c"] == (expected.isEmpty ? nil : expected), "\(raw.debugDescription)")
            }
        }

        @Test("the IBAN gate lets every IBAN through, spaced or not, and the guard still finds them")
        func ibanGate() {
            #expect(PIIGuard.scan("rekening NL91 ABNA 0417 1643 00 graag").contains(.iban))
            #expect(PIIGuard.scan("NL91ABNA0417164300") == [.iban])
            #expect(PIIGuard.scan("iban gb82west12345698765432.") == [.iban])
            #expect(PIIGuard.scan("Importtest Voorbeeld 12345 B.V.") == [])
        }
    }
}
