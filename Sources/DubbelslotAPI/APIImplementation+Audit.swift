import DubbelslotOpenAPI
import DubbelslotStore
import Foundation

extension APIImplementation {
    /// Lists audit entries by `seq`, optionally for one subject (analysts only, `AccessPolicy`).
    ///
    /// The cursor is the last `seq` of the previous page in decimal; `nextCursor` is set when the page is full.
    func listAuditEntries(_ input: Operations.ListAuditEntries.Input) async throws -> Operations.ListAuditEntries.Output {
        var rules = InputRules()
        let subject = rules.text(input.query.subject, "subject", max: 200)
        var after: Int64?
        if let cursor = input.query.cursor {
            if cursor.allSatisfy({ $0.isASCII && $0.isNumber }), let seq = Int64(cursor), seq >= 0 {
                after = seq
            } else {
                rules.fail("cursor", "must be a nextCursor value from a previous page")
            }
        }
        let limit = rules.limit(input.query.limit)
        try rules.throwIfAny()
        let entries = try await store.audit.entries(subject: subject, after: after, limit: limit)
        let next = entries.count == limit ? entries.last.map { String($0.seq) } : nil
        return .ok(.init(body: .json(.init(items: entries.map(Components.Schemas.AuditEntry.init), nextCursor: next))))
    }
}

extension APIImplementation {
    /// The newest signed checkpoint of the audit log (every role, `AccessPolicy`); 404 before the first.
    func getLatestAuditCheckpoint(_ input: Operations.GetLatestAuditCheckpoint.Input) async throws -> Operations.GetLatestAuditCheckpoint.Output {
        guard let c = try await AuditCheckpoint.latest(client: store.client, logger: logger) else {
            throw Problem(.notFound, detail: "No audit checkpoint has been signed yet.")
        }
        return .ok(.init(body: .json(.init(size: c.size, headHash: c.headHash, atMicros: c.atMicros, keyId: c.keyId,
                                           publicKey: c.publicKey, signature: c.signature))))
    }
}

extension Components.Schemas.AuditEntry {
    init(_ e: AuditLog.Entry) {
        self.init(seq: e.seq, at: e.at, actor: e.actor, actorRole: e.actorRole, actorOrganisation: e.actorOrganisation,
                  tokenId: e.tokenId.map { $0.uuidString.lowercased() }, action: e.action, subject: e.subject,
                  details: .init(additionalProperties: e.details), prevHash: e.prevHash, hash: e.hash,
                  contentHash: e.contentHash)
    }
}
