import DubbelslotReport
import Testing

extension ReportTests {
    @Suite struct TerminalWidthTests {
        @Test("the width: COLUMNS, else the terminal's, else 120")
        func terminalWidth() {
            #expect(TerminalWidth.resolve(columns: "87", terminalColumns: 200) == 87)
            #expect(TerminalWidth.resolve(columns: nil, terminalColumns: 200) == 200)
            #expect(TerminalWidth.resolve(columns: "wide", terminalColumns: nil) == 120)
            #expect(TerminalWidth.resolve(columns: "0", terminalColumns: 0) == 120)
            #expect(TerminalWidth.resolve(columns: nil, terminalColumns: nil) == TerminalWidth.fallback)
        }
    }
}
