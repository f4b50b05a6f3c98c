public import Foundation

/// How response-time figures are grouped (docs/decisions/0010-response-times-in-dutch-working-days.md).
public enum ResponseTimeGrouping: String, CaseIterable, Hashable, Sendable, Codable {
    /// By reporting municipality: the key is its code, `GMnnnn`.
    case municipality
    /// By ``SignalCategory``: the key is its raw value.
    case category
    /// By the reporting municipality's labour-market region (`AMnn`) when known, else its province
    /// code (`PVnn`): the CBS 2025 table has no regions yet.
    case region
}

/// The moments of one signal that response times are measured between.
///
/// The store fills these from `fraud_signals` and `signal_transitions`: `triagedAt` is the first
/// transition to `triaged`, `concludedAt` the first to a concluded status (`substantiated`,
/// `unfounded`, `inconclusive`), so reopening an inconclusive case does not move it.
public struct SignalTimeline: Hashable, Sendable {
    /// The signal's id.
    public let signalId: UUID
    /// The reporting municipality (CBS code `GMnnnn`).
    public let municipalityCode: MunicipalityCode
    /// The province of the reporting municipality (`PVnn`), the fallback of ``ResponseTimeGrouping/region``.
    public let provinceCode: ProvinceCode
    /// `AMnn`, when the municipality table has it.
    public let labourMarketRegion: String?
    /// What kind of abuse is alleged.
    public let category: SignalCategory
    /// When the report reached Dubbelslot.
    public let receivedAt: Date
    /// The first transition to `triaged`; `nil` while not triaged.
    public let triagedAt: Date?
    /// The first transition to a concluded status; `nil` while open.
    public let concludedAt: Date?

    /// A timeline as the store reads it.
    public init(signalId: UUID, municipalityCode: MunicipalityCode, provinceCode: ProvinceCode, labourMarketRegion: String?,
                category: SignalCategory, receivedAt: Date, triagedAt: Date?, concludedAt: Date?) {
        self.signalId = signalId
        self.municipalityCode = municipalityCode
        self.provinceCode = provinceCode
        self.labourMarketRegion = labourMarketRegion
        self.category = category
        self.receivedAt = receivedAt
        self.triagedAt = triagedAt
        self.concludedAt = concludedAt
    }
}

/// How long a signal may stay open, in Dutch working days (``DutchCalendar``) counted from the
/// working day after receipt.
///
/// No statute sets these; they are Dubbelslot's defaults, to be configured: 10 working days to
/// triage and 65 working days, thirteen working weeks, to conclude.
public struct ResponseTimeNorms: Hashable, Sendable {
    /// Working days from receipt to triage. Defaults to `10`.
    public var triageWorkingDays: Int
    /// Working days from receipt to a conclusion. Defaults to `65`.
    public var conclusionWorkingDays: Int

    /// Norms in working days; the defaults are Dubbelslot's own (docs/decisions/0010-response-times-in-dutch-working-days.md).
    public init(triageWorkingDays: Int = 10, conclusionWorkingDays: Int = 65) {
        self.triageWorkingDays = triageWorkingDays
        self.conclusionWorkingDays = conclusionWorkingDays
    }
}

/// Count, median and 90th percentile of one kind of duration.
///
/// Percentiles use the nearest-rank method: of `n` values sorted ascending, the p-th percentile is
/// the value at rank `⌈p·n/100⌉` (1-based). It is always an observed value; for an even `n` the
/// median is the lower of the two middle values. All four figures are `nil` when `count` is 0.
public struct DurationSummary: Hashable, Sendable {
    /// Signals that completed this step.
    public let count: Int
    /// In working days: working days after the start date up to and including the end date, both
    /// dates in Europe/Amsterdam (``DutchCalendar/workingDays(from:to:)``); 0 within one day.
    public let medianWorkingDays: Int?
    /// The 90th percentile in working days (nearest rank).
    public let p90WorkingDays: Int?
    /// In hours of elapsed time, unrounded.
    public let medianHours: Double?
    /// The 90th percentile in hours (nearest rank).
    public let p90Hours: Double?

    /// A summary as computed; the figures are `nil` when `count` is 0.
    public init(count: Int, medianWorkingDays: Int?, p90WorkingDays: Int?, medianHours: Double?, p90Hours: Double?) {
        self.count = count
        self.medianWorkingDays = medianWorkingDays
        self.p90WorkingDays = p90WorkingDays
        self.medianHours = medianHours
        self.p90Hours = p90Hours
    }
}

/// The response-time figures of one group.
public struct ResponseTimeGroup: Hashable, Sendable {
    /// The group's key: `GMnnnn`, a ``SignalCategory`` raw value, `AMnn` or `PVnn` (``ResponseTimeGrouping``).
    public let key: String
    /// Signals of the group (received in the period asked).
    public let signals: Int
    /// From receipt to the first triage.
    public let receivedToTriaged: DurationSummary
    /// From the first triage to the first conclusion.
    public let triagedToConcluded: DurationSummary
    /// From receipt to the first conclusion.
    public let receivedToConcluded: DurationSummary
    /// Received by `now`, not triaged by `now`, and more than ``ResponseTimeNorms/triageWorkingDays`` old.
    public let openPastTriageNorm: Int
    /// Received by `now`, not concluded by `now`, and more than ``ResponseTimeNorms/conclusionWorkingDays`` old.
    public let openPastConclusionNorm: Int

