import DubbelslotAPI
import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

extension APITests {
    /// The audit chain (docs/decisions/0012-audit-chain-of-writes-and-reads.md) through the API: every write and every
    /// read of signal text leaves an entry naming the caller; `GET /v1/audit` (analysts only, see the permission matrix).
    @Suite struct APIImplementationAuditTests {
        /// The audit action each writing (or signal-text reading) operation appends.
        static let actions: [String: String] = [
            "createSchool": "school.create",
            "recordQualityMarkDecision": "qualitymark.record",
            "rectifyQualityMarkDecision": "qualitymark.rectify",
            "recordVisit": "visit.record",
            "reportSignal": "signal.record",
            "reportSignalBatch": "signal.recordBatch",
            "transitionSignal": "signal.transition",
            "forwardSignal": "signal.forward",
            "linkSignalSchool": "signal.link",
            "rejectSignalCandidate": "signal.rejectCandidate",
            "relateSignal": "signal.relate",
            "createProcurementCheck": "procurementCheck.record",
            "recordProcurementDecision": "procurementCheck.decide",
            "recordReply": "reply.record",
            "getSignal": "signal.read",
            "listSignals": "signal.read",
            "createSubscription": "subscription.create",
            "deleteSubscription": "subscription.delete",
            "retrySubscriptionDelivery": "subscription.retry",
        ]

        @Test func everyWritingOperationIsListed() {
            let writes = Set(OperationRequests.all.filter { $0.value.method != .get }.keys)
            #expect(writes.isSubset(of: Set(Self.actions.keys)), "a writing operation without an expected audit action")
        }

        /// The newest entry: (actor, actor_role, token_id is set, action).
        static func lastEntry(_ api: APIHarness) async throws -> (String, String, Bool, String)? {
            try await AuditLog.sequenceAll(client: api.database, logger: TestLogging.logger)
            let rows = try await api.database.query(
                "SELECT actor, actor_role, token_id IS NOT NULL, action FROM audit_log ORDER BY seq DESC LIMIT 1",
                logger: TestLogging.logger).collect()
            return try rows.first?.decode((String, String, Bool, String).self)
        }

        @Test(arguments: actions.keys.sorted())
        func anAllowedCallLeavesOneEntryNamingTheCaller(_ operationID: String) async throws {
            let request = try #require(OperationRequests.all[operationID])
            let role = try #require(Role.allCases.first { AccessPolicy.allows($0, operationID) })
            try await withAPI { api in
                let subjects = try await OperationRequests.seed(api)
                let before = try await api.count("audit_log")
                let reply = try await api.send(request.method, request.path(subjects, role: role), token: api.token(role),
                                               body: request.body?(subjects, 0), headers: request.headers)
                #expect((200..<300).contains(reply.status.code), "\(operationID): \(reply.status.code) \(reply.text)")
                #expect(try await api.count("audit_log") == before + 1)
                let last = try #require(try await Self.lastEntry(api))
                #expect(last.0.hasPrefix("\(role.rawValue):"))
                #expect(last.1 == role.rawValue && last.2)
                #expect(last.3 == Self.actions[operationID])
                try await AuditLog.sequenceAll(client: api.database, logger: TestLogging.logger)
                #expect(try await AuditLog.verify(client: api.database, logger: TestLogging.logger) == .intact(entries: Int64(before + 1)))
            }
        }

        @Test func getSignalLeavesASignalReadAndAnalystsSeeItByCursor() async throws {
            try await withAPI { api in
                let subjects = try await OperationRequests.seed(api)
                let subject = "signal:\(subjects.signal.uuidString.lowercased())"
                #expect(try await api.get("/v1/signals/\(subjects.signal.uuidString.lowercased())", as: .inspector).status == .ok)
                #expect(try await api.get("/v1/signals/\(subjects.signal.uuidString.lowercased())", as: .inspector).status == .ok)
                let first = try await api.get("/v1/audit?subject=\(subject)&limit=2", as: .analyst)
                let page = try first.json(Components.Schemas.AuditEntryPage.self)
                #expect(page.items.map(\.action) == ["signal.record", "signal.read"])
                #expect(page.items.last?.actorRole == "inspector" && page.items.last?.tokenId != nil)
                let cursor = try #require(page.nextCursor ?? nil)
                let second = try await api.get("/v1/audit?subject=\(subject)&cursor=\(cursor)", as: .analyst)
                let rest = try second.json(Components.Schemas.AuditEntryPage.self)
                #expect(rest.items.map(\.action) == ["signal.read"])
                #expect(rest.items.first.map { $0.seq > page.items.last!.seq } == true)
                try expectProblem(try await api.get("/v1/audit?cursor=x", as: .analyst), 400, "validation", field: "cursor")
                // A list that held the signal counts as a read of it too.
                #expect(try await api.get("/v1/signals", as: .signaller).status == .ok)
                let all = try await api.get("/v1/audit?subject=\(subject)&limit=10", as: .analyst).json(Components.Schemas.AuditEntryPage.self)
                #expect(all.items.map(\.action) == ["signal.record", "signal.read", "signal.read", "signal.read"])
                #expect(all.items.last?.subject == "signals" && all.items.last?.actorRole == "signaller")
                try expectProblem(try await api.get("/v1/audit", as: .inspector), 403, "forbidden")
            }
        }
    }
}
