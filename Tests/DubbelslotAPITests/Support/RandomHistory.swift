import DubbelslotCore
import DubbelslotStore
import Foundation

/// A seeded random history of writes over a few fictional schools, for the property tests that check
/// a kept or maintained answer against the full assessment after every write.
///
/// Each step writes through the store, as the service does, and returns a one-word label of what it
/// wrote, or nil when the drawn step does not apply (no signal yet, a transition or relation the rules
/// forbid, a lifecycle step from the wrong status). The history keeps what later steps draw from:
/// signals with their status and row version, visit findings and quality-mark decisions.
struct RandomHistory {
    /// A signal as the history knows it: `version` is the row version a transition must name.
    struct KnownSignal {
        var id: UUID
        var status: SignalStatus
        var version: Int
        var school: UUID?
        var municipality: Municipality
    }

    let store: Store
    var rng: SeededGenerator
    let municipalities = [APIFixtures.amsterdam, APIFixtures.rotterdam, APIFixtures.utrecht]
    private(set) var signals: [KnownSignal] = []
    private(set) var findings: [UUID] = []
    private(set) var decisions: [(id: UUID, school: UUID)] = []

    init(store: Store, seed: UInt64) {
        self.store = store
        self.rng = SeededGenerator(seed: seed)
    }

    /// A signal from `municipality` (or a random one of three) about `school` (or, drawn, about no school).
    mutating func intake(about school: School, from municipality: Municipality? = nil, severity: SignalSeverity? = nil) async throws -> String {
        let from = municipality ?? municipalities.randomElement(using: &rng)!
        let about = municipality == nil ? (Bool.random(using: &rng) ? school : nil) : school
        let s = try await APIFixtures.signal(store, from: from, about: about,
                                             severity: severity ?? SignalSeverity.allCases.randomElement(using: &rng)!)
        signals.append(KnownSignal(id: s.id, status: .received, version: 1, school: s.schoolId, municipality: from))
        return "intake"
    }

    /// One workflow step of a random signal, to a random status the workflow allows next.
    mutating func transition() async throws -> String? {
        guard let i = signals.indices.randomElement(using: &rng),
              let next = SignalWorkflow.next(after: signals[i].status).randomElement(using: &rng) else { return nil }
        _ = try await store.signals.transition(signals[i].id, to: next, expectedVersion: signals[i].version, note: "Stap.",
                                               actor: APIFixtures.actor)
        signals[i].status = next
        signals[i].version += 1
        return "transition"
    }

    /// Links (or re-links) a random signal to `school`; nil when it is linked to that school already.
    mutating func link(to school: School) async throws -> String? {
        guard let i = signals.indices.randomElement(using: &rng) else { return nil }
        do {
            _ = try await store.signals.link(signals[i].id, schoolId: school.id, note: "Gekoppeld.", actor: APIFixtures.actor)
        } catch { return nil }
        signals[i].version += 1
        signals[i].school = school.id
        return "link"
    }

    /// Relates two signals of one school: a duplicate within one municipality, a corroboration across two
    /// (the relation's own rule); nil when no pair fits or the signals' statuses rule it out.
    mutating func relate(_ kind: SignalRelationKind) async throws -> String? {
        let pairs = signals.indices.flatMap { i in signals.indices.map { (i, $0) } }.filter { i, j in
            i != j && signals[i].school != nil && signals[i].school == signals[j].school
                && (signals[i].municipality.code == signals[j].municipality.code) == (kind == .duplicate)
        }
        guard let (i, j) = pairs.randomElement(using: &rng) else { return nil }
        do {
            _ = try await store.signals.relate(signals[i].id, to: signals[j].id, kind: kind, note: "Zelfde feiten.",
                                               actor: APIFixtures.actor)
        } catch { return nil }
        if kind == .duplicate { signals[i].version += 1 }
        return "\(kind)"
    }

    /// A classroom or financial visit up to `daysBack` days before `today`, recorded now, with a random outcome.
    mutating func visit(_ school: School, today: LocalDate, daysBack: Int) async throws -> String {
        let visit = try await APIFixtures.visit(store, school, [.classroom, .financial].randomElement(using: &rng)!,
                                                on: today.adding(days: -Int.random(in: 0...daysBack, using: &rng)),
                                                outcome: VisitOutcome.allCases.randomElement(using: &rng)!)
        findings += visit.findings.map(\.id)
        return "visit"
    }

    /// A quality-mark decision of one of `statuses`, taking effect up to `daysBack` days before `today`;
    /// nil when the lifecycle forbids the step.
    mutating func decide(_ school: School, _ statuses: [QualityMarkStatus], today: LocalDate, daysBack: Int) async throws -> String? {
        do {
            let d = try await APIFixtures.mark(store, school, statuses.randomElement(using: &rng)!,
                                               from: today.adding(days: -Int.random(in: 1...daysBack, using: &rng)), until: nil)
            decisions.append((d.id, school.id))
        } catch { return nil }
        return "decision"
    }

    /// The school's reply to a random finding; nil before any visit had findings.
    mutating func reply(today: LocalDate) async throws -> String? {
        guard let finding = findings.randomElement(using: &rng) else { return nil }
        _ = try await store.replies.record(.finding, subjectId: finding, reply: "Opgelost.", receivedOn: today, actor: APIFixtures.actor)
        return "reply"
    }

    /// Rectifies a random recorded decision or, drawn or when there is none, runs retention with the
    /// shortest periods (unfounded signals and signal texts go at once); nil when the lifecycle keeps the decision.
    mutating func rectifyOrRetention() async throws -> String? {
        if let d = decisions.randomElement(using: &rng), Bool.random(using: &rng) {
            do {
                _ = try await store.qualityMarks.rectify(decisionId: d.id, schoolId: d.school, reason: "Verkeerd ingevoerd.",
                                                         actor: APIFixtures.actor)
            } catch { return nil }
            decisions.removeAll { $0.id == d.id }
            return "rectify"
        }
        _ = try await store.retention.run(RetentionPolicy(unfoundedSignalMonths: 0, signalTextYears: 0), now: Date(),
                                          actor: APIFixtures.actor)
        return "retention"
    }
}