    /// A group's figures as computed.
    public init(key: String, signals: Int, receivedToTriaged: DurationSummary, triagedToConcluded: DurationSummary,
                receivedToConcluded: DurationSummary, openPastTriageNorm: Int, openPastConclusionNorm: Int) {
        self.key = key
        self.signals = signals
        self.receivedToTriaged = receivedToTriaged
        self.triagedToConcluded = triagedToConcluded
        self.receivedToConcluded = receivedToConcluded
        self.openPastTriageNorm = openPastTriageNorm
        self.openPastConclusionNorm = openPastConclusionNorm
    }
}

/// Response times of signal handling: how fast signals get "the right response" (2019 letter;
/// docs/decisions/0010-response-times-in-dutch-working-days.md).
public enum ResponseTimes {
    /// The figures per group, ordered by key.
    ///
    /// Everything is as of `now`: a transition after `now` counts as not (yet) made, so the same
    /// history gives the figures of any earlier moment. A signal's age for the norms is
    /// ``DutchCalendar/workingDays(from:to:)`` from its received date to `now`'s date (Europe/Amsterdam);
    /// it is past a norm when that age is greater than the norm. A negative span (bad data) counts as 0.
    /// - Parameters:
    ///   - timelines: one per signal; the store leaves out duplicates.
    ///   - groupBy: the grouping, see ``ResponseTimeGrouping``.
    ///   - now: the moment the figures are of; never read from a clock here.
    ///   - norms: defaults to 10 and 65 working days.
    public static func groups(_ timelines: [SignalTimeline], groupBy: ResponseTimeGrouping, now: Date,
                              norms: ResponseTimeNorms = ResponseTimeNorms()) -> [ResponseTimeGroup] {
        let today = LocalDate(instant: now)
        let grouped = Dictionary(grouping: timelines) { key(of: $0, groupBy: groupBy) }
        return grouped.keys.sorted().map { key in
            let members = grouped[key]!
            var triage: [Span] = [], conclusion: [Span] = [], total: [Span] = []
            var pastTriage = 0, pastConclusion = 0
            for t in members {
                let triaged = t.triagedAt.flatMap { $0 <= now ? $0 : nil }
                let concluded = t.concludedAt.flatMap { $0 <= now ? $0 : nil }
                if let triaged { triage.append(Span(t.receivedAt, triaged)) }
                if let triaged, let concluded { conclusion.append(Span(triaged, concluded)) }
                if let concluded { total.append(Span(t.receivedAt, concluded)) }
                guard t.receivedAt <= now else { continue }
                let age = DutchCalendar.workingDays(from: LocalDate(instant: t.receivedAt), to: today)
                if triaged == nil && age > norms.triageWorkingDays { pastTriage += 1 }
                if concluded == nil && age > norms.conclusionWorkingDays { pastConclusion += 1 }
            }
            return ResponseTimeGroup(key: key, signals: members.count, receivedToTriaged: summary(triage),
                                     triagedToConcluded: summary(conclusion), receivedToConcluded: summary(total),
                                     openPastTriageNorm: pastTriage, openPastConclusionNorm: pastConclusion)
        }
    }

    /// The key of `timeline` under `groupBy`.
    public static func key(of timeline: SignalTimeline, groupBy: ResponseTimeGrouping) -> String {
        switch groupBy {
        case .municipality: timeline.municipalityCode.rawValue
        case .category: timeline.category.rawValue
        case .region: timeline.labourMarketRegion ?? timeline.provinceCode.rawValue
        }
    }

    /// The nearest-rank percentile: the value at rank `⌈percent·n/100⌉` of the sorted values; `nil` when empty.
    ///
    /// - Parameter percent: 1–100; 50 gives the (lower) median, 90 the 90th percentile.
    public static func nearestRank<T: Comparable>(_ values: [T], percent: Int) -> T? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = (percent * sorted.count + 99) / 100  // ⌈percent·n/100⌉ in integers
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    private struct Span {
        let workingDays: Int
        let hours: Double

        init(_ start: Date, _ end: Date) {
            workingDays = DutchCalendar.workingDays(from: LocalDate(instant: start), to: LocalDate(instant: end))
            hours = max(0, end.timeIntervalSince(start) / 3600)
        }
    }

    private static func summary(_ spans: [Span]) -> DurationSummary {
        let days = spans.map(\.workingDays), hours = spans.map(\.hours)
        return DurationSummary(count: spans.count, medianWorkingDays: nearestRank(days, percent: 50),
                               p90WorkingDays: nearestRank(days, percent: 90), medianHours: nearestRank(hours, percent: 50),
                               p90Hours: nearestRank(hours, percent: 90))
    }
}
