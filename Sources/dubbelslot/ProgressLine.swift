import DubbelslotStore
import Foundation
import Synchronization

/// The progress line of a large import on a terminal: rows sent, rows per second and time left,
/// redrawn in place (`\r`) on standard error at most four times a second.
///
/// Only for imports of more than ``minimumRows`` rows, and only when standard error is a terminal
/// (`isatty(2)`), so logs and pipes never see it.
final class ProgressLine: Sendable {
    /// Imports of at most this many rows show no line: they finish before it would help.
    static let minimumRows = 10_000
    /// The least time between two redraws: 250 ms.
    static let redrawInterval: Duration = .milliseconds(250)

    private struct State {
        var lastDraw: ContinuousClock.Instant?
        var width = 0
    }
    private let state = Mutex(State())

    /// A line for this process's standard error, or `nil` when that is not a terminal.
    static func forStandardError() -> ProgressLine? {
        isatty(2) == 1 ? ProgressLine() : nil
    }

    /// Redraws the line with `progress`, unless the last redraw was under ``redrawInterval`` ago (the
    /// last row always redraws).
    func update(_ progress: ImportProgress) {
        guard progress.rowsTotal > Self.minimumRows else { return }
        let now = ContinuousClock.now
        state.withLock { state in
            if let last = state.lastDraw, now - last < Self.redrawInterval, progress.rowsDone < progress.rowsTotal { return }
            state.lastDraw = now
            let text = progress.line
            // Spaces over whatever is left of a longer earlier line.
            let padding = String(repeating: " ", count: max(0, state.width - text.count))
            state.width = text.count
            FileHandle.standardError.write(Data(("\r" + text + padding).utf8))
        }
    }

    /// Ends the line (a newline) if one was drawn, so that what is printed next starts on its own line.
    func finish() {
        state.withLock { state in
            if state.lastDraw != nil { FileHandle.standardError.write(Data("\n".utf8)) }
            state.lastDraw = nil
            state.width = 0
        }
    }
}
