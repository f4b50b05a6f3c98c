import DubbelslotCore
import Testing

extension CoreTests {
    @Suite("Signal workflow, name matching, Dutch calendar")
    struct SignalWorkflowTests {
        @Test("every transition is either allowed or refused, as the table says", arguments: SignalStatus.allCases)
        func transitions(from: SignalStatus) {
            let expected: [SignalStatus: Set<SignalStatus>] = [
                .received: [.triaged], .triaged: [.underInvestigation, .unfounded],
                .underInvestigation: [.substantiated, .unfounded, .inconclusive], .inconclusive: [.underInvestigation],
                .substantiated: [], .unfounded: [],
            ]
            for to in SignalStatus.allCases {
                #expect(SignalWorkflow.allows(from, to) == expected[from]!.contains(to), "\(from) → \(to)")
            }
        }

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

        @Test("Easter and the national holidays (Algemene termijnenwet art. 3)")
        func holidays() {
            #expect(DutchCalendar.easterSunday(2024).description == "2024-03-31")
            #expect(DutchCalendar.easterSunday(2025).description == "2025-04-20")
            #expect(DutchCalendar.easterSunday(2026).description == "2026-04-05")
            let h2025 = Set(DutchCalendar.holidays(2025).map(\.description))
            #expect(h2025 == ["2025-01-01", "2025-04-21", "2025-05-29", "2025-06-09", "2025-04-26", "2025-05-05", "2025-12-25", "2025-12-26"])
        }

        @Test("working days skip weekends and holidays")
        func workingDays() {
            let d = { (text: String) in LocalDate(iso8601: text)! }
            #expect(d("2024-12-20").weekday == 5)
            #expect(DutchCalendar.workingDays(from: d("2024-12-20"), to: d("2024-12-27")) == 3)
            #expect(DutchCalendar.workingDays(from: d("2025-04-25"), to: d("2025-04-28")) == 1)  // Sat 26 April is Koningsdag anyway
            #expect(DutchCalendar.workingDays(from: d("2026-03-02"), to: d("2026-03-16")) == 10)
            #expect(DutchCalendar.workingDays(from: d("2026-03-02"), to: d("2026-03-02")) == 0)
        }
    }
}

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
