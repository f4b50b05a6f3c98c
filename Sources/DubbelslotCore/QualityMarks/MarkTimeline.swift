public import Foundation

/// A school's quality-mark decisions read as a timeline per scope: which decision is in force on a
/// day for the school or for one location, and where a granted mark stops covering a period.
///
/// At a location, the location's own decision and the school's decision in force that day are
/// compared, and the one that started last wins (on the same day, the location's): a location
/// suspended while the school holds the mark is suspended; a school withdrawn after a location was
/// reinstated is withdrawn everywhere (docs/decisions/0001-quality-mark-lifecycle.md).
public struct MarkTimeline: Sendable {
    /// Sorted by start, then recorded time, then id, so answers do not depend on the store's order.
    let sorted: [QualityMarkDecision]
    let school: [QualityMarkDecision]

    /// - Parameter decisions: the decisions in force as known (rectified ones already left out).
    public init(_ decisions: [QualityMarkDecision]) {
        sorted = decisions.sorted { a, b in
            if a.validDuring.from != b.validDuring.from { return a.validDuring.from < b.validDuring.from }
            if a.recordedAt != b.recordedAt { return a.recordedAt < b.recordedAt }
            return a.id.uuidString < b.id.uuidString  // only on a tie: formatting a UUID is not cheap
        }
        school = sorted.filter { $0.locationId == nil }
    }

    /// Locations that have decisions of their own, by id.
    public var locationsWithOwnDecisions: [UUID] {
        Set(sorted.compactMap(\.locationId)).sorted { $0.uuidString < $1.uuidString }
    }

    /// The decision in force on `day` for the school (`location == nil`) or at one location.
    ///
    /// At a location, a suspension of its own that ran out with no decision of its own after it still
    /// counts (the location stays suspended until the body lifts it), as long as the school's decision
    /// of that day did not start later. For the school itself a suspension that ran out leaves no
    /// decision in force, and lock 1 closed, until the body decides again.
    public func inForce(on day: LocalDate, location: UUID?) -> QualityMarkDecision? {
        let schoolDecision = school.last { $0.validDuring.contains(day) }
        guard let location else { return schoolDecision }
        let ownDecisions = sorted.filter { $0.locationId == location && $0.validDuring.from <= day }
        var own = ownDecisions.last { $0.validDuring.contains(day) }
        if own == nil, let last = ownDecisions.last, last.status == .suspended { own = last }
        guard let own else { return schoolDecision }
        guard let schoolDecision else { return own }
        return own.validDuring.from >= schoolDecision.validDuring.from ? own : schoolDecision
    }

    /// The latest decision of the scope whose period ended on or before `day`.
    public func lastEndedBefore(_ day: LocalDate, location: UUID?) -> QualityMarkDecision? {
        relevant(location).filter { $0.validDuring.until.map { $0 <= day } ?? false }
            .max { ($0.validDuring.until!, $0.validDuring.from) < ($1.validDuring.until!, $1.validDuring.from) }
    }

    /// The first day of `period` on which no granted mark is in force for the scope, or `nil` when
    /// it is covered throughout. Looks only at the days where the answer can change (period start,
    /// decision starts and ends), so its cost does not grow with the period's length.
    public func firstUncoveredDay(of period: DateRange, location: UUID?) -> LocalDate? {
        var days: Set<LocalDate> = [period.from]
        for d in relevant(location) {
            if period.contains(d.validDuring.from) { days.insert(d.validDuring.from) }
            if let until = d.validDuring.until, period.contains(until) { days.insert(until) }
        }
        for day in days.sorted() where !(inForce(on: day, location: location)?.status.holdsMark ?? false) {
            return day
        }
        return nil
    }

    private func relevant(_ location: UUID?) -> [QualityMarkDecision] {
        guard let location else { return school }
        return sorted.filter { $0.locationId == nil || $0.locationId == location }
    }
}
