import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import HTTPTypes
import Testing

extension APITests {
    /// As of any moment (docs/decisions/0014-as-of-semantics.md): an overview as of an instant is exactly the overview
    /// Dubbelslot gave at that instant, whatever was recorded later (back-dated facts and corrections included).
    @Suite struct AsOfTests {
        /// The overview JSON without its `asOf` (the one field that names the moment of asking), keys sorted.
        static func comparable(_ reply: Reply) throws -> String {
            var object = try reply.object()
            object.removeValue(forKey: "asOf")
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }

        static func iso(_ date: Date) -> String {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return f.string(from: date)
        }

        @Test func replayingTheHistoryAtRandomInstantsGivesWhatWasShownThen() async throws {
            try await withAPI { api in
                let store = api.store
                let today = APIFixtures.today
                let school = try await APIFixtures.school(store, 910)
                let other = try await APIFixtures.school(store, 911)
                let path = "/v1/schools/\(school.id.text)/overview?date=\(today)"
                let actor = APIFixtures.actor

                // Each step records facts; right after it, the live overview is what Dubbelslot showed.
                var signals: [FraudSignal] = []
                var versions: [UUID: Int] = [:]
                func transition(_ i: Int, _ to: SignalStatus) async throws {
                    let id = signals[i].id
                    let v = try await store.signals.transition(id, to: to, expectedVersion: versions[id] ?? 1, note: "Beoordeeld.", actor: actor)
                    versions[id] = v.version
                }
                let baseline = try Self.comparable(try await api.get(path, as: .buyer))

                // The history: a mark granted, visits, signals reported, triaged, concluded, linked,
                // corroborated and marked duplicate, a back-dated suspension, replies.
                var history: [(Date, Date, String)] = []  // (state from, state until, overview shown in that state)
                var stateFrom = Date()
                var stateShown = baseline
                func record(_ body: () async throws -> Void) async throws {
                    try await Task.sleep(for: .milliseconds(10))
                    let started = Date()
                    history.append((stateFrom, started, stateShown))
                    try await body()
                    stateFrom = Date()
                    stateShown = try Self.comparable(try await api.get(path, as: .buyer))
                }
                try await record { try await APIFixtures.mark(store, school, .grantedFixedTerm, from: today.adding(days: -400), until: today.adding(days: -60)) }
                try await record { try await APIFixtures.visit(store, school, .classroom, on: today.adding(days: -200), outcome: .minorFindings) }
                try await record { signals.append(try await APIFixtures.signal(store, about: school, severity: .high)) }
                try await record { signals.append(try await APIFixtures.signal(store, from: APIFixtures.rotterdam, about: school, severity: .medium)) }
                try await record { try await transition(0, .triaged) }
                try await record { try await transition(0, .underInvestigation) }
                // Back-dated: a suspension recorded now, valid from 60 days ago.
                try await record { try await APIFixtures.mark(store, school, .suspended, from: today.adding(days: -60), until: today.adding(days: 30)) }
                try await record { signals.append(try await APIFixtures.signal(store, from: APIFixtures.utrecht, about: nil, severity: .high)) }
                // A correction: the unmatched signal is linked to the school, then to the other school.
                try await record { versions[signals[2].id] = try await store.signals.link(signals[2].id, schoolId: school.id, note: "KvK komt overeen.", actor: actor).version }
                try await record { _ = try await store.signals.relate(signals[0].id, to: signals[1].id, kind: .corroborating, note: "Zelfde patroon.", actor: actor) }
                try await record { try await transition(0, .substantiated) }
                try await record { try await APIFixtures.visit(store, school, .financial, on: today.adding(days: -20), outcome: .majorFindings) }
                try await record { versions[signals[2].id] = try await store.signals.link(signals[2].id, schoolId: other.id, note: "Toch de andere school.", actor: actor).version }
                try await record { try await transition(1, .triaged) }
                try await record { try await transition(1, .unfounded) }
                try await record { signals.append(try await APIFixtures.signal(store, about: school, severity: .low)) }
                try await record { _ = try await store.signals.relate(signals[3].id, to: signals[0].id, kind: .duplicate, note: "Dubbel ingevoerd.", actor: actor) }
                try await record {
                    let finding = try await APIFixtures.visit(store, school, .classroom, on: today.adding(days: -5), outcome: .majorFindings).findings[0]
                    _ = try await store.replies.record(.finding, subjectId: finding.id, reply: "Wij betwisten deze bevinding.", receivedOn: today, actor: actor)
                }
                try await record { _ = try await store.replies.record(.signal, subjectId: signals[0].id, reply: "De lessen zijn gegeven.", receivedOn: today, actor: actor) }
                try await Task.sleep(for: .milliseconds(10))
                history.append((stateFrom, Date(), stateShown))
                #expect(Set(history.map(\.2)).count >= 15, "most steps change the overview")

                // At least 50 random instants, each inside one state's window.
                var rng = SeededGenerator(seed: 20261130)
                for k in 0..<60 {
                    let (from, until, shown) = history[k < history.count ? k : Int(rng.next() % UInt64(history.count))]
                    guard until > from else { continue }
                    let t = from.addingTimeInterval(Double(rng.next() % 1_000_000) / 1_000_000 * until.timeIntervalSince(from))
                    let asOf = Self.iso(t).replacingOccurrences(of: "+", with: "%2B")
                    let reply = try await api.get("\(path)&asOf=\(asOf)", as: .buyer)
                    #expect(reply.status == .ok, "\(reply.text)")
                    #expect(try Self.comparable(reply) == shown, "as of \(Self.iso(t)) (state \(k))")
                }
            }
        }

