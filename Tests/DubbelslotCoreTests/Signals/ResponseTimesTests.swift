import DubbelslotCore
import Foundation
import Testing

/// A constructed history, worked out by hand (docs/decisions/0010-response-times-in-dutch-working-days.md). May–June
/// 2025; Amsterdam is UTC+2 then, so `08:00Z` is 10:00 local.
///
/// Calendar: Thu 1 May; Mon 5 May Bevrijdingsdag (holiday); Thu 29 May Hemelvaartsdag; Mon 9 June
/// tweede Pinksterdag. `wd(a → b)` counts the working days after `a` up to and including `b`.
///
/// | id | muni   | category        | received        | triaged         | concluded       |
/// |----|--------|-----------------|-----------------|-----------------|-----------------|
/// | A1 | GM0363 | lessonsNotGiven | Fri 2 May 08Z   | Tue 6 May 08Z   | Fri 9 May 08Z   |
/// | A2 | GM0363 | lessonsNotGiven | Mon 12 May 07Z  | Mon 12 May 13Z  | Tue 3 Jun 13Z   |
/// | A3 | GM0363 | inducements     | Wed 14 May 08Z  | Wed 28 May 08Z  | –               |
/// | A4 | GM0363 | inducements     | Thu 1 May 08Z   | –               | –               |
/// | A5 | GM0363 | inducements     | Mon 19 May 08Z  | –               | –               |
/// | U1 | GM0344 | lessonsNotGiven | Fri 23 May 12Z  | Tue 27 May 07Z  | Fri 20 Jun 08Z (after now) |
/// | U2 | GM0344 | kickbacks       | Sat 7 Jun 08Z   | –               | –               |
/// | U3 | GM0344 | kickbacks       | Fri 20 Jun 08Z (after now) | –    | –               |
///
/// now = Fri 13 June 2025 12:00Z; norms 10 working days to triage, 20 to conclude.
///
/// received → triaged:
/// - A1 wd(2 May → 6 May) = 1 (Sat 3, Sun 4, holiday Mon 5 skipped; Tue 6), 96 h
/// - A2 wd(12 May → 12 May) = 0, 6 h
/// - A3 wd(14 May → 28 May) = 2 + 5 + 3 = 10, 336 h
/// - U1 wd(23 May → 27 May) = 2 (weekend skipped), 91 h
/// triaged → concluded:
/// - A1 wd(6 May → 9 May) = 3, 72 h
/// - A2 wd(12 May → 3 Jun) = 4 + 5 + 3 + 1 (Hemelvaart skipped) + 2 = 15, 528 h
/// received → concluded: A1 wd = 4, 168 h; A2 wd = 15, 534 h. U1's conclusion is after now: not counted.
///
/// Nearest rank, rank = ⌈p·n/100⌉:
/// - GM0363 received→triaged, n = 3: days [0, 1, 10] → median rank 2 = 1, p90 rank 3 = 10;
///   hours [6, 96, 336] → median 96, p90 336.
/// - GM0363 triaged→concluded, n = 2: days [3, 15] → median rank 1 = 3, p90 rank 2 = 15; hours 72, 528.
/// - GM0363 received→concluded, n = 2: days [4, 15] → 4, 15; hours 168, 534.
/// - GM0344 received→triaged, n = 1: 2 days, 91 h; nothing concluded as of now.
///
/// Open as of now (age = wd(received → 13 Jun)):
/// - A3 20 (triaged; not past the conclusion norm: 20 is not more than 20), A4 28 (past both),
///   A5 17 (past triage only). GM0363: 2 past triage, 1 past conclusion.
/// - U1 13 (triaged, not past 20), U2 4 (Pinkstermaandag skipped), U3 not yet received. GM0344: 0 and 0.
enum History {
    static func at(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    static let amsterdam = MunicipalityCode("GM0363")!, utrecht = MunicipalityCode("GM0344")!
    static let now = at("2025-06-13T12:00:00Z")
    static let norms = ResponseTimeNorms(triageWorkingDays: 10, conclusionWorkingDays: 20)

    static func signal(_ n: Int, _ municipality: MunicipalityCode, _ category: SignalCategory, _ received: String,
                       _ triaged: String? = nil, _ concluded: String? = nil, region: String? = nil) -> SignalTimeline {
        SignalTimeline(signalId: UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", n))!, municipalityCode: municipality,
                       provinceCode: ProvinceCode(municipality == amsterdam ? "PV27" : "PV26")!, labourMarketRegion: region,
                       category: category, receivedAt: at(received), triagedAt: triaged.map(at), concludedAt: concluded.map(at))
    }

    static let timelines = [
        signal(1, amsterdam, .lessonsNotGiven, "2025-05-02T08:00:00Z", "2025-05-06T08:00:00Z", "2025-05-09T08:00:00Z"),
        signal(2, amsterdam, .lessonsNotGiven, "2025-05-12T07:00:00Z", "2025-05-12T13:00:00Z", "2025-06-03T13:00:00Z"),
        signal(3, amsterdam, .inducements, "2025-05-14T08:00:00Z", "2025-05-28T08:00:00Z"),
        signal(4, amsterdam, .inducements, "2025-05-01T08:00:00Z"),
        signal(5, amsterdam, .inducements, "2025-05-19T08:00:00Z"),
        signal(6, utrecht, .lessonsNotGiven, "2025-05-23T12:00:00Z", "2025-05-27T07:00:00Z", "2025-06-20T08:00:00Z"),
        signal(7, utrecht, .kickbacks, "2025-06-07T08:00:00Z"),
        signal(8, utrecht, .kickbacks, "2025-06-20T08:00:00Z"),
    ]
}

extension CoreTests {
    @Suite("Response times")
    struct ResponseTimesTests {
        @Test("per municipality: counts, medians, 90th percentiles and open past the norms, as worked out by hand")
        func byMunicipality() {
            let groups = ResponseTimes.groups(History.timelines.shuffled(), groupBy: .municipality, now: History.now, norms: History.norms)
            #expect(groups.map(\.key) == ["GM0344", "GM0363"])
            let a = groups[1], u = groups[0]
            #expect(a.signals == 5)
            #expect(a.receivedToTriaged == DurationSummary(count: 3, medianWorkingDays: 1, p90WorkingDays: 10, medianHours: 96, p90Hours: 336))
            #expect(a.triagedToConcluded == DurationSummary(count: 2, medianWorkingDays: 3, p90WorkingDays: 15, medianHours: 72, p90Hours: 528))
            #expect(a.receivedToConcluded == DurationSummary(count: 2, medianWorkingDays: 4, p90WorkingDays: 15, medianHours: 168, p90Hours: 534))
            #expect(a.openPastTriageNorm == 2)
            #expect(a.openPastConclusionNorm == 1)

            #expect(u.signals == 3)
            #expect(u.receivedToTriaged == DurationSummary(count: 1, medianWorkingDays: 2, p90WorkingDays: 2, medianHours: 91, p90Hours: 91))
            #expect(u.triagedToConcluded == DurationSummary(count: 0, medianWorkingDays: nil, p90WorkingDays: nil, medianHours: nil, p90Hours: nil))
            #expect(u.receivedToConcluded.count == 0)
            #expect(u.openPastTriageNorm == 0)
            #expect(u.openPastConclusionNorm == 0)
        }

