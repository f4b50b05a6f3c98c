/// A half-open range of dates: `from` included, `until` excluded; `until == nil` means open-ended.
///
/// The same convention as PostgreSQL's `daterange` with `[)` bounds, so that a period ending on
/// 2026-06-30 inclusive is stored as `until: 2026-07-01`.
public struct DateRange: Hashable, Sendable, Codable {
    /// The first day, included.
    public let from: LocalDate
    /// The first day after the range, excluded; `nil` for open-ended.
    public let until: LocalDate?

    /// - Returns: `nil` when `until` is not after `from`.
    public init?(from: LocalDate, until: LocalDate?) {
        if let until, until <= from { return nil }
        self.from = from
        self.until = until
    }

    /// Whether `date` lies in the range.
    public func contains(_ date: LocalDate) -> Bool {
        date >= from && (until.map { date < $0 } ?? true)
    }

    /// Whether the two ranges share at least one day.
    public func overlaps(_ other: DateRange) -> Bool {
        let startsBeforeOtherEnds = other.until.map { from < $0 } ?? true
        let otherStartsBeforeThisEnds = until.map { other.from < $0 } ?? true
        return startsBeforeOtherEnds && otherStartsBeforeThisEnds
    }
}
