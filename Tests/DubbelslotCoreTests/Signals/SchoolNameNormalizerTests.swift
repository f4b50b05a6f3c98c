import DubbelslotCore
import Testing

extension CoreTests {
    @Suite struct SchoolNameNormalizerTests {
        @Test("names normalise alike on both sides", arguments: [
            ("Taalschool 't Hooft B.V.", "taalschool t hooft bv"),
            ("IJsselschool", "Ĳsselschool"),
            ("Café Taal", "Cafe Taal"),
            ("Stichting Taalhuis Noord", "taalhuis noord"),
            ("TAALINSTITUUT DE-BRUG N.V.", "Taalinstituut de brug"),
        ])
        func normalisesAlike(registered: String, reported: String) {
            let a = SchoolNameNormalizer.normalize(registered), b = SchoolNameNormalizer.normalize(reported)
            #expect(a == b)
            #expect(!a.isEmpty)
        }

        @Test func normalForm() {
            #expect(SchoolNameNormalizer.normalize("Taalschool 't Hooft B.V.") == "taalschool t hooft")
            #expect(SchoolNameNormalizer.normalize("Ĳsselschool") == "ijsselschool")
        }

        @Test("a name only in Arabic script normalises to nothing")
        func nonLatin() {
            #expect(SchoolNameNormalizer.normalize("مدرسة اللغة الهولندية") == "")
            #expect(SchoolNameNormalizer.normalize("B.V.") == "")
        }
    }
}
