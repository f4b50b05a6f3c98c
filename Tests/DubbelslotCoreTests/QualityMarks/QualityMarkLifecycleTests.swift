import DubbelslotCore
import Foundation
import Testing

extension CoreTests {
    /// The lifecycle table of quality-mark decisions and how a new decision supersedes the one in force.
    @Suite struct QualityMarkLifecycleTests {
        func range(_ from: String, _ until: String? = nil) -> DateRange {
            DateRange(from: LocalDate(iso8601: from)!, until: until.map { LocalDate(iso8601: $0)! })!
        }

        @Test func aSuspensionEndsTheGrantInForce() throws {
            let grant = decision(.grantedIndefinite, "2016-01-01")
            let plan = try QualityMarkLifecycle.plan(status: .suspended, period: range("2017-07-03"), scope: .school, among: [grant])
            #expect(plan == .init(decisionId: grant.id, until: LocalDate(iso8601: "2017-07-03")!))
            // A bounded suspension, a withdrawal and a lapse end it the same way.
            for status in [QualityMarkStatus.suspended, .withdrawn, .lapsed] {
                let bounded = try QualityMarkLifecycle.plan(status: status, period: range("2017-07-03", status == .suspended ? "2017-10-01" : nil),
                                                            scope: .school, among: [grant])
                #expect(bounded?.decisionId == grant.id)
            }
        }

