/// How the `table` format fits a table into a terminal's width: which width each column gets, and how
/// a text longer than its column is cut.
///
/// Widths and lengths count characters as Swift does, by extended grapheme cluster, so `é` written as
/// `e` plus a combining accent, or a flag emoji, is one character and is never cut in half.
public enum TableLayout {
    /// The mark put where text was cut out.
    public static let ellipsis: Character = "…"

    /// `text` cut to at most `width` characters by taking out its middle, so both its start and its
    /// end stay: twenty school names that differ only in their last words stay distinguishable
    /// (`Taalinstituut…Voorbeeld 048 B.V.`). The end keeps three fifths of what is kept (rounded up),
    /// because that is where names differ; spaces next to the `…` are dropped. Text that fits is
    /// returned unchanged; a `width` of 1 gives the ellipsis alone, 0 or less the empty string.
    public static func cutMiddle(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return width == 1 ? String(ellipsis) : "" }
        let kept = width - 1
        let tail = (kept * 3 + 4) / 5, head = kept - tail
        let start = text.prefix(head).droppingTrailingSpaces(), end = text.suffix(tail).droppingLeadingSpaces()
        return start + String(ellipsis) + end
    }

    /// The width of each column so that the columns and the `gap` between each two fit in `width`.
    ///
    /// Columns that fit keep their `natural` width (the widest cell or header). Otherwise the widest
    /// columns are narrowed first, all to one common cap, never below their `minimum` (a column
    /// narrower than its minimum by nature keeps its natural width): a long free-text column gives way
    /// before a short code column loses a character. When even the minimums do not fit, the minimums
    /// are returned and the table is wider than `width`.
    /// - Parameters:
    ///   - natural: each column's widest text, in characters.
    ///   - minimum: the least width of each column, same count as `natural`; defaults to 6 each.
    ///   - width: the characters available for a line.
    ///   - gap: the characters between two columns. Defaults to `2`.
    public static func fit(natural: [Int], minimum: [Int]? = nil, width: Int, gap: Int = 2) -> [Int] {
        let floors = zip(natural, minimum ?? Array(repeating: 6, count: natural.count)).map { Swift.min($0, $1) }
        let available = width - gap * Swift.max(natural.count - 1, 0)
        func total(cap: Int) -> Int { zip(natural, floors).reduce(0) { $0 + Swift.max(Swift.min($1.0, cap), $1.1) } }
        guard total(cap: natural.max() ?? 0) > available else { return natural }
        // The largest common cap that fits; total(cap:) grows with the cap, so a binary search finds it.
        var low = 0, high = natural.max() ?? 0
        while low < high {
            let mid = (low + high + 1) / 2
            if total(cap: mid) <= available { low = mid } else { high = mid - 1 }
        }
        var widths = zip(natural, floors).map { Swift.max(Swift.min($0, low), $1) }
        // Hand out what the cap left over, one character each to the widest columns still cut.
        var spare = available - widths.reduce(0, +)
        for c in widths.indices.sorted(by: { natural[$0] > natural[$1] }) where spare > 0 && widths[c] < natural[c] {
            widths[c] += 1
            spare -= 1
        }
        return widths
    }
}

extension Substring {
    /// The text without the spaces at its end, so a cut never leaves "Taal …".
    fileprivate func droppingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return String(s)
    }

    /// The text without the spaces at its start, so a cut never leaves "… B.V.".
    fileprivate func droppingLeadingSpaces() -> String {
        var s = self
        while s.first == " " { s.removeFirst() }
        return String(s)
    }
}
