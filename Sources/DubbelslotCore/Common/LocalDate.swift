public import Foundation

/// A calendar date without a time of day, as the Dutch registers use it (ISO 8601 `YYYY-MM-DD`).
///
/// Business dates in Dubbelslot (a quality mark's period, a visit's date, the date a verdict is about)
/// are dates in Europe/Amsterdam; this type holds only the date and compares and counts in whole days.
/// Ranges of dates are half-open (`from` included, `until` excluded), as PostgreSQL's `daterange`.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// Days since 1970-01-01 (proleptic Gregorian calendar).
    public let daysSinceEpoch: Int

    /// Creates a date from its day number since 1970-01-01.
    public init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// Creates a date from year, month (1–12) and day (1–31); `nil` when the date does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let back = Self.civilFromDays(days)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        self.daysSinceEpoch = days
    }

    /// Parses an ISO 8601 calendar date `YYYY-MM-DD`; `nil` for any other shape or a date that does not exist.
    public init?(iso8601 text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The date in Europe/Amsterdam at the given instant.
    ///
    /// The instant shifted by the zone's offset at that instant (tz database), floored to whole days:
    /// the same as a Gregorian calendar in that zone, without building one per call.
    public init(instant: Date, timeZone: TimeZone = .amsterdam) {
        let local = instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))
        self.daysSinceEpoch = Int((local / 86_400).rounded(.down))
    }

    /// The year of the proleptic Gregorian calendar.
    public var year: Int { Self.civilFromDays(daysSinceEpoch).year }
    /// The month, 1–12.
    public var month: Int { Self.civilFromDays(daysSinceEpoch).month }
    /// The day of the month, 1–31.
    public var day: Int { Self.civilFromDays(daysSinceEpoch).day }

    /// `YYYY-MM-DD`.
    public var description: String {
        let c = Self.civilFromDays(daysSinceEpoch)
        // Not String(format:): Foundation's formatter made dates a tenth of an overview's CPU, measured.
        func padded(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return "\(padded(c.year, 4))-\(padded(c.month, 2))-\(padded(c.day, 2))"
    }

    /// The date `days` later (earlier when negative).
    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// The same day `months` later, clamped to the month's last day (2024-01-31 + 1 month = 2024-02-29).
    public func adding(months: Int) -> LocalDate {
        let c = Self.civilFromDays(daysSinceEpoch)
        let total = c.year * 12 + (c.month - 1) + months
        let y = total / 12, m = total % 12 + 1
        var d = c.day
        while LocalDate(year: y, month: m, day: d) == nil { d -= 1 }
        return LocalDate(year: y, month: m, day: d)!
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: LocalDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// Midnight of this date in Europe/Amsterdam, as an instant.
    public func startInstant(timeZone: TimeZone = .amsterdam) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = Self.civilFromDays(daysSinceEpoch)
        return calendar.date(from: DateComponents(year: c.year, month: c.month, day: c.day))!
    }

    /// Earlier dates first.
    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// Reads a date from a JSON string `YYYY-MM-DD`.
    /// - Throws: `DecodingError.dataCorrupted` when the string is not such a date.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(iso8601: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date YYYY-MM-DD"))
        }
        self = date
    }

    /// Writes the date as a JSON string `YYYY-MM-DD`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    // Howard Hinnant's civil-from-days algorithms (public domain), exact for the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

extension TimeZone {
    /// Europe/Amsterdam, the time zone of every business date in Dubbelslot.
    public static let amsterdam = TimeZone(identifier: "Europe/Amsterdam")!
}