        @Test func aBackDatedSuspensionChangesNowButNotThePast() async throws {
            try await withAPI { api in
                let today = APIFixtures.today
                let school = try await APIFixtures.school(api.store, 912)
                try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: today.adding(days: -400), until: today.adding(days: -30))
                try await APIFixtures.visit(api.store, school, on: today.adding(days: -100))
                let before = Date()
                try await Task.sleep(for: .milliseconds(20))
                try await APIFixtures.mark(api.store, school, .suspended, from: today.adding(days: -30), until: nil)
                let path = "/v1/schools/\(school.id.text)/overview?date=\(today.adding(days: -10))"
                let now = try await api.get(path, as: .buyer).json(Components.Schemas.DoubleLockOverview.self)
                let then = try await api.get("\(path)&asOf=\(Self.iso(before).replacingOccurrences(of: "+", with: "%2B"))", as: .buyer)
                    .json(Components.Schemas.DoubleLockOverview.self)
                #expect(now.oversight.contributions.contains { $0.kind == .qualityMarkHistory })
                #expect(!then.oversight.contributions.contains { $0.kind == .qualityMarkHistory }, "the suspension was not known yet")
                #expect(then.inputDigest != now.inputDigest)
            }
        }

        @Test func asOfIsCheckedAndOffsetsAreHonoured() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 913)
                let path = "/v1/schools/\(school.id.text)/overview"
                try expectProblem(try await api.get("\(path)?asOf=2026-03-01", as: .buyer), 400, "validation", field: "asOf")
                try expectProblem(try await api.get("\(path)?asOf=2999-01-01T00:00:00Z", as: .buyer), 400, "validation", field: "asOf")
                // Before the first model was published (the harness publishes it at set-up): no model was in force.
                try expectProblem(try await api.get("\(path)?asOf=2020-01-01T12:00:00%2B01:00", as: .buyer), 400, "validation", field: "asOf")
                // The answer names its cut-off to the millisecond, and asking again with it gives the same answer.
                let live = try await api.get(path, as: .buyer)
                let asOf = try #require(try live.object()["asOf"] as? String)
                #expect(asOf.contains("."), "milliseconds: \(asOf)")
                let again = try await api.get("\(path)?asOf=\(asOf.replacingOccurrences(of: "+", with: "%2B"))", as: .buyer)
                #expect(again.text == live.text)
                // An instant with a +01:00 offset is the same instant in UTC.
                try await Task.sleep(for: .milliseconds(1100))
                let instant = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
                let withOffset = ISO8601DateFormatter()
                withOffset.timeZone = TimeZone(secondsFromGMT: 3600)
                let offset = try await api.get("\(path)?asOf=\(withOffset.string(from: instant).replacingOccurrences(of: "+", with: "%2B"))", as: .buyer)
                let utc = ISO8601DateFormatter()
                utc.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                #expect(try offset.object()["asOf"] as? String == utc.string(from: instant), "\(offset.text)")
            }
        }

        /// Timezone edges (docs/decisions/0014-as-of-semantics.md): dates are Europe/Amsterdam business dates in every
        /// answer.
        @Test func timezoneEdges() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 914)
                // Effective 2024-01-01T00:00:00+01:00 = 2023-12-31T23:00:00Z: 1 January.
                let mark = try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: LocalDate(iso8601: "2024-01-01")!, until: nil)
                let decisions = try await api.get("/v1/schools/\(school.id.text)/quality-mark-decisions", as: .buyer)
                #expect(decisions.text.contains("\"validFrom\":\"2024-01-01\""), "\(decisions.text)")
                let path = "/v1/schools/\(school.id.text)/overview"
                #expect(try await api.get("\(path)?date=2024-01-01", as: .buyer).json(Components.Schemas.DoubleLockOverview.self)
                    .qualityMark.decisionInForce?.id == mark.id.text)
                #expect(try await api.get("\(path)?date=2023-12-31", as: .buyer).json(Components.Schemas.DoubleLockOverview.self)
                    .qualityMark.decisionInForce == nil)

                // 00:30 local on the days the clocks change (2026-03-29 CET→CEST, 2026-10-25 CEST→CET).
                for (local, utc) in [("2026-03-29", "2026-03-28T23:30:00Z"), ("2026-10-25", "2026-10-24T22:30:00Z")] {
                    let received = try Date(utc, strategy: .iso8601)
                    var new = NewSignal(municipalityCode: APIFixtures.amsterdam.code, schoolId: school.id, reportedSchoolName: school.name,
                                        reportedKvkNumber: school.kvkNumber, reportedPlace: "Amsterdam", category: .kickbacks, severity: .high,
                                        observedFrom: LocalDate(iso8601: "2026-01-05")!, observedUntil: nil, summary: "Cursisten kregen geld.",
                                        source: .learnerComplaint, receivedAt: received)
                    new.status = .received
                    let signal = try await api.store.signals.record(new, actor: APIFixtures.actor)
                    let day = LocalDate(iso8601: local)!
                    // Read as an inspector, who sees which signal a contribution rests on and its day.
                    let on = try await api.get("\(path)?date=\(day)", as: .inspector).json(Components.Schemas.DoubleLockOverview.self)
                    let contribution = on.oversight.contributions.first { $0.evidenceIds == [signal.id.text] }
                    #expect(contribution?.evidenceDate == local, "\(local)")
                    #expect(on.signals.byMonth.last?.key == String(local.prefix(7)))
                    let dayBefore = try await api.get("\(path)?date=\(day.adding(days: -1))", as: .inspector).json(Components.Schemas.DoubleLockOverview.self)
                    #expect(!dayBefore.oversight.contributions.contains { $0.evidenceIds == [signal.id.text] }, "\(local): counted the day before")
                }
            }
        }
    }
}
