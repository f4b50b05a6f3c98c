import DubbelslotCore
import Testing

extension CoreTests {
    @Suite("PII guard")
    struct PIIGuardTests {
        @Test("each kind of personal data is found", arguments: [
            ("Cursist 111222333 tekende niet", PIIGuard.Kind.bsn),
            ("bsn 1112.22.333 genoemd", .bsn),
            ("betaald op NL91ABNA0417164300", .iban),
            ("rekening NL91 ABNA 0417 1643 00", .iban),
            ("mail jan.jansen@example.nl voor info", .email),
            ("bel 06-12345678", .phoneNumber),
            ("bel +31 6 12345678", .phoneNumber),
            ("kantoor 020-1234567", .phoneNumber),
            // The ways Dutch numbers are written (found in a new user's trial).
            ("Bel 06 12 34 56 78", .phoneNumber),
            ("Bel 06-1234 5678", .phoneNumber),
            ("Bel (020) 123 45 67", .phoneNumber),
            ("Tel: 020 123 4567", .phoneNumber),
            ("Bel 020 - 123 45 67", .phoneNumber),
            ("bel 010.123.45.67", .phoneNumber),
        ])
        func found(text: String, kind: PIIGuard.Kind) {
            #expect(PIIGuard.scan(text).contains(kind))
            let error = PIIGuard.check(text, field: "summary")
            #expect(error?.field == "summary")
            #expect(error.map { !$0.rule.contains(text) } ?? false, "the value is never echoed")
        }

        @Test("text that merely looks similar passes", arguments: [
            "dossier 12345678 (8 cijfers)",
            "nummer 111222334 faalt de elfproef",
            "IBAN-achtig NL91ABNA0417164301 met foute controle",
            "lessen op 2024-03-01 en 2024-03-08, 12 uur",
            "KvK 00000017, SIG-2025-000032",
            "van 01-03-2025 - 01-06-2025 geen lessen",
            "groep 2 van 06 leerlingen, 12 34 lessen",
            "vestiging 000012345678",
        ])
        func passes(text: String) {
            #expect(PIIGuard.scan(text).isEmpty, "\(text)")
        }

        @Test func elevenTest() {
            #expect(PIIGuard.passesElevenTest([1, 1, 1, 2, 2, 2, 3, 3, 3]))
            #expect(!PIIGuard.passesElevenTest([1, 1, 1, 2, 2, 2, 3, 3, 4]))
        }
    }
}
