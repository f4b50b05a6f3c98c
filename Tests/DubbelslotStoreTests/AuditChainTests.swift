import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

/// Issue 4, item 5 ("Audit chain"): appends under concurrency, tampering found by `verify`, and the
/// append-only trigger. Each test has a database of its own (it counts the whole chain).
@Suite("Audit chain")
struct AuditChainTests {
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
            let row = try await execute(client, """
                SELECT count(*)::int8, min(seq), max(seq), count(DISTINCT prev_hash)::int8, count(prev_hash)::int8,
                       count(*) FILTER (WHERE action = 'signal.record')::int8
                FROM audit_log
                """)[0]
            let (count, minSeq, maxSeq, distinctPrev, withPrev, records) = try row.decode((Int64, Int64, Int64, Int64, Int64, Int64).self)
            #expect(count == 41 && minSeq == 1 && maxSeq == 41)
            #expect(distinctPrev == withPrev && withPrev == 40, "two entries share a prev_hash (a fork)")
            #expect(records == 40)
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
            #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .intact(entries: 3))
        }
    }

    @Test("editing a row's details breaks the chain at that row")
    func editedDetails() async throws {
        try await withTestDatabase { store, client in
            try await Self.seedChain(store)
            try await Self.tamper(client, [#"UPDATE audit_log SET details = '{"reference": "SIG-2000-000001"}' WHERE seq = 3"#])
            #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .broken(seq: 3, reason: .hashMismatch))
        }
    }

    @Test("deleting a row breaks the chain at that row")
    func deletedRow() async throws {
        try await withTestDatabase { store, client in
            try await Self.seedChain(store)
            try await Self.tamper(client, ["DELETE FROM audit_log WHERE seq = 4"])
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
            #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .broken(seq: 3, reason: .prevHashMismatch))
        }
    }

    @Test("a row rewritten with a fresh hash still breaks the link after it")
    func rehashedRow() async throws {
        try await withTestDatabase { store, client in
            try await Self.seedChain(store)
            try await Self.tamper(client, ["UPDATE audit_log SET hash = repeat('0', 64) WHERE seq = 2"])
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
            #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .intact(entries: 6))
        }
    }
}
