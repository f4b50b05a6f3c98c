#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The width the `table` format lays its columns out in, as terminal programs find it.
public enum TerminalWidth {
    /// The width when neither `COLUMNS` nor the terminal says: wide enough for a name and a score.
    public static let fallback = 120

    /// The width for standard output: `COLUMNS` when it holds a positive number (set by the shell, or
    /// by the user to ask for a width), else the terminal's own column count (`ioctl` `TIOCGWINSZ`)
    /// when standard output is a terminal, else ``fallback``.
    public static func current(environment: [String: String]) -> Int {
        resolve(columns: environment["COLUMNS"], terminalColumns: standardOutputColumns())
    }

    /// The rule of ``current(environment:)`` without the process around it.
    /// - Parameters:
    ///   - columns: the value of `COLUMNS`, if set; ignored unless it is a positive whole number.
    ///   - terminalColumns: the terminal's column count, `nil` when standard output is no terminal.
    public static func resolve(columns: String?, terminalColumns: Int?) -> Int {
        if let columns, let value = Int(columns), value > 0 { return value }
        if let terminalColumns, terminalColumns > 0 { return terminalColumns }
        return fallback
    }

    /// The column count of the terminal on standard output, `nil` when it is a file or a pipe.
    static func standardOutputColumns() -> Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
