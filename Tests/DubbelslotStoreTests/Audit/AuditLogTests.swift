import Crypto
import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    /// The audit chain (docs/decisions/0012-audit-chain-of-writes-and-reads.md, 0006): appends under concurrency,
    /// tampering found by `verify`, and the append-only trigger. Each test has a database of its own (it counts the whole
    /// chain).
    @Suite("Audit chain")
    struct AuditLogTests {
        /// Runs `statements` in one transaction with user triggers off (`session_replication_role = replica`),
        /// as a superuser would to tamper with the log behind the service's back.
        static func tamper(_ client: PostgresClient, _ statements: [PostgresQuery]) async throws {
            try await client.withTransaction(logger: TestLogging.logger) { connection in
                _ = try await connection.query("SET LOCAL session_replication_role = replica", logger: TestLogging.logger).collect()
                for statement in statements { _ = try await connection.query(statement, logger: TestLogging.logger).collect() }
            }
        }

        /// Five signals recorded one after another: entries 1 (municipalities) … 6.
        static func seedChain(_ store: Store) async throws {
            try await Fixtures.seedMunicipalities(store)
            for _ in 0..<5 { _ = try await store.signals.record(Fixtures.newSignal(), actor: Fixtures.actor) }
            try await AuditLog.sequenceAll(client: store.client, logger: TestLogging.logger)
        }

        @Test("40 concurrent intakes give one chain 1…N without forks or gaps")
        func concurrentAppends() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<40 {
                        group.addTask { _ = try await store.signals.record(Fixtures.newSignal(), actor: Fixtures.actor) }
                    }
                    try await group.waitForAll()
                }
                #expect(try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger) == 41)
                let row = try await execute(client, """
                    SELECT count(*)::int8, min(seq), max(seq), count(DISTINCT prev_hash)::int8, count(prev_hash)::int8,
                           count(*) FILTER (WHERE action = 'signal.record')::int8
                    FROM audit_log
                    """)[0]
                let (count, minSeq, maxSeq, distinctPrev, withPrev, records) = try row.decode((Int64, Int64, Int64, Int64, Int64, Int64).self)
                #expect(count == 41 && minSeq == 1 && maxSeq == 41)
                #expect(distinctPrev == withPrev && withPrev == 40, "two entries share a prev_hash (a fork)")
                #expect(records == 40)
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .intact(entries: 41))
            }
        }

        @Test("a rolled-back write leaves neither an entry nor a gap")
        func rollbackLeavesNoGap() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                _ = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                #expect(await storeError { _ = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor) } != nil)
                _ = try await store.schools.create(Fixtures.newSchool(2), actor: Fixtures.actor)
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .intact(entries: 3))
            }
        }

        @Test("the actor's role, organisation and token come from api_tokens; the command line is the operator")
        func actorIdentity() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let (token, _) = try await store.tokens.create(role: .signaller, municipality: MunicipalityCode("GM0363")!,
                                                               label: "Amsterdam meldpunt", actor: "cli:alice")
                let signal = try await store.signals.record(Fixtures.newSignal(), actor: "signaller:\(token.id.uuidString.lowercased())")
                let entries = try await store.audit.entries(subject: "signal:\(signal.id.uuidString.lowercased())", after: nil, limit: 10)
                #expect(entries.count == 1)
                #expect(entries.first?.action == "signal.record")
                #expect(entries.first?.actorRole == "signaller" && entries.first?.actorOrganisation == "GM0363")
                #expect(entries.first?.tokenId == token.id)
                #expect(entries.first?.details["reference"] == signal.reference)
                let created = try await store.audit.entries(subject: "token:\(token.id.uuidString.lowercased())", after: nil, limit: 10)
                #expect(created.map(\.action) == ["token.create"])
                #expect(created.first?.actorRole == "operator" && created.first?.actorOrganisation == "operator" && created.first?.tokenId == nil)
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .intact(entries: 3))
            }
        }

        @Test("editing a row's details breaks the chain at that row: its content is no longer what its writer hashed")
        func editedDetails() async throws {
            try await withTestDatabase { store, client in
                try await Self.seedChain(store)
                try await Self.tamper(client, [#"UPDATE audit_log SET details = '{"reference": "SIG-2000-000001"}' WHERE seq = 3"#])
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .broken(seq: 3, reason: .contentHashMismatch))
            }
        }

        @Test("deleting a row breaks the chain at that row")
        func deletedRow() async throws {
            try await withTestDatabase { store, client in
                try await Self.seedChain(store)
                try await Self.tamper(client, ["DELETE FROM audit_log WHERE seq = 4"])
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .broken(seq: 4, reason: .gap(found: 5)))
            }
        }

        @Test("swapping two rows' seq breaks the chain at the first of them")
        func swappedRows() async throws {
            try await withTestDatabase { store, client in
                try await Self.seedChain(store)
                try await Self.tamper(client, [
                    "UPDATE audit_log SET seq = 1000000 WHERE seq = 3",
                    "UPDATE audit_log SET seq = 3 WHERE seq = 4",
                    "UPDATE audit_log SET seq = 4 WHERE seq = 1000000",
                ])
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .broken(seq: 3, reason: .prevHashMismatch))
            }
        }

        @Test("a row rewritten with a fresh hash still breaks the link after it")
        func rehashedRow() async throws {
            try await withTestDatabase { store, client in
                try await Self.seedChain(store)
                try await Self.tamper(client, ["UPDATE audit_log SET hash = repeat('0', 64) WHERE seq = 2"])
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .broken(seq: 2, reason: .hashMismatch))
            }
        }

        @Test("UPDATE, DELETE and TRUNCATE on audit_log are refused by the trigger")
        func appendOnly() async throws {
            try await withTestDatabase { store, client in
                try await Self.seedChain(store)
                #expect(await sqlState { try await execute(client, "UPDATE audit_log SET action = 'x' WHERE seq = 2") } == "42501")
                #expect(await sqlState { try await execute(client, "DELETE FROM audit_log WHERE seq = 6") } == "42501")
                #expect(await sqlState { try await execute(client, "TRUNCATE audit_log") } == "42501")
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .intact(entries: 6))
            }
        }
    }
}

