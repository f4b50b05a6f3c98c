import DubbelslotCore
import Foundation
import Testing

extension CoreTests {
    @Suite("Local dates")
    struct LocalDateTests {
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

        @Test("a local date from an instant equals the Gregorian calendar's in Europe/Amsterdam, across DST changes")
        func localDateFromInstant() {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .amsterdam
            // Every 37 minutes over three years: both DST changes of each year and every midnight pass by.
            var instant = Date(timeIntervalSince1970: 1_700_000_000)
            while instant.timeIntervalSince1970 < 1_795_000_000 {
                let c = calendar.dateComponents([.year, .month, .day], from: instant)
                #expect(LocalDate(instant: instant) == LocalDate(year: c.year!, month: c.month!, day: c.day!), "\(instant)")
                instant += 37 * 60
            }
            #expect(LocalDate(year: 987, month: 6, day: 5)!.description == "0987-06-05")
            #expect(LocalDate(year: 2026, month: 11, day: 30)!.description == "2026-11-30")
        }
    }
}
