import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    /// Idempotent and bulk intake (docs/decisions/0008-signal-lifecycle-and-intake.md), and linking at intake by
    /// identifiers.
    @Suite("Signal intake")
    struct SignalRepositoryIntakeTests {
        static let hashA = String(repeating: "a1", count: 32)
        static let hashB = String(repeating: "b2", count: 32)

        static func signalCount(_ client: PostgresClient) async throws -> Int {
            try await execute(client, "SELECT count(*)::int8 FROM fraud_signals")[0].decode(Int.self)
        }

        @Test("a retry with the same key and body returns the first signal; another body is refused; keys are per municipality")
        func idempotentRetries() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let first = try await store.signals.record(Fixtures.newSignal(), idempotencyKey: "key-1", requestHash: Self.hashA, actor: "signaller:1")
                let retry = try await store.signals.record(Fixtures.newSignal(), idempotencyKey: "key-1", requestHash: Self.hashA, actor: "signaller:1")
                #expect(first.created && !retry.created)
                #expect(retry.signal == first.signal)
                #expect(try await Self.signalCount(client) == 1)

                do {
                    _ = try await store.signals.record(Fixtures.newSignal(), idempotencyKey: "key-1", requestHash: Self.hashB, actor: "signaller:1")
                    Issue.record("the same key with another body was accepted")
                } catch let error as SignalWorkflowError {
                    #expect(error.kind == .idempotencyKeyReused)
                }
                #expect(try await Self.signalCount(client) == 1)

                let utrecht = try await store.signals.record(Fixtures.newSignal(Fixtures.utrecht), idempotencyKey: "key-1", requestHash: Self.hashB,
                                                             actor: "signaller:2")
                #expect(utrecht.created && utrecht.signal.signal.id != first.signal.signal.id)
                // After a transition the retry returns the signal as it is now.
                _ = try await store.signals.transition(first.signal.signal.id, to: .triaged, expectedVersion: 1, note: "Triage.", actor: "inspector:1")
                let later = try await store.signals.record(Fixtures.newSignal(), idempotencyKey: "key-1", requestHash: Self.hashA, actor: "signaller:1")
                #expect(!later.created && later.signal.version == 2 && later.signal.signal.status == .triaged)
                // Without a key every call creates.
                _ = try await store.signals.record(Fixtures.newSignal(), idempotencyKey: nil, requestHash: "", actor: "signaller:1")
                #expect(try await Self.signalCount(client) == 3)
            }
        }

        @Test("concurrent identical requests write one signal and all get it (10 rounds of 8)")
        func concurrentIdenticalRequests() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                for round in 1...10 {
                    let key = "round-\(round)"
                    let results = try await withThrowingTaskGroup(of: SignalIntake.self, returning: [SignalIntake].self) { group in
                        for _ in 0..<8 {
                            group.addTask {
                                try await store.signals.record(Fixtures.newSignal(), idempotencyKey: key, requestHash: Self.hashA, actor: "signaller:1")
                            }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                    #expect(results.filter(\.created).count == 1, "round \(round)")
                    #expect(Set(results.map(\.signal.signal.id)).count == 1, "round \(round)")
                }
                #expect(try await Self.signalCount(client) == 10)
                let keys = try await execute(client, "SELECT count(*)::int8 FROM idempotency_keys")[0].decode(Int.self)
                #expect(keys == 10)
            }
        }

        @Test("bad keys and hashes are refused before anything is written")
        func badKeys() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                for (key, hash, field) in [("", Self.hashA, "idempotencyKey"), (String(repeating: "k", count: 201), Self.hashA, "idempotencyKey"),
                                           ("ok", "ABC", "requestHash"), ("ok", Self.hashA.uppercased(), "requestHash")] {
                    do {
                        _ = try await store.signals.record(Fixtures.newSignal(), idempotencyKey: key, requestHash: hash, actor: "signaller:1")
                        Issue.record("accepted key \(key.count) chars, hash \(hash)")
                    } catch let failure as ValidationFailure {
                        #expect(failure.errors.map(\.field) == [field])
                    }
                }
                #expect(try await Self.signalCount(client) == 0)
            }
        }

        @Test("identifiers link a signal at intake only when they name exactly one school")
        func linkByIdentifiers() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let a = try await store.schools.create(Fixtures.newSchool(1, locations: [
                    NewSchoolLocation(vestigingsnummer: Fixtures.vestiging(1), municipalityCode: Fixtures.amsterdam.code, address: "Voorbeeldstraat 1, Amsterdam"),
                ]), actor: Fixtures.actor)
                let b = try await store.schools.create(Fixtures.newSchool(2, locations: [
                    NewSchoolLocation(vestigingsnummer: Fixtures.vestiging(2), municipalityCode: Fixtures.utrecht.code, address: "Voorbeeldlaan 2, Utrecht"),
                ]), actor: Fixtures.actor)
                func record(kvk: KvKNumber?, vestiging: Vestigingsnummer?) async throws -> FraudSignal {
                    var new = Fixtures.newSignal(kvk: kvk)
                    new.reportedVestigingsnummer = vestiging
                    return try await store.signals.record(new, actor: Fixtures.actor)
                }
                #expect(try await record(kvk: nil, vestiging: Fixtures.vestiging(1)).schoolId == a.id)
                #expect(try await record(kvk: Fixtures.kvk(2), vestiging: nil).schoolId == b.id)
                #expect(try await record(kvk: Fixtures.kvk(1), vestiging: Fixtures.vestiging(1)).schoolId == a.id)
                #expect(try await record(kvk: Fixtures.kvk(1), vestiging: Fixtures.vestiging(2)).schoolId == nil, "two schools: ambiguous")
                #expect(try await record(kvk: nil, vestiging: Fixtures.vestiging(3)).schoolId == nil)
                let stored = try await record(kvk: nil, vestiging: Fixtures.vestiging(1))
                #expect(stored.reportedVestigingsnummer == Fixtures.vestiging(1))
            }
        }

        @Test("a batch is idempotent on the case reference, and a repeated case reference is a duplicate for single intake")
        func batch() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                func row(_ n: Int, _ municipality: Municipality = Fixtures.amsterdam) -> NewSignal {
                    var new = Fixtures.newSignal(municipality)
                    new.caseReference = "Z-\(n)"
                    return new
                }
                let first = try await store.signals.recordBatch([row(1), row(2), row(3), row(1, Fixtures.utrecht)], actor: "signaller:1")
                #expect(first.map(\.created) == [true, true, true, true])
                #expect(first.map(\.signal.signal.caseReference) == ["Z-1", "Z-2", "Z-3", "Z-1"])
                let again = try await store.signals.recordBatch([row(3), row(4), row(1), row(1)], actor: "signaller:1")
                #expect(again.map(\.created) == [false, true, false, false])
                #expect(again[0].signal == first[2].signal && again[2].signal == first[0].signal && again[3].signal == first[0].signal)
                #expect(try await Self.signalCount(client) == 5)
                let references = try await execute(client, "SELECT reference FROM fraud_signals ORDER BY reference").map { try $0.decode(String.self) }
                // Each municipality numbers its own signals, without gaps (the sorted references: Utrecht's GM0344 first).
                let year = LocalDate(instant: Date()).year
                #expect(references == ["SIG-GM0344-\(year)-000001"] + (1...4).map { "SIG-GM0363-\(year)-" + String(format: "%06d", $0) }, "no gaps")

                let duplicate = await storeError { _ = try await store.signals.record(row(2), actor: "signaller:1") }
                #expect(duplicate == .duplicate(field: "caseReference"))
                #expect(try await store.signals.recordBatch([], actor: "signaller:1").isEmpty)
            }
        }

        @Test("a batch that fails halfway writes nothing")
        func batchAtomic() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                var good = Fixtures.newSignal()
                good.caseReference = "Z-1"
                var bad = Fixtures.newSignal(Fixtures.municipality("GM9999", "Nergens", "PV27", "Noord-Holland"))
                bad.caseReference = "Z-2"
                let error = await storeError { _ = try await store.signals.recordBatch([good, bad], actor: "signaller:1") }
                #expect(error == .unknownReference(field: "municipalityCode"))
                #expect(try await Self.signalCount(client) == 0)
                #expect(try await execute(client, "SELECT count(*)::int8 FROM signal_transitions")[0].decode(Int.self) == 0)
            }
        }

        @Test("two identical batches at once write each case once")
        func concurrentBatches() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let rows = (1...20).map { n -> NewSignal in
                    var new = Fixtures.newSignal()
                    new.caseReference = "Z-\(n)"
                    return new
                }
                let results = try await withThrowingTaskGroup(of: [SignalIntake].self, returning: [[SignalIntake]].self) { group in
                    for _ in 0..<3 { group.addTask { try await store.signals.recordBatch(rows, actor: "signaller:1") } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(results.flatMap { $0 }.filter(\.created).count == 20)
                #expect(try await Self.signalCount(client) == 20)
            }
        }
    }
}
