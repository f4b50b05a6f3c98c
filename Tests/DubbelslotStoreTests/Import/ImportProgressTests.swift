import DubbelslotStore
import Testing

extension StoreTests {
    @Suite struct ImportProgressTests {
        @Test("the progress line gives rows, rows per second and time left")
        func progressLine() {
            let halfway = ImportProgress(rowsDone: 25_000, rowsTotal: 100_000, elapsed: .seconds(2))
            #expect(halfway.rowsPerSecond == 12_500)
            #expect(halfway.secondsLeft == 6)
            #expect(halfway.line == "25000/100000 rows, 12500 rows/s, 6 s left")
            #expect(ImportProgress(rowsDone: 0, rowsTotal: 10, elapsed: .zero).line == "0/10 rows, 0 rows/s, time left unknown")
            #expect(ImportProgress(rowsDone: 10, rowsTotal: 10, elapsed: .seconds(1)).line == "10/10 rows sent, merging")
        }
    }
}
