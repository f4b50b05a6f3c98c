import Crypto
import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    /// Checkpoints: a signed (seq, hash) pair kept outside the database, checked against the log.
    @Suite struct AuditCheckpointTests {
        @Test("a kept checkpoint holds while the log grows, and fails once entries are removed or rewritten")
        func checkpoints() async throws {
            try await withTestDatabase { store, client in
                try await AuditLogTests.seedChain(store)  // entries 1…6
                let key = Curve25519.Signing.PrivateKey()
                let kept = try #require(try await AuditCheckpoint.sign(client: client, key: key, logger: TestLogging.logger))
                #expect(kept.size == 6 && kept.signatureHolds)
                #expect(try await AuditCheckpoint.latest(client: client, logger: TestLogging.logger) == kept)
                // Unchanged log: no new checkpoint when asked only when grown.
                #expect(try await AuditCheckpoint.sign(client: client, key: key, onlyWhenGrown: true, logger: TestLogging.logger) == nil)
                // Kept as JSON, read back, verified against a log that grew.
                let file = try JSONDecoder().decode(AuditCheckpoint.self, from: try AuditCheckpoint.encoder.encode(kept))
                for _ in 0..<3 { _ = try await store.signals.record(Fixtures.newSignal(), actor: Fixtures.actor) }
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                #expect(try await AuditCheckpoint.verify(file, expectedKeyId: kept.keyId, client: client, logger: TestLogging.logger) == 9)

                // Another key, or a changed size, is not this checkpoint.
                await #expect(throws: AuditCheckpoint.Mismatch.badSignature) {
                    try await AuditCheckpoint.verify(file, expectedKeyId: String(repeating: "0", count: 64), client: client, logger: TestLogging.logger)
                }
                var forged = file
                forged.size = 5
                await #expect(throws: AuditCheckpoint.Mismatch.badSignature) {
                    try await AuditCheckpoint.verify(forged, client: client, logger: TestLogging.logger)
                }
                // The newest entries removed behind the service's back: the chain alone still verifies, the checkpoint does not.
                try await AuditLogTests.tamper(client, ["DELETE FROM audit_log WHERE seq >= 5"])
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .intact(entries: 4))
                await #expect(throws: AuditCheckpoint.Mismatch.logShorter(entries: 4, checkpointSize: 6)) {
                    try await AuditCheckpoint.verify(file, client: client, logger: TestLogging.logger)
                }
            }
        }

        @Test("a log rewritten from the checkpoint's entry on fails the checkpoint")
        func rewrittenHead() async throws {
            try await withTestDatabase { store, client in
                try await AuditLogTests.seedChain(store)
                let kept = try #require(try await AuditCheckpoint.sign(client: client, key: Curve25519.Signing.PrivateKey(), logger: TestLogging.logger))
                // Entries 5 and 6 removed and two others chained in their place: an intact chain, but not the one signed.
                try await AuditLogTests.tamper(client, ["DELETE FROM audit_log WHERE seq >= 5"])
                for _ in 0..<2 { _ = try await store.signals.record(Fixtures.newSignal(), actor: Fixtures.actor) }
                try await AuditLog.sequenceAll(client: client, logger: TestLogging.logger)
                #expect(try await AuditLog.verify(client: client, logger: TestLogging.logger) == .intact(entries: 6))
                await #expect(throws: AuditCheckpoint.Mismatch.headDiffers(seq: 6)) {
                    try await AuditCheckpoint.verify(kept, client: client, logger: TestLogging.logger)
                }
            }
        }
    }
}
