import DubbelslotCore
import Testing

extension CoreTests {
    @Suite struct DateRangeTests {
        @Test("half-open ranges")
        func ranges() {
            let r = DateRange(from: LocalDate(iso8601: "2026-01-01")!, until: LocalDate(iso8601: "2026-02-01")!)!
            #expect(r.contains(LocalDate(iso8601: "2026-01-31")!))
            #expect(!r.contains(LocalDate(iso8601: "2026-02-01")!))
            #expect(DateRange(from: LocalDate(iso8601: "2026-02-01")!, until: LocalDate(iso8601: "2026-01-01")!) == nil)
        }
    }
}