        @Test func theTableRefusesWhatDoesNotFollowAndNamesBothStatuses() {
            let withdrawn = decision(.withdrawn, "2018-01-01")
            #expect(throws: QualityMarkLifecycleError.illegalTransition(from: .withdrawn, to: .grantedIndefinite, allowed: [.aspirant, .notGranted])) {
                try QualityMarkLifecycle.plan(status: .grantedIndefinite, period: range("2019-01-01"), scope: .school, among: [withdrawn])
            }
            // Nothing before: only a new application.
            #expect(throws: QualityMarkLifecycleError.illegalTransition(from: nil, to: .suspended, allowed: QualityMarkLifecycle.newApplication)) {
                try QualityMarkLifecycle.plan(status: .suspended, period: range("2019-01-01"), scope: .school, among: [])
            }
            let error = QualityMarkLifecycleError.illegalTransition(from: .withdrawn, to: .grantedIndefinite, allowed: [.aspirant, .notGranted])
            #expect(error.description.contains("grantedIndefinite") && error.description.contains("withdrawn"))
        }

        @Test func everyPairIsAllowedOrRefusedAsTheTableSays() throws {
            for previous in QualityMarkStatus.allCases {
                for next in QualityMarkStatus.allCases {
                    let before = decision(previous, "2020-01-01")
                    let result = Result { try QualityMarkLifecycle.plan(status: next, period: range("2021-01-01"), scope: .school, among: [before]) }
                    let succeeded = if case .success = result { true } else { false }
                    #expect(succeeded == QualityMarkLifecycle.allows(after: previous, next), "\(previous) → \(next)")
                }
            }
        }

        @Test func aSuspensionIsExtendedAndLiftedAndASameDayDecisionIsARectification() throws {
            let grant = decision(.grantedIndefinite, "2016-01-01", "2017-07-03")
            let suspension = decision(.suspended, "2017-07-03", "2017-10-01")
            // Extended from its last day: follows the suspension that ended then, supersedes nothing.
            #expect(try QualityMarkLifecycle.plan(status: .suspended, period: range("2017-10-01", "2018-01-01"), scope: .school,
                                                  among: [grant, suspension]) == nil)
            // Lifted early: ends the suspension.
            #expect(try QualityMarkLifecycle.plan(status: .grantedIndefinite, period: range("2017-09-01"), scope: .school,
                                                  among: [grant, suspension])?.decisionId == suspension.id)
            #expect(throws: QualityMarkLifecycleError.sameStart(existing: suspension.id, status: .suspended, from: LocalDate(iso8601: "2017-07-03")!)) {
                try QualityMarkLifecycle.plan(status: .withdrawn, period: range("2017-07-03"), scope: .school, among: [grant, suspension])
            }
        }

        @Test func aPeriodMayNotRunIntoALaterDecisionAndAGapMeansANewApplication() throws {
            let later = decision(.grantedIndefinite, "2020-01-01")
            #expect(throws: QualityMarkLifecycleError.runsIntoLater(existing: later.id, status: .grantedIndefinite, from: LocalDate(iso8601: "2020-01-01")!)) {
                try QualityMarkLifecycle.plan(status: .aspirant, period: range("2019-01-01"), scope: .school, among: [later])
            }
            #expect(try QualityMarkLifecycle.plan(status: .aspirant, period: range("2019-01-01", "2020-01-01"), scope: .school, among: [later]) == nil)
            // A fixed term that ran out in 2019, then nothing: 2022 is a new application.
            let ended = decision(.grantedFixedTerm, "2016-01-01", "2019-01-01")
            #expect(try QualityMarkLifecycle.plan(status: .aspirant, period: range("2022-01-01"), scope: .school, among: [ended]) == nil)
            #expect(throws: QualityMarkLifecycleError.self) {
                try QualityMarkLifecycle.plan(status: .suspended, period: range("2022-01-01"), scope: .school, among: [ended])
            }
        }

        @Test func aLocationIsSuspendedWhileTheSchoolKeepsItsMark() throws {
            let location = UUID()
            let grant = decision(.grantedIndefinite, "2016-01-01")
            // The school's mark is the location's predecessor, and is not ended.
            #expect(try QualityMarkLifecycle.plan(status: .suspended, period: range("2024-03-01"), scope: .location(location), among: [grant]) == nil)
            let suspended = decision(.suspended, "2024-03-01", location: location)
            #expect(try QualityMarkLifecycle.plan(status: .grantedIndefinite, period: range("2024-06-01"), scope: .location(location),
                                                  among: [grant, suspended])?.decisionId == suspended.id)
            // A rectified decision does not count.
            let rectified = QualityMarkDecision(id: UUID(), schoolId: schoolId, status: .withdrawn, validDuring: range("2017-01-01"),
                                                decidedOn: LocalDate(iso8601: "2017-01-01")!, reference: nil, reason: nil, objection: nil,
                                                rectification: .init(reason: "Verkeerde school.", recordedAt: Date(), recordedBy: "test"),
                                                recordedAt: Date(), recordedBy: "test")
            #expect(try QualityMarkLifecycle.plan(status: .suspended, period: range("2018-01-01"), scope: .school, among: [grant, rectified])?
                .decisionId == grant.id)
        }

        @Test func aBackDatedDecisionMustLeaveTheNextOneAllowed() {
            // Fixed term 2019-06-01 → 2021-06-01, then indefinite: a withdrawal back-dated into the fixed
            // term, ending where the indefinite mark starts, would leave "withdrawn → grantedIndefinite".
            let fixed = decision(.grantedFixedTerm, "2019-06-01", "2021-06-01")
            let indefinite = decision(.grantedIndefinite, "2021-06-01")
            #expect(throws: QualityMarkLifecycleError.illegalTransition(from: .withdrawn, to: .grantedIndefinite, allowed: [.aspirant, .notGranted])) {
                try QualityMarkLifecycle.plan(status: .withdrawn, period: range("2020-01-01", "2021-06-01"), scope: .school, among: [fixed, indefinite])
            }
            // A suspension in the same place is fine: the mark may follow it.
            #expect(throws: Never.self) {
                try QualityMarkLifecycle.plan(status: .suspended, period: range("2020-01-01", "2021-06-01"), scope: .school, among: [fixed, indefinite])
            }
        }

        @Test func aLocationFollowsTheSchoolsLaterWithdrawalWhenItsSuspensionIsLifted() {
            let location = UUID()
            let decisions = [decision(.grantedIndefinite, "2020-01-01", "2026-10-01"), decision(.suspended, "2026-06-01", location: location),
                             decision(.withdrawn, "2026-10-01")]
            // The school's withdrawal started after the location's suspension: the location is withdrawn too.
            #expect(throws: QualityMarkLifecycleError.illegalTransition(from: .withdrawn, to: .grantedIndefinite, allowed: [.aspirant, .notGranted])) {
                try QualityMarkLifecycle.plan(status: .grantedIndefinite, period: range("2026-11-15"), scope: .location(location), among: decisions)
            }
        }

        @Test func aSuspensionThatRanOutIsLiftedOrTurnedIntoAWithdrawalLater() throws {
            let grant = decision(.grantedIndefinite, "2020-01-01", "2021-01-01")
            let suspension = decision(.suspended, "2021-01-01", "2021-02-01")
            for next in [QualityMarkStatus.grantedIndefinite, .withdrawn] {
                #expect(try QualityMarkLifecycle.plan(status: next, period: range("2021-03-15"), scope: .school, among: [grant, suspension]) == nil)
            }
            #expect(throws: QualityMarkLifecycleError.self) {
                try QualityMarkLifecycle.plan(status: .aspirant, period: range("2021-03-15"), scope: .school, among: [grant, suspension])
            }
        }

        @Test func aBackDatedWithdrawalOfTheSchoolMayNotPrecedeALaterLiftAtALocation() {
            let location = UUID()
            let decisions = [decision(.grantedIndefinite, "2020-01-01"), decision(.suspended, "2024-01-01", "2025-06-01", location: location),
                             decision(.grantedIndefinite, "2025-06-01", location: location)]
            #expect(throws: QualityMarkLifecycleError.illegalTransition(from: .withdrawn, to: .grantedIndefinite, allowed: [.aspirant, .notGranted])) {
                try QualityMarkLifecycle.plan(status: .withdrawn, period: range("2025-01-01"), scope: .school, among: decisions)
            }
            // After the location's lift it is fine: the withdrawal started later and wins there.
            #expect(throws: Never.self) {
                try QualityMarkLifecycle.plan(status: .withdrawn, period: range("2025-09-01"), scope: .school, among: decisions)
            }
        }

        @Test func aLocationsSuspensionThatRanOutHoldsUntilItIsLifted() throws {
            let location = UUID()
            let decisions = [decision(.grantedIndefinite, "2022-01-01"), decision(.suspended, "2024-03-01", "2024-09-01", location: location)]
            let timeline = MarkTimeline(decisions)
            #expect(timeline.inForce(on: LocalDate(iso8601: "2024-09-15")!, location: location)?.status == .suspended)
            #expect(timeline.inForce(on: LocalDate(iso8601: "2024-09-15")!, location: UUID())?.status == .grantedIndefinite)
            #expect(try QualityMarkLifecycle.plan(status: .grantedIndefinite, period: range("2024-10-01"), scope: .location(location),
                                                  among: decisions) == nil)
        }
    }
}
