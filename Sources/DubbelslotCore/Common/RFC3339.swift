public import Foundation

/// Instants as people write them in ISO 8601 / RFC 3339 (section 5.6): a date, `T`, a time with or
/// without seconds and fractions, and `Z` or an offset.
public enum RFC3339 {
    // Read field by field rather than with ISO8601DateFormatter, which turns 2026-02-30 into
    // 2 March, takes +99:00 as an offset and reads .999999999999 as .000 (found by a new user's trial).
    // Built once; a Regex is never mutated after it is made, so sharing it between tasks is safe.
    nonisolated(unsafe) private static let shape = /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(?:([Zz])|([+\- ])([0-9]{2})(?::?([0-9]{2}))?)$/

    /// The instant `text` names, or `nil`.
    ///
    /// Accepts `2026-03-01T12:00:00+01:00`, `2026-03-01T12:00+01:00`, `2026-03-01t11:00:00.123456z`,
    /// `+0100`/`+01` offsets, and a space where a URL query decoded a `+`; fractions of up to 9 digits
    /// (kept to the microsecond, as PostgreSQL does). Refuses a date without a time, a time without an
    /// offset, dates that do not exist (2026-02-30), hours past 23, minutes or seconds past 59 and
    /// offsets past ±14:00. At most 64 characters are looked at.
    public static func instant(_ text: String) -> Date? {
        guard text.utf8.count <= 64, let m = try? shape.wholeMatch(in: text) else { return nil }
        guard let day = LocalDate(year: Int(m.1)!, month: Int(m.2)!, day: Int(m.3)!) else { return nil }
        let (hour, minute, second) = (Int(m.4)!, Int(m.5)!, m.6.map { Int($0)! } ?? 0)
        guard hour <= 23, minute <= 59, second <= 59 else { return nil }
        // Microseconds, truncated: the precision PostgreSQL keeps.
        let micros = m.7.map { Int(String($0.prefix(6)).padding(toLength: 6, withPad: "0", startingAt: 0))! } ?? 0
        var offset = 0
        if m.8 == nil, let sign = m.9, let hours = m.10.map({ Int($0)! }) {
            let minutes = m.11.map { Int($0)! } ?? 0
            guard minutes <= 59, hours * 60 + minutes <= 14 * 60 else { return nil }
            offset = (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        let seconds = Int64(day.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }
}