extension StoreTests {
    /// The log in two steps: writers append pending entries without a shared lock; sequencing chains them.
    @Suite("Audit log in two steps")
    struct AuditLogTwoStepTests {
        @Test("an entry waits in audit_pending until sequenced, then carries its content hash and how long it waited")
        func pendingThenSequenced() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                for _ in 0..<3 { _ = try await store.signals.record(Fixtures.newSignal(), actor: Fixtures.actor) }
                let waiting = try await execute(client, "SELECT (SELECT count(*) FROM audit_pending)::int, (SELECT count(*) FROM audit_log)::int")[0]
                #expect(try waiting.decode((Int, Int).self) == (4, 0))
                // Nothing sequenced them: with a bound shorter than their wait, verify says the log stalls.
                try await Task.sleep(for: .milliseconds(20))
                let stalled = try await AuditLog.verify(client: client, bound: .milliseconds(1), logger: TestLogging.logger)
                guard case .stalled(entries: 0, pending: 4, _) = stalled else { Issue.record("expected stalled, got \(stalled)"); return }
                #expect(try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger) == 4)
                #expect(try await AuditLog.verify(client: client, bound: .milliseconds(1), logger: TestLogging.logger) == .intact(entries: 4))
                let rows = try await execute(client, """
                    SELECT count(*) FILTER (WHERE content_hash IS NOT NULL AND sequenced_at >= appended_at)::int,
                           (SELECT count(*) FROM audit_pending)::int FROM audit_log
                    """)[0]
                #expect(try rows.decode((Int, Int).self) == (4, 0))
                #expect(try await AuditLog.longestWait(client: client, logger: TestLogging.logger) > 0)
                // Sequencing again finds nothing and changes nothing.
                #expect(try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger) == 0)
            }
        }

        @Test("entries chained before the two steps (version 1) and after them (version 2) verify as one chain")
        func versionsMix() async throws {
            try await withTestDatabase { store, client in
                let v1 = AuditLog.Entry(seq: 1, atMicros: 1_700_000_000_000_000, actor: "cli:alice", actorRole: "operator",
                                        actorOrganisation: "operator", tokenId: nil, action: "municipality.import", subject: "municipalities",
                                        details: ["rows": "5"], prevHash: nil)
                try await execute(client, """
                    INSERT INTO audit_log (seq, at, actor, actor_role, actor_organisation, action, subject, details, hash)
                    VALUES (1, to_timestamp(1700000000), 'cli:alice', 'operator', 'operator', 'municipality.import', 'municipalities',
                            '{"rows": "5"}', \(AuditLog.hashHex(v1)))
                    """)
                try await Fixtures.seedMunicipalities(store)
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .intact(entries: 2))
                try await AuditLogTests.tamper(client, ["UPDATE audit_log SET actor = 'cli:mallory' WHERE seq = 1"])
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .broken(seq: 1, reason: .hashMismatch))
            }
        }

        @Test("intakes and several sequencers at once give one chain 1…N without forks or gaps")
        func concurrentSequencers() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let done = Tally()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<60 {
                        group.addTask {
                            _ = try await store.signals.record(Fixtures.newSignal(i % 2 == 0 ? Fixtures.amsterdam : Fixtures.utrecht), actor: Fixtures.actor)
                            await done.add()
                        }
                    }
                    for _ in 0..<3 {
                        group.addTask {
                            while await done.count < 60 {
                                try await AuditLog.sequencePending(client: client, limit: 7, logger: TestLogging.logger)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                let row = try await execute(client, "SELECT count(*)::int, count(DISTINCT prev_hash)::int, max(seq)::int FROM audit_log")[0]
                #expect(try row.decode((Int, Int, Int).self) == (61, 60, 61))
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .intact(entries: 61))
            }
        }

        @Test("a pending entry changed before it was sequenced is named by verify")
        func changedWhilePending() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                _ = try await store.signals.record(Fixtures.newSignal(), actor: Fixtures.actor)
                #expect(await sqlState { try await execute(client, "UPDATE audit_pending SET action = 'x'") } == "42501")
                try await AuditLogTests.tamper(client, [#"UPDATE audit_pending SET details = '{"reference": "SIG-2000-000001"}'"#])
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .broken(seq: 2, reason: .contentHashMismatch))
            }
        }
    }
}

/// A count shared by concurrent tasks.
private actor Tally {
    private(set) var count = 0
    func add() { count += 1 }
}
