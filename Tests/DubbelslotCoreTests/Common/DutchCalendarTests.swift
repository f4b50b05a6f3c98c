import DubbelslotCore
import Testing

extension CoreTests {
    @Suite struct DutchCalendarTests {
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
