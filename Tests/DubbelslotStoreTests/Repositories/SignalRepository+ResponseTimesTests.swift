import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    /// Response times (docs/decisions/0010-response-times-in-dutch-working-days.md), from the stored history. The figures
    /// are the ones worked out by hand in `Tests/DubbelslotCoreTests/Signals/ResponseTimesTests.swift` (same signals, same
    /// instants).
    @Suite("Signal response times")
    struct SignalRepositoryResponseTimesTests {
        /// Records a signal received at `received` and walks it through `steps` (status, instant).
        static func history(_ store: Store, _ municipality: Municipality, _ category: SignalCategory, _ received: String,
                            _ steps: [(SignalStatus, String)] = []) async throws -> FraudSignal {
            var new = Fixtures.newSignal(municipality, receivedAt: Fixtures.instant(received))
            new.category = category
            let signal = try await store.signals.record(new, actor: "signaller:1")
            for (version, (status, at)) in steps.enumerated() {
                _ = try await store.signals.transition(signal.id, to: status, expectedVersion: version + 1, note: "Stap.", actor: "inspector:1",
                                                       at: Fixtures.instant(at))
            }
            return signal
        }

        @Test("the hand-worked figures come out of the stored history")
        func handWorked() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let (ams, utr) = (Fixtures.amsterdam, Fixtures.utrecht)
                let a1 = try await Self.history(store, ams, .lessonsNotGiven, "2025-05-02T08:00:00Z",
                                                [(.triaged, "2025-05-06T08:00:00Z"), (.unfounded, "2025-05-09T08:00:00Z")])
                _ = try await Self.history(store, ams, .lessonsNotGiven, "2025-05-12T07:00:00Z",
                                           [(.triaged, "2025-05-12T13:00:00Z"), (.underInvestigation, "2025-05-20T08:00:00Z"),
                                            (.substantiated, "2025-06-03T13:00:00Z")])
                _ = try await Self.history(store, ams, .inducements, "2025-05-14T08:00:00Z", [(.triaged, "2025-05-28T08:00:00Z")])
                _ = try await Self.history(store, ams, .inducements, "2025-05-01T08:00:00Z")
                _ = try await Self.history(store, ams, .inducements, "2025-05-19T08:00:00Z")
                _ = try await Self.history(store, utr, .lessonsNotGiven, "2025-05-23T12:00:00Z",
                                           [(.triaged, "2025-05-27T07:00:00Z"), (.unfounded, "2025-06-20T08:00:00Z")])
                _ = try await Self.history(store, utr, .kickbacks, "2025-06-07T08:00:00Z")
                _ = try await Self.history(store, utr, .kickbacks, "2025-06-20T08:00:00Z")
                // Left out: a duplicate (it would be open past the triage norm), and signals received just
                // outside [1 May, 1 July) in Amsterdam time.
                let copy = try await Self.history(store, ams, .lessonsNotGiven, "2025-05-02T09:00:00Z")
                _ = try await store.signals.relate(copy.id, to: a1.id, kind: .duplicate, note: "Kopie.", actor: "inspector:1")
                _ = try await Self.history(store, ams, .inducements, "2025-04-30T21:59:59Z")
                _ = try await Self.history(store, utr, .kickbacks, "2025-06-30T22:00:00Z")

                let groups = try await store.signals.responseTimes(
                    from: Fixtures.date("2025-05-01"), to: Fixtures.date("2025-07-01"), groupBy: .municipality,
                    now: Fixtures.instant("2025-06-13T12:00:00Z"), norms: ResponseTimeNorms(triageWorkingDays: 10, conclusionWorkingDays: 20))
                #expect(groups.map(\.key) == ["GM0344", "GM0363"])
                let a = groups[1], u = groups[0]
                #expect(a.signals == 5)
                #expect(a.receivedToTriaged == DurationSummary(count: 3, medianWorkingDays: 1, p90WorkingDays: 10, medianHours: 96, p90Hours: 336))
                #expect(a.triagedToConcluded == DurationSummary(count: 2, medianWorkingDays: 3, p90WorkingDays: 15, medianHours: 72, p90Hours: 528))
                #expect(a.receivedToConcluded == DurationSummary(count: 2, medianWorkingDays: 4, p90WorkingDays: 15, medianHours: 168, p90Hours: 534))
                #expect(a.openPastTriageNorm == 2 && a.openPastConclusionNorm == 1)
                #expect(u.signals == 3)
                #expect(u.receivedToTriaged == DurationSummary(count: 1, medianWorkingDays: 2, p90WorkingDays: 2, medianHours: 91, p90Hours: 91))
                #expect(u.receivedToConcluded.count == 0 && u.openPastTriageNorm == 0 && u.openPastConclusionNorm == 0)

                let regions = try await store.signals.responseTimes(from: Fixtures.date("2025-05-01"), to: Fixtures.date("2025-07-01"),
                                                                    groupBy: .region, now: Fixtures.instant("2025-06-13T12:00:00Z"))
                #expect(regions.map(\.key) == ["PV26", "PV27"], "no labour-market regions in the fixtures: provinces")
            }
        }

        @Test("timelines: the first triage and the first conclusion, with place and category")
        func timelines() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let reopened = try await Self.history(store, Fixtures.utrecht, .examFraud, "2025-03-03T09:00:00Z", [
                    (.triaged, "2025-03-04T09:00:00Z"), (.underInvestigation, "2025-03-05T09:00:00Z"), (.inconclusive, "2025-03-20T09:00:00Z"),
                    (.underInvestigation, "2025-04-01T09:00:00Z"), (.substantiated, "2025-04-15T09:00:00Z"),
                ])
                let open = try await Self.history(store, Fixtures.amsterdam, .other, "2025-03-10T09:00:00Z")
                let timelines = try await store.signals.timelines(receivedFrom: Fixtures.date("2025-03-01"), to: Fixtures.date("2025-04-01"))
                #expect(timelines == [
                    SignalTimeline(signalId: reopened.id, municipalityCode: Fixtures.utrecht.code, provinceCode: ProvinceCode("PV26")!,
                                   labourMarketRegion: nil, category: .examFraud, receivedAt: Fixtures.instant("2025-03-03T09:00:00Z"),
                                   triagedAt: Fixtures.instant("2025-03-04T09:00:00Z"), concludedAt: Fixtures.instant("2025-03-20T09:00:00Z")),
                    SignalTimeline(signalId: open.id, municipalityCode: Fixtures.amsterdam.code, provinceCode: ProvinceCode("PV27")!,
                                   labourMarketRegion: nil, category: .other, receivedAt: Fixtures.instant("2025-03-10T09:00:00Z"),
                                   triagedAt: nil, concludedAt: nil),
                ])
                #expect(try await store.signals.timelines(receivedFrom: Fixtures.date("2025-04-01"), to: Fixtures.date("2025-03-01")).isEmpty)
            }
        }

        @Test("PostgreSQL's figures equal Core's on random histories, at several moments, in every grouping")
        func sqlEqualsCore() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                var rng = SeededGenerator(seed: 20261201)
                let start = Fixtures.instant("2025-01-01T00:00:00Z")
                func later(_ t: Date, days: Int) -> Date { t.addingTimeInterval(Double(Int.random(in: 0...(days * 24 * 60), using: &rng) * 60)) }
                for _ in 0..<90 {
                    let received = later(start, days: 300)
                    var new = Fixtures.newSignal([Fixtures.amsterdam, Fixtures.utrecht, Fixtures.rotterdam].randomElement(using: &rng)!, receivedAt: received)
                    new.category = [.lessonsNotGiven, .kickbacks, .examFraud].randomElement(using: &rng)!
                    let signal = try await store.signals.record(new, actor: "signaller:1")
                    var steps: [SignalStatus] = []
                    switch Int.random(in: 0..<6, using: &rng) {
                    case 0: steps = []
                    case 1: steps = [.triaged]
                    case 2: steps = [.triaged, .unfounded]
                    case 3: steps = [.triaged, .underInvestigation, .substantiated]
                    case 4: steps = [.triaged, .underInvestigation, .inconclusive, .underInvestigation, .substantiated]
                    default: steps = [.triaged, .underInvestigation]
                    }
                    var at = received
                    for (version, status) in steps.enumerated() {
                        at = later(at, days: 40)
                        _ = try await store.signals.transition(signal.id, to: status, expectedVersion: version + 1, note: "Stap.", actor: "inspector:1", at: at)
                    }
                }
                let norms = ResponseTimeNorms(triageWorkingDays: 5, conclusionWorkingDays: 30)
                let (from, to) = (Fixtures.date("2025-02-01"), Fixtures.date("2025-10-01"))
                for now in ["2025-03-15T10:00:00Z", "2025-07-01T00:00:00Z", "2026-06-01T12:00:00Z"].map(Fixtures.instant) {
                    let timelines = try await store.signals.timelines(receivedFrom: from, to: to)
                    for grouping in ResponseTimeGrouping.allCases {
                        let sql = try await store.signals.responseTimes(from: from, to: to, groupBy: grouping, now: now, norms: norms)
                        #expect(sql == ResponseTimes.groups(timelines, groupBy: grouping, now: now, norms: norms), "\(grouping) at \(now)")
                        #expect(sql.map(\.signals).reduce(0, +) == timelines.count)
                    }
                }
                let utrechtOnly = try await store.signals.responseTimes(from: from, to: to, groupBy: .municipality, now: Date(), norms: norms,
                                                                        visible: .only([Fixtures.utrecht.code]))
                #expect(utrechtOnly.map(\.key) == ["GM0344"])
            }
        }

        @Test("the calendar table holds DutchCalendar's working days, 1990 to 2100")
        func calendarTable() async throws {
            try await withTestDatabase { _, client in
                var checked = 0
                var previous: (LocalDate, Int)?
                let rows = try await client.query("SELECT day - DATE '1970-01-01', working, ordinal FROM dutch_working_days ORDER BY day")
                for try await (day, working, ordinal) in rows.decode((Int, Bool, Int).self) {
                    let date = LocalDate(daysSinceEpoch: day)
                    #expect(working == DutchCalendar.isWorkingDay(date), "\(date)")
                    if let (before, ordinalBefore) = previous, date.year != before.year {
                        // Across every new year: the difference of ordinals is the working-day count.
                        #expect(ordinal - ordinalBefore == DutchCalendar.workingDays(from: before, to: date))
                    }
                    if previous == nil || date.year != previous!.0.year { previous = (date, ordinal) }
                    checked += 1
                }
                #expect(checked == 40542, "1990-01-01 through 2100-12-31")
                let between = try await client.query("SELECT dutch_working_days_between(DATE '2025-04-25', DATE '2025-05-06')").decode(Int.self)
                for try await n in between {
                    #expect(n == DutchCalendar.workingDays(from: LocalDate(iso8601: "2025-04-25")!, to: LocalDate(iso8601: "2025-05-06")!))
                }
            }
        }
    }
}
