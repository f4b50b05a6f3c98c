import DubbelslotCore
import Foundation
import Testing

extension CoreTests {
    @Suite("Identifiers and dates")
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

        @Test("dates parse, print and count days", arguments: ["2024-02-29", "1970-01-01", "2026-11-29", "2000-12-31"])
        func dateRoundTrip(text: String) {
            #expect(LocalDate(iso8601: text)?.description == text)
        }

        @Test("impossible dates are refused", arguments: ["2023-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026-01-32"])
        func badDates(text: String) { #expect(LocalDate(iso8601: text) == nil) }

        @Test func dayArithmetic() {
            #expect(LocalDate(iso8601: "2024-01-01")!.days(until: LocalDate(iso8601: "2025-01-01")!) == 366)
            #expect(LocalDate(iso8601: "2024-01-31")!.adding(months: 1).description == "2024-02-29")
        }

        @Test("midnight at the +01:00 offset is still 1 January in Amsterdam")
        func amsterdamDate() {
            let instant = ISO8601DateFormatter().date(from: "2024-01-01T00:00:00+01:00")!
            #expect(LocalDate(instant: instant).description == "2024-01-01")
            // 00:30 local on the day summer time starts (31 March 2024, UTC+1 until 02:00).
            let dst = ISO8601DateFormatter().date(from: "2024-03-30T23:30:00Z")!
            #expect(LocalDate(instant: dst).description == "2024-03-31")
        }

        @Test("half-open ranges")
        func ranges() {
            let r = DateRange(from: LocalDate(iso8601: "2026-01-01")!, until: LocalDate(iso8601: "2026-02-01")!)!
            #expect(r.contains(LocalDate(iso8601: "2026-01-31")!))
            #expect(!r.contains(LocalDate(iso8601: "2026-02-01")!))
            #expect(DateRange(from: LocalDate(iso8601: "2026-02-01")!, until: LocalDate(iso8601: "2026-01-01")!) == nil)
        }
    }
}

extension CoreTests {
    @Suite("Shipped risk model")
    struct ShippedModelTests {
        @Test func shippedModelIsValid() throws { try shippedModel.validate() }

        @Test("an inconsistent model is refused with every broken key")
        func invalidModel() {
            var m = shippedModel
            m.signals.statusFactor["unfounded"] = 0.2
            m.bands.high = 5
            m.signals.halfLifeDays = 0
            #expect {
                try m.validate()
            } throws: { error in
                let fields = Set((error as? ValidationFailure)?.errors.map(\.field) ?? [])
                return fields == ["signals.statusFactor.unfounded", "bands", "signals.halfLifeDays"]
            }
        }
    }
}
