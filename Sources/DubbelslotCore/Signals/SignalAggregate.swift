public import Foundation

/// What every municipality may know about the signals on a school without reading any of them
/// (docs/decisions/0011-one-access-policy-and-signal-visibility.md; shared/DESIGN.md, "Roles and what each may see"):
/// counts by category, severity, status and month, never text, source, reporter or reference.
///
/// It keeps the double lock working across municipalities: a buyer in Utrecht sees that three
/// other municipalities reported the school this year, without seeing what they wrote.
public struct SignalAggregate: Sendable, Equatable {
    /// The business date the counts run through (inclusive): signals received later are not counted.
    public let date: LocalDate
    /// Signals counted (duplicates are not: a signal entered twice is one signal).
    public let total: Int
    /// Distinct municipalities that reported the school.
    public let reportingMunicipalities: Int
    /// Counts per category, in ``SignalCategory`` order; categories without signals left out.
    public let byCategory: [(SignalCategory, Int)]
    /// Counts per severity, low to high; severities without signals left out.
    public let bySeverity: [(SignalSeverity, Int)]
    /// Counts per current status, in ``SignalStatus`` order; statuses without signals left out.
    public let byStatus: [(SignalStatus, Int)]
    /// Counts per month received (`YYYY-MM`, Europe/Amsterdam), oldest first; empty months left out.
    public let byMonth: [(String, Int)]

    /// Counts `signals` received on or before `date` (Europe/Amsterdam), ignoring duplicates.
    public init(_ signals: [SignalFact], through date: LocalDate) {
        let counted = signals.filter { $0.duplicateOf == nil && $0.receivedOn <= date }
        self.date = date
        total = counted.count
        reportingMunicipalities = Set(counted.map(\.municipalityCode)).count
        func counts<K: Hashable>(_ key: (SignalFact) -> K, order: [K]) -> [(K, Int)] {
            let tally = Dictionary(grouping: counted, by: key).mapValues(\.count)
            return order.compactMap { k in tally[k].map { (k, $0) } }
        }
        byCategory = counts(\.category, order: SignalCategory.allCases)
        bySeverity = counts(\.severity, order: SignalSeverity.allCases)
        byStatus = counts(\.status, order: SignalStatus.allCases)
        let months = counted.map { Self.month($0.receivedAt) }
        byMonth = counts({ Self.month($0.receivedAt) }, order: Array(Set(months)).sorted())
    }

    /// `YYYY-MM` of an instant in Europe/Amsterdam.
    static func month(_ instant: Date) -> String {
        let day = LocalDate(instant: instant)
        return String(day.description.prefix(7))
    }

    /// Equal when the date, the totals and every count, in order, are equal.
    public static func == (a: Self, b: Self) -> Bool {
        a.date == b.date && a.total == b.total && a.reportingMunicipalities == b.reportingMunicipalities
            && a.byCategory.elementsEqual(b.byCategory, by: ==) && a.bySeverity.elementsEqual(b.bySeverity, by: ==)
            && a.byStatus.elementsEqual(b.byStatus, by: ==) && a.byMonth.elementsEqual(b.byMonth, by: ==)
    }
}
