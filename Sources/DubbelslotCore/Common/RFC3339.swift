public import Foundation

/// Instants as people write them in ISO 8601 / RFC 3339 (section 5.6): a date, `T`, a time with or
/// without seconds and fractions, and `Z` or an offset.
public enum RFC3339 {
    /// The instant `text` names, or `nil`.
    ///
    /// Normalises what RFC 3339 and ISO 8601 allow beyond Foundation's `ISO8601DateFormatter`
    /// (minutes without seconds, lower-case `t` and `z`, a `+` that a URL query decoded as a space)
    /// and lets the formatter do the rest. Accepts `2026-03-01T12:00:00+01:00`, `2026-03-01T12:00+01:00`,
    /// `2026-03-01t11:00:00.123456z`; refuses a date without a time and a time without an offset.
    /// At most 64 ASCII characters are looked at.
    public static func instant(_ text: String) -> Date? {
        guard text.utf8.count <= 64, text.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        var chars = Array(text)
        guard chars.count >= 16, chars[10] == "T" || chars[10] == "t" else { return nil }
        chars[10] = "T"
        if chars.last == "z" { chars[chars.count - 1] = "Z" }
        // `HH:MM` without seconds: add `:00`.
        if chars.count == 16 || chars[16] != ":" { chars.insert(contentsOf: ":00", at: 16) }
        // A `+` in a query string arrives as a space: `12:00:00 01:00` means `+01:00`.
        if let space = chars.lastIndex(of: " "), space >= 19 { chars[space] = "+" }
        let normalised = String(chars)
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return plain.date(from: normalised) ?? fractional.date(from: normalised)
    }
}