        @Test("the default norms are 10 and 65 working days")
        func defaultNorms() {
            #expect(ResponseTimeNorms() == ResponseTimeNorms(triageWorkingDays: 10, conclusionWorkingDays: 65))
            let a = ResponseTimes.groups(History.timelines, groupBy: .municipality, now: History.now).first { $0.key == "GM0363" }!
            #expect(a.openPastTriageNorm == 2)
            #expect(a.openPastConclusionNorm == 0)  // A4, the oldest, is 28 working days old
        }

        @Test("per category: lessonsNotGiven has A1, A2 and U1 triaged")
        func byCategory() {
            let groups = ResponseTimes.groups(History.timelines, groupBy: .category, now: History.now, norms: History.norms)
            #expect(groups.map(\.key) == ["inducements", "kickbacks", "lessonsNotGiven"])
            // Days [1, 0, 2] → [0, 1, 2]: median rank 2 = 1, p90 rank 3 = 2; hours [96, 6, 91] → 91 and 96.
            #expect(groups[2].receivedToTriaged == DurationSummary(count: 3, medianWorkingDays: 1, p90WorkingDays: 2, medianHours: 91, p90Hours: 96))
            #expect(groups[0].openPastTriageNorm == 2)  // A4 and A5
            #expect(groups[1].signals == 2)
        }

