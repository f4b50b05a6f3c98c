/// Splits a migration file into single statements.
///
/// PostgresNIO speaks the extended query protocol only, which runs one statement per message, so a
/// file of several statements is split on the semicolons that end them. Semicolons inside quotes
/// (`'…'`, `E'…'`, `"…"`), dollar quotes (`$$…$$`, `$tag$…$tag$`) and comments (`--`, nested
/// `/* */`) do not split. Not understood: SQL-standard function bodies (`BEGIN ATOMIC … END`),
/// whose inner semicolons would split; write `RETURN …` or a `$$` body instead.
enum SQLScript {
    /// The statements of `text` in order, without their terminating semicolons; statements holding
    /// nothing but whitespace and comments are left out.
    static func statements(in text: String) -> [String] {
        let bytes = Array(text.utf8)
        var statements: [String] = []
        var start = 0
        var hasCode = false
        func finish(at end: Int) {
            if hasCode, let statement = String(validating: bytes[start..<end], as: UTF8.self) {
                statements.append(statement.trimmingWhitespace())
            }
            hasCode = false
        }
        scan(bytes) { range, part in
            switch part {
            case .comment:
                break
            case .quoted:
                hasCode = true
            case .code:
                let c = bytes[range.lowerBound]
                if c == UInt8(ascii: ";") {
                    finish(at: range.lowerBound)
                    start = range.upperBound
                } else if c != UInt8(ascii: " ") && c != UInt8(ascii: "\t") && c != UInt8(ascii: "\n") && c != UInt8(ascii: "\r") {
                    hasCode = true
                }
            }
        }
        finish(at: bytes.count)
        return statements
    }

    /// `text` without its comments (`--` to the end of the line, nested `/* */`), with quoted and
    /// dollar-quoted text kept as it is, so a `--` inside a string or a function body stays.
    ///
    /// Two files with equal results run the same statements: the migrator uses this to tell an edit
    /// of a comment from an edit of the code (``Migrator/CommentEdit``).
    static func withoutComments(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        scan(bytes) { range, part in
            if part != .comment { kept.append(contentsOf: bytes[range]) }
        }
        return String(decoding: kept, as: UTF8.self)
    }

    /// What a stretch of a script is.
    private enum Part {
        /// One byte of SQL outside quotes and comments.
        case code
        /// A quoted or dollar-quoted literal or identifier, quotes included.
        case quoted
        /// A `--` comment (up to, not including, its line break) or a nested `/* */` comment.
        case comment
    }

    /// Walks `bytes` from the start, giving each stretch in order: every byte belongs to exactly one.
    private static func scan(_ bytes: [UInt8], _ visit: (Range<Int>, Part) -> Void) {
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            let next: UInt8? = i + 1 < bytes.count ? bytes[i + 1] : nil
            var end = i + 1
            var part = Part.code
            switch c {
            case UInt8(ascii: "-") where next == UInt8(ascii: "-"):
                end = i
                while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
                part = .comment
            case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
                end = endOfBlockComment(bytes, from: i)
                part = .comment
            case UInt8(ascii: "'"):
                let escapes = i > 0 && (bytes[i - 1] == UInt8(ascii: "E") || bytes[i - 1] == UInt8(ascii: "e"))
                end = endOfQuoted(bytes, from: i, quote: c, backslashEscapes: escapes)
                part = .quoted
            case UInt8(ascii: "\""):
                end = endOfQuoted(bytes, from: i, quote: c, backslashEscapes: false)
                part = .quoted
            case UInt8(ascii: "$"):
                if let tagEnd = dollarTagEnd(bytes, from: i) {
                    end = endOfDollarQuoted(bytes, tag: Array(bytes[i...tagEnd]), from: tagEnd + 1)
                    part = .quoted
                }
            default:
                break
            }
            visit(i..<end, part)
            i = end
        }
    }

    /// The index after the `*/` closing the (possibly nested) comment opened at `start`.
    private static func endOfBlockComment(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == UInt8(ascii: "/") && bytes[i + 1] == UInt8(ascii: "*") {
                depth += 1
                i += 2
            } else if bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/") {
                depth -= 1
                i += 2
                if depth == 0 { return i }
            } else {
                i += 1
            }
        }
        return bytes.count
    }

    /// The index after the quote closing the literal opened at `start`; a doubled quote is an escaped one.
    private static func endOfQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var i = start + 1
        while i < bytes.count {
            if backslashEscapes && bytes[i] == UInt8(ascii: "\\") {
                i += 2
            } else if bytes[i] == quote {
                if i + 1 < bytes.count && bytes[i + 1] == quote { i += 2 } else { return i + 1 }
            } else {
                i += 1
            }
        }
        return bytes.count
    }

    /// The index of the `$` closing a dollar-quote tag (`$$` or `$tag$`) that starts at `start`, or
    /// `nil` when `$` starts no tag (a parameter such as `$1`, or a `$` inside an identifier).
    private static func dollarTagEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        if start > 0, isIdentifierByte(bytes[start - 1]) { return nil }
        var i = start + 1
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "$") { return i }
            let isDigit = c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
            guard isIdentifierByte(c), !(i == start + 1 && isDigit) else { return nil }
            i += 1
        }
        return nil
    }

    /// The index after the closing `tag` of a dollar-quoted string whose body starts at `start`.
    private static func endOfDollarQuoted(_ bytes: [UInt8], tag: [UInt8], from start: Int) -> Int {
        var i = start
        while i + tag.count <= bytes.count {
            if bytes[i] == UInt8(ascii: "$") && Array(bytes[i..<(i + tag.count)]) == tag { return i + tag.count }
            i += 1
        }
        return bytes.count
    }

    private static func isIdentifierByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c >= 0x80
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    fileprivate func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
