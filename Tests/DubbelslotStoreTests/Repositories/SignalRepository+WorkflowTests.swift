import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    /// Lifecycle and concurrency (docs/decisions/0008-signal-lifecycle-and-intake.md): transitions through the repository
    /// on a real PostgreSQL.
    @Suite("Signal workflow")
    struct SignalRepositoryWorkflowTests {
        /// The SignalWorkflowError `body` throws, or `nil` (recording an issue for any other error).
        static func workflowError(_ body: () async throws -> Void) async -> SignalWorkflowError? {
            do {
                try await body()
                return nil
            } catch let error as SignalWorkflowError {
                return error
            } catch {
                Issue.record("expected a SignalWorkflowError, got \(String(reflecting: error))")
                return nil
            }
        }

        static func transitionCount(_ client: PostgresClient, _ id: UUID) async throws -> Int {
            try await execute(client, "SELECT count(*)::int8 FROM signal_transitions WHERE signal_id = \(id)")[0].decode(Int.self)
        }

        @Test("every transition from a status is allowed or refused as SignalWorkflow says", arguments: SignalStatus.allCases)
        func everyTransition(from: SignalStatus) async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                for to in SignalStatus.allCases {
                    var new = Fixtures.newSignal()
                    new.status = from
                    let signal = try await store.signals.record(new, actor: Fixtures.actor)
                    if SignalWorkflow.allows(from, to) {
                        let moved = try await store.signals.transition(signal.id, to: to, expectedVersion: 1, note: "Besluit \(from) → \(to).",
                                                                       actor: "inspector:1")
                        #expect(moved.signal.status == to, "\(from) → \(to)")
                        #expect(moved.version == 2)
                        let history = try await store.signals.transitions(signal.id)
                        #expect(history.map(\.to) == [.received, to], "the intake row, then this one")
                        #expect(history.last?.from == from)
                        #expect(history.last?.note == "Besluit \(from) → \(to).")
                        #expect(history.last?.by == "inspector:1")
                    } else {
                        let error = await Self.workflowError {
                            _ = try await store.signals.transition(signal.id, to: to, expectedVersion: 1, note: "Poging.", actor: "inspector:1")
                        }
                        #expect(error?.kind == .illegalTransition, "\(from) → \(to)")
                        #expect(error?.currentStatus == from)
                        #expect(error?.allowedStatuses == SignalWorkflow.next(after: from))
                        let after = try await store.signals.getVersioned(signal.id)
                        #expect(after?.signal.status == from && after?.version == 1, "nothing written")
                        #expect(try await Self.transitionCount(client, signal.id) == 1)
                    }
                }
            }
        }

        @Test("a walk through the whole lifecycle keeps every step, oldest first")
        func lifecycle() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let signal = try await store.signals.record(Fixtures.newSignal(receivedAt: Fixtures.instant("2025-05-02T08:00:00Z")), actor: "signaller:1")
                let steps: [(SignalStatus, String)] = [(.triaged, "2025-05-06T08:00:00Z"), (.underInvestigation, "2025-05-07T08:00:00Z"),
                                                       (.inconclusive, "2025-05-20T08:00:00Z"), (.underInvestigation, "2025-06-02T08:00:00Z"),
                                                       (.substantiated, "2025-06-10T08:00:00Z")]
                var version = 1
                for (status, at) in steps {
                    let moved = try await store.signals.transition(signal.id, to: status, expectedVersion: version, note: "Stap naar \(status).",
                                                                   actor: "inspector:7", at: Fixtures.instant(at))
                    version += 1
                    #expect(moved.version == version)
                }
                let history = try await store.signals.transitions(signal.id)
                #expect(history.map(\.to) == [.received] + steps.map(\.0))
                #expect(history.map(\.from) == [nil, .received, .triaged, .underInvestigation, .inconclusive, .underInvestigation])
                #expect(history.dropFirst().map(\.at) == steps.map { Fixtures.instant($0.1) })
                #expect(history.first?.by == "signaller:1" && history.first?.note == nil)
                let error = await Self.workflowError {
                    _ = try await store.signals.transition(signal.id, to: .unfounded, expectedVersion: version, note: "Toch niet.", actor: "inspector:7")
                }
                #expect(error?.kind == .illegalTransition)
                #expect(error?.allowedStatuses == [])
            }
        }

        @Test("a stale version is refused with the current signal; notes are required; unknown signals are not found")
        func staleAndBad() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let signal = try await store.signals.record(Fixtures.newSignal(), actor: Fixtures.actor)
                _ = try await store.signals.transition(signal.id, to: .triaged, expectedVersion: 1, note: "Triage.", actor: "inspector:1")
                let stale = await Self.workflowError {
                    _ = try await store.signals.transition(signal.id, to: .underInvestigation, expectedVersion: 1, note: "Onderzoek.", actor: "inspector:2")
                }
                #expect(stale?.kind == .versionMismatch)
                #expect(stale?.currentSignal?.version == 2)
                #expect(stale?.currentStatus == .triaged)
                // The version is checked first: even an illegal target reports the mismatch.
                let staleAndIllegal = await Self.workflowError {
                    _ = try await store.signals.transition(signal.id, to: .received, expectedVersion: 1, note: "Terug.", actor: "inspector:2")
                }
                #expect(staleAndIllegal?.kind == .versionMismatch)
                do {
                    _ = try await store.signals.transition(signal.id, to: .underInvestigation, expectedVersion: 2, note: "  \n", actor: "inspector:2")
                    Issue.record("a blank note was accepted")
                } catch let failure as ValidationFailure {
                    #expect(failure.errors.map(\.field) == ["note"])
                }
                #expect(try await Self.transitionCount(client, signal.id) == 2)
                let missing = await Self.workflowError {
                    _ = try await store.signals.transition(UUID(), to: .triaged, expectedVersion: 1, note: "Triage.", actor: "inspector:1")
                }
                #expect(missing?.kind == .notFound)
                #expect(await Self.workflowError { _ = try await store.signals.transitions(UUID()) }?.kind == .notFound)
            }
        }

        @Test("two transitions on one version at once: exactly one wins, the other gets versionMismatch (50 rounds)")
        func concurrentTransitions() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                var new = Fixtures.newSignal()
                new.status = .underInvestigation
                let signal = try await store.signals.record(new, actor: Fixtures.actor)
                var current = VersionedSignal(signal: signal, version: 1)
                for round in 1...50 {
                    // underInvestigation ⇄ inconclusive is a cycle the workflow allows, so rounds can go on.
                    let target: SignalStatus = current.signal.status == .underInvestigation ? .inconclusive : .underInvestigation
                    let version = current.version
                    let before = try await Self.transitionCount(client, signal.id)
                    let outcomes = await withTaskGroup(of: Result<VersionedSignal, any Error>.self) { group in
                        for inspector in 1...2 {
                            group.addTask {
                                do {
                                    return .success(try await store.signals.transition(
                                        signal.id, to: target, expectedVersion: version, note: "Ronde \(round), inspecteur \(inspector).",
                                        actor: "inspector:\(inspector)"))
                                } catch {
                                    return .failure(error)
                                }
                            }
                        }
                        return await group.reduce(into: []) { $0.append($1) }
                    }
                    let winners = outcomes.compactMap { try? $0.get() }
                    let losers = outcomes.compactMap { outcome -> SignalWorkflowError? in
                        if case .failure(let error) = outcome { return error as? SignalWorkflowError }
                        return nil
                    }
                    #expect(winners.count == 1, "round \(round)")
                    #expect(losers.count == 1, "round \(round): \(outcomes)")
                    #expect(losers.first?.kind == .versionMismatch)
                    #expect(losers.first?.currentSignal == winners.first)
                    #expect(try await Self.transitionCount(client, signal.id) == before + 1, "round \(round)")
                    guard let winner = winners.first else { return }
                    #expect(winner.version == version + 1 && winner.signal.status == target)
                    current = winner
                }
                let stored = try await store.signals.getVersioned(signal.id)
                #expect(stored == current)
                #expect(stored?.version == 51)
            }
        }

        @Test("forwarding is a mark beside the status: any status, more than once, version unchanged")
        func forwards() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                var new = Fixtures.newSignal()
                new.status = .substantiated
                let signal = try await store.signals.record(new, actor: Fixtures.actor)
                let first = try await store.signals.forward(signal.id, to: .qualityMarkBody, note: "Gemeld bij Blik op Werk.", actor: "inspector:1",
                                                            at: Fixtures.instant("2025-06-01T08:00:00Z"))
                let second = try await store.signals.forward(signal.id, to: .inspectorate, note: "Doorgestuurd naar de inspectie.", actor: "inspector:1")
                #expect(first.target == .qualityMarkBody && first.signalId == signal.id && first.at == Fixtures.instant("2025-06-01T08:00:00Z"))
                #expect(try await store.signals.forwards(signal.id) == [first, second])
                let after = try await store.signals.getVersioned(signal.id)
                #expect(after?.signal.status == .substantiated && after?.version == 1)
                #expect(await Self.workflowError {
                    _ = try await store.signals.forward(UUID(), to: .inspectorate, note: "x", actor: "inspector:1")
                }?.kind == .notFound)
                #expect(await Self.workflowError { _ = try await store.signals.forwards(UUID()) }?.kind == .notFound)
            }
        }
    }
}
