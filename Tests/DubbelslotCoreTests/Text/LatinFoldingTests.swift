import Foundation
import Testing

@testable import DubbelslotCore

extension CoreTests {
    /// One fold for every Latin letter: what a Dutch clerk would type.
    @Suite struct LatinFoldingTests {
        @Test(arguments: [
            ("ı", "i"), ("İ", "i"), ("ł", "l"), ("Ł", "l"), ("ø", "o"), ("Ø", "o"), ("æ", "ae"), ("Æ", "ae"), ("ß", "ss"), ("ẞ", "ss"),
            ("œ", "oe"), ("Œ", "oe"), ("đ", "d"), ("Đ", "d"), ("ð", "d"), ("þ", "th"), ("Þ", "th"), ("ħ", "h"), ("ŧ", "t"), ("ŋ", "n"),
            ("ĸ", "k"), ("ə", "e"), ("ʒ", "z"), ("ſ", "s"), ("Ĳ", "ij"), ("ĳ", "ij"), ("é", "e"), ("ç", "c"), ("ñ", "n"), ("ŀ", "l"),
            ("ǆ", "dz"), ("ƒ", "f"), ("ɨ", "i"), ("ȼ", "c"), ("ɍ", "r"), ("Ａ", "a"), ("ｚ", "z"), ("１", "1"), ("ﬁ", "fi"),
        ])
        func theLettersAClerkTypes(letter: String, typed: String) {
            #expect(LatinFolding.fold(letter) == typed, "\(letter)")
        }

        /// Every letter Unicode names "LATIN SMALL/CAPITAL LETTER/LIGATURE …" in Latin-1 Supplement, Latin
        /// Extended-A, -B and Additional folds to lower-case ASCII letters, none to nothing; only the tone
        /// letters and glottal stops, which have no letter to type, are left out.
        @Test func everyLatinLetterFoldsToASCIILetters() {
            var checked = 0
            for value in Array(0x00C0...0x024F) + Array(0x1E00...0x1EFF) {
                guard let scalar = Unicode.Scalar(value), let name = scalar.properties.name,
                      ["LATIN SMALL LETTER", "LATIN CAPITAL LETTER", "LATIN SMALL LIGATURE", "LATIN CAPITAL LIGATURE"].contains(where: name.hasPrefix),
                      !name.contains("TONE"), !name.contains("GLOTTAL")
                else { continue }
                let folded = LatinFolding.fold(String(scalar))
                #expect(!folded.isEmpty && folded.unicodeScalars.allSatisfy { ("a"..."z").contains($0) }, "U+\(String(value, radix: 16)) \(name) → \(folded)")
                checked += 1
            }
            #expect(checked > 600)
        }

        @Test func aSignalAboutYildizKilicMeetsTheRegisteredName() {
            #expect(SchoolNameNormalizer.normalize("Taalhuis Yıldız Kılıç B.V.") == SchoolNameNormalizer.normalize("Taalhuis Yildiz Kilic"))
            #expect(SchoolNameNormalizer.normalize("Łódź Språkskola Møller & Søn") == "lodz sprakskola moller son")
            #expect(SchoolNameNormalizer.normalize("Straße der Œuvre") == "strasse der oeuvre")
            // Another script still folds to nothing, and a dash still parts words.
            #expect(SchoolNameNormalizer.normalize("مدرسة") == "")
            #expect(SchoolNameNormalizer.normalize("Taal—huis") == "taal huis")
        }
    }
}
