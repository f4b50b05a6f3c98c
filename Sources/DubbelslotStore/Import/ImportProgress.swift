/// How far an import's rows have been streamed to PostgreSQL (`COPY … FROM STDIN`).
///
/// Reported after every chunk of about 64 KiB and once when the last row is sent; the merge into the
/// real tables follows the last report and is not counted.
public struct ImportProgress: Sendable, Equatable {
    /// Rows sent so far, 0…``rowsTotal``.
    public var rowsDone: Int
    /// Rows the import sends in all.
    public var rowsTotal: Int
    /// Time since the first row was encoded.
    public var elapsed: Duration

    /// A progress report.
    public init(rowsDone: Int, rowsTotal: Int, elapsed: Duration) {
        self.rowsDone = rowsDone
        self.rowsTotal = rowsTotal
        self.elapsed = elapsed
    }

    /// Rows per second so far; 0 before any time has passed.
    public var rowsPerSecond: Double {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Double(rowsDone) / seconds : 0
    }

    /// Seconds left at the rate so far, or `nil` while there is no rate yet.
    public var secondsLeft: Double? {
        let rate = rowsPerSecond
        return rate > 0 ? Double(rowsTotal - rowsDone) / rate : nil
    }

    /// One line for a terminal, for example `12500/100000 rows, 41230 rows/s, 3 s left`; when every
    /// row is sent, `100000/100000 rows sent, merging`.
    public var line: String {
        if rowsDone >= rowsTotal { return "\(rowsDone)/\(rowsTotal) rows sent, merging" }
        let left = secondsLeft.map { "\(Int($0.rounded(.up))) s left" } ?? "time left unknown"
        return "\(rowsDone)/\(rowsTotal) rows, \(Int(rowsPerSecond)) rows/s, \(left)"
    }
}

/// Told of an import's ``ImportProgress``, from whatever task runs the import; must return quickly.
public typealias ImportProgressHandler = @Sendable (ImportProgress) -> Void