        @Test("per region: the labour-market region when known, else the province code")
        func byRegion() {
            let timelines = History.timelines + [History.signal(9, History.utrecht, .other, "2025-05-20T08:00:00Z", region: "AM01")]
            let groups = ResponseTimes.groups(timelines, groupBy: .region, now: History.now)
            #expect(groups.map(\.key) == ["AM01", "PV26", "PV27"])
            #expect(groups.map(\.signals) == [1, 3, 5])
        }

        @Test("as of an earlier moment, later transitions count as not made")
        func asOf() {
            // On Wed 7 May 12:00Z only A1 (triaged on 6 May) and A4 are received; nothing is concluded.
            let groups = ResponseTimes.groups(History.timelines, groupBy: .municipality, now: History.at("2025-05-07T12:00:00Z"))
            let a = groups.first { $0.key == "GM0363" }!
            #expect(a.receivedToTriaged.count == 1)
            #expect(a.receivedToConcluded.count == 0)
            #expect(a.openPastTriageNorm == 0)  // A4: wd(1 May → 7 May) = 3
        }

        @Test("nearest-rank percentiles")
        func nearestRank() {
            let ten = Array(1...10)
            #expect(ResponseTimes.nearestRank(ten.shuffled(), percent: 90) == 9)
            #expect(ResponseTimes.nearestRank(ten, percent: 50) == 5)
            #expect(ResponseTimes.nearestRank(ten, percent: 100) == 10)
            #expect(ResponseTimes.nearestRank([4, 1, 3, 2], percent: 50) == 2)  // the lower middle
            #expect(ResponseTimes.nearestRank([7], percent: 90) == 7)
            #expect(ResponseTimes.nearestRank([Int](), percent: 50) == nil)
        }

        @Test("working days between the spans' dates: a holiday and a weekend in one span")
        func spanCalendar() {
            let d = { (text: String) in LocalDate(iso8601: text)! }
            #expect(DutchCalendar.workingDays(from: d("2025-05-02"), to: d("2025-05-06")) == 1)
            #expect(DutchCalendar.workingDays(from: d("2025-05-12"), to: d("2025-06-03")) == 15)
            #expect(DutchCalendar.workingDays(from: d("2025-05-01"), to: d("2025-06-13")) == 28)
        }

        @Test("the arithmetic count equals a day-by-day count, across years, weekends and holidays")
        func workingDaysMatchDayByDay() {
            var generator = SystemRandomNumberGenerator()
            let start = LocalDate(iso8601: "1995-01-01")!.daysSinceEpoch
            for _ in 0..<500 {
                let from = LocalDate(daysSinceEpoch: start + Int.random(in: 0..<(50 * 365), using: &generator))
                let to = from.adding(days: Int.random(in: -3..<(Bool.random(using: &generator) ? 20 : 4_000), using: &generator))
                var expected = 0
                var day = from.adding(days: 1)
                while day <= to {
                    if DutchCalendar.isWorkingDay(day) { expected += 1 }
                    day = day.adding(days: 1)
                }
                #expect(DutchCalendar.workingDays(from: from, to: to) == expected, "\(from) → \(to)")
            }
            // Dates before 1970 (negative day numbers) count the same way.
            #expect(DutchCalendar.workingDays(from: LocalDate(iso8601: "1969-12-24")!, to: LocalDate(iso8601: "1970-01-05")!) == 5)
        }
    }
}
