import Crypto
import DubbelslotAPI
import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// How to call each operation in the permission matrix: method, path template and a valid body.
struct OperationRequest: Sendable {
    let method: HTTPRequest.Method
    /// With `{school}`, `{visit}`, `{signal}`, `{code}` and `{subscription}` (the calling role's own) where
    /// the contract has a path parameter.
    let template: String
    /// A body valid for an allowed caller; the `Int` makes each call's natural keys unique.
    let body: (@Sendable (OperationRequests.Subjects, Int) -> String)?
    /// Extra request headers (`If-Match`, a content type other than JSON).
    var headers: HTTPFields = [:]

    func path(_ s: OperationRequests.Subjects, role: Role? = nil) -> String {
        template.replacingOccurrences(of: "{subscription}", with: (s.subscriptions[role ?? .admin] ?? UUID()).text)
            .replacingOccurrences(of: "{delivery}", with: (s.deliveries[role ?? .admin] ?? UUID()).text)
            .replacingOccurrences(of: "{school}", with: s.school.text).replacingOccurrences(of: "{visit}", with: s.visit.text)
            .replacingOccurrences(of: "{signal}", with: s.signal.text).replacingOccurrences(of: "{code}", with: "GM0363")
            .replacingOccurrences(of: "{check}", with: s.check.text).replacingOccurrences(of: "{decision}", with: s.decision.text)
    }

    /// The template with the contract's parameter names, `{id}` and `{code}`.
    var contractPath: String {
        template.replacingOccurrences(of: "{school}", with: "{id}").replacingOccurrences(of: "{visit}", with: "{id}")
            .replacingOccurrences(of: "{signal}", with: "{id}").replacingOccurrences(of: "{check}", with: "{id}")
            .replacingOccurrences(of: "{decision}", with: "{decisionId}").replacingOccurrences(of: "{subscription}", with: "{id}")
            .replacingOccurrences(of: "{delivery}", with: "{deliveryId}")
    }
}

enum OperationRequests {
    /// The rows the requests refer to: an Amsterdam school, one of its visits, and two signals from
    /// Amsterdam (the signaller's own municipality, so that scope rules allow it) about it, at
    /// version 1; `relateSignal` links the first to the second as its duplicate.
    struct Subjects: Sendable {
        let school: UUID
        let visit: UUID
        let signal: UUID
        let otherSignal: UUID
        /// An Amsterdam buyer's procurement check of the school, without a decision.
        let check: UUID
        /// A fixed-term quality-mark decision of the school, long ended (so no new decision follows it).
        let decision: UUID
        /// A webhook subscription of each role's token, created through the API: every organisation
        /// manages only its own, so each role is called with the one it made.
        var subscriptions: [Role: UUID] = [:]
        /// A delivery queued for each of ``subscriptions``.
        var deliveries: [Role: UUID] = [:]
    }

    static func seed(_ api: APIHarness) async throws -> Subjects {
        let school = try await APIFixtures.school(api.store, 901)
        let visit = try await APIFixtures.visit(api.store, school, on: APIFixtures.today.adding(days: -20))
        let signal = try await APIFixtures.signal(api.store, about: school)
        let other = try await APIFixtures.signal(api.store, about: school)
        let check = try await checkID(api, school.id, token: api.token(.buyer))
        let decision = try await APIFixtures.mark(api.store, school, .grantedFixedTerm, from: APIFixtures.today.adding(days: -3000),
                                                  until: APIFixtures.today.adding(days: -2990))
        // A signed checkpoint, as the sequencer of a running service signs one.
        try await AuditCheckpoint.sign(client: api.database, key: Curve25519.Signing.PrivateKey(), logger: TestLogging.logger)
        var subscriptions: [Role: UUID] = [:]
        var deliveries: [Role: UUID] = [:]
        for role in Role.allCases where AccessPolicy.allows(role, "createSubscription") {
            let subscription = try await subscriptionID(api, token: api.token(role))
            subscriptions[role] = subscription
            let queued = try await api.database.query(
                """
                INSERT INTO webhook_outbox (subscription_id, event_id, type, payload)
                VALUES (\(subscription), gen_random_uuid(), \(WebhookEventType.qualityMarkDecisionRecorded.rawValue), '{}'::jsonb) RETURNING id
                """, logger: TestLogging.logger).collect()
            deliveries[role] = try queued[0].decode(UUID.self)
        }
        return Subjects(school: school.id, visit: visit.id, signal: signal.id, otherSignal: other.id, check: check, decision: decision.id,
                        subscriptions: subscriptions, deliveries: deliveries)
    }

    /// Registers a webhook subscription with `token` and returns its id.
    static func subscriptionID(_ api: APIHarness, token: String) async throws -> UUID {
        let reply = try await api.send(.post, "/v1/subscriptions", token: token, body: subscriptionBody(0))
        let subscription = try reply.object()["subscription"] as? [String: Any]
        return try #require(UUID(uuidString: subscription?["id"] as? String ?? ""), "no subscription created: \(reply.text)")
    }

    /// A valid `createSubscription` body.
    static func subscriptionBody(_ k: Int) -> String {
        APIFixtures.json(["url": "https://example.org/hooks/\(k)", "events": [WebhookEventType.qualityMarkDecisionRecorded.rawValue]])
    }

    /// Records a procurement check of `school` with `token` (a buyer's) and returns its id.
    static func checkID(_ api: APIHarness, _ school: UUID, token: String) async throws -> UUID {
        let reply = try await api.send(.post, "/v1/procurement-checks", token: token,
                                       body: APIFixtures.json(["schoolId": school.text, "contractFrom": APIFixtures.today.description]))
        let text = try reply.object()["id"] as? String ?? ""
        return try #require(UUID(uuidString: text), "no check recorded: \(reply.text)")
    }

    /// A signals CSV of one row with case reference `MATRIX-<k>`.
    static func batchCSV(_ k: Int) -> String {
        """
        caseReference,reportedSchoolName,category,severity,observedFrom,summary,source
        MATRIX-\(k),Taalschool Voorbeeld 901 B.V.,kickbacks,medium,\(APIFixtures.today.adding(days: -30)),Cursisten kregen geld om te tekenen.,learnerComplaint

        """
    }

    /// How to read the count of signals out of the answers of scoped operations that count.
    static let scopedCounts: [String: @Sendable (Reply) throws -> Int] = [
        "listSignals": { try #require($0.object()["total"] as? Int) },
        "getSignalResponseTimes": { reply in
            let groups = try #require(try reply.object()["groups"] as? [[String: Any]])
            return groups.compactMap { $0["received"] as? Int }.reduce(0, +)
        },
    ]

    static let all: [String: OperationRequest] = [
        "getLiveness": .init(method: .get, template: "/health/live", body: nil),
        "getReadiness": .init(method: .get, template: "/health/ready", body: nil),
        "getOpenAPIDocument": .init(method: .get, template: "/v1/openapi.json", body: nil),
        "listMunicipalities": .init(method: .get, template: "/v1/municipalities", body: nil),
        "getMunicipality": .init(method: .get, template: "/v1/municipalities/{code}", body: nil),
        "listSchools": .init(method: .get, template: "/v1/schools", body: nil),
        "getSchool": .init(method: .get, template: "/v1/schools/{school}", body: nil),
        "createSchool": .init(method: .post, template: "/v1/schools") { _, k in APIFixtures.json(APIFixtures.newSchoolBody(960 + k)) },
        "listQualityMarkDecisions": .init(method: .get, template: "/v1/schools/{school}/quality-mark-decisions", body: nil),
        "recordQualityMarkDecision": .init(method: .post, template: "/v1/schools/{school}/quality-mark-decisions") { _, k in
            // Ten-day periods far apart, so that no two calls overlap.
            let from = APIFixtures.today.adding(days: -1000 + 20 * k)
            return APIFixtures.json(APIFixtures.newDecisionBody(from: from, until: from.adding(days: 10)))
        },
        // Only the inspector may, once: a rectification is never undone.
        "rectifyQualityMarkDecision": .init(method: .post, template: "/v1/schools/{school}/quality-mark-decisions/{decision}/rectification") { _, _ in
            APIFixtures.json(["reason": "Bij de verkeerde school vastgelegd."])
        },
        "listVisits": .init(method: .get, template: "/v1/schools/{school}/visits", body: nil),
        "recordVisit": .init(method: .post, template: "/v1/schools/{school}/visits") { _, _ in
            APIFixtures.json(APIFixtures.newVisitBody(on: APIFixtures.today.adding(days: -1)))
        },
        "getVisit": .init(method: .get, template: "/v1/visits/{visit}", body: nil),
        "reportSignal": .init(method: .post, template: "/v1/signals") { s, _ in APIFixtures.json(APIFixtures.newSignalBody(schoolId: s.school)) },
        "listSignals": .init(method: .get, template: "/v1/signals", body: nil),
        "getSignal": .init(method: .get, template: "/v1/signals/{signal}", body: nil),
        "reportSignalBatch": .init(method: .post, template: "/v1/signals/batch", body: { _, k in batchCSV(k) },
                                   headers: [.contentType: "text/csv"]),
        "getSignalResponseTimes": .init(method: .get, template: "/v1/signals/response-times?from=2000-01-01&to=2100-01-01", body: nil),
        "listSignalTransitions": .init(method: .get, template: "/v1/signals/{signal}/transitions", body: nil),
        // Only the inspector may: one call, on version 1.
        "transitionSignal": .init(method: .post, template: "/v1/signals/{signal}/transitions",
                                  body: { _, _ in APIFixtures.json(["to": "triaged", "reason": "Ontvankelijk; naar onderzoek."]) },
                                  headers: [.ifMatch: "\"1\""]),
        "listSignalForwards": .init(method: .get, template: "/v1/signals/{signal}/forwards", body: nil),
        "forwardSignal": .init(method: .post, template: "/v1/signals/{signal}/forwards") { _, _ in
            APIFixtures.json(["to": "qualityMarkBody", "reason": "Doorgezet naar Blik op Werk."])
        },
        "listSignalCandidates": .init(method: .get, template: "/v1/signals/{signal}/candidates", body: nil),
        "linkSignalSchool": .init(method: .put, template: "/v1/signals/{signal}/school") { s, _ in
            APIFixtures.json(["schoolId": s.school.text, "reason": "KvK-nummer komt overeen."])
        },
        "rejectSignalCandidate": .init(method: .post, template: "/v1/signals/{signal}/rejected-candidates") { s, _ in
            APIFixtures.json(["schoolId": s.school.text, "reason": "Andere vestiging bedoeld."])
        },
        "relateSignal": .init(method: .post, template: "/v1/signals/{signal}/relations") { s, _ in
            APIFixtures.json(["relatedSignalId": s.otherSignal.text, "kind": "duplicate", "reason": "Zelfde melding, tweemaal ingevoerd."])
        },
        "getSchoolOverview": .init(method: .get, template: "/v1/schools/{school}/overview", body: nil),
        "getSchoolSignalAggregate": .init(method: .get, template: "/v1/schools/{school}/signal-aggregate", body: nil),
        "getMunicipalityOverview": .init(method: .get, template: "/v1/overview?municipality=GM0363", body: nil),
        "getRiskModel": .init(method: .get, template: "/v1/risk-model", body: nil),
        "createProcurementCheck": .init(method: .post, template: "/v1/procurement-checks") { s, _ in
            APIFixtures.json(["schoolId": s.school.text, "contractFrom": APIFixtures.today.description, "route": "b1Route"])
        },
        "getProcurementCheck": .init(method: .get, template: "/v1/procurement-checks/{check}", body: nil),
        // Only the buyer may, once per check: a decision that follows the verdict needs no reason.
        "recordProcurementDecision": .init(method: .post, template: "/v1/procurement-checks/{check}/decision") { _, _ in
            APIFixtures.json(["decision": "deferred"])
        },
        "recordReply": .init(method: .post, template: "/v1/replies") { s, _ in
            APIFixtures.json(["subjectKind": "signal", "subjectId": s.signal.text, "reply": "Wij betwisten dit; de lessen zijn gegeven.",
                              "receivedOn": APIFixtures.today.description])
        },
        "getRiskRanking": .init(method: .get, template: "/v1/reports/risk-ranking?top=5", body: nil),
        "getSignalStatistics": .init(method: .get, template: "/v1/reports/signal-statistics?from=2000-01-01&to=2100-01-01", body: nil),
        "getSupervisionCoverage": .init(method: .get, template: "/v1/reports/supervision-coverage", body: nil),
        "listQualityMarkChanges": .init(method: .get, template: "/v1/reports/quality-mark-changes?from=2000-01-01&to=2100-01-01", body: nil),
        "listAuditEntries": .init(method: .get, template: "/v1/audit?subject=signal:{signal}", body: nil),
        "getLatestAuditCheckpoint": .init(method: .get, template: "/v1/audit/checkpoints/latest", body: nil),
        "createSubscription": .init(method: .post, template: "/v1/subscriptions") { _, k in subscriptionBody(k) },
        "listSubscriptions": .init(method: .get, template: "/v1/subscriptions", body: nil),
        // Each role deletes the subscription it made: another organisation's is not found.
        "deleteSubscription": .init(method: .delete, template: "/v1/subscriptions/{subscription}", body: nil),
        "listSubscriptionDeliveries": .init(method: .get, template: "/v1/subscriptions/{subscription}/deliveries", body: nil),
        // No body is needed; the test client sends an empty JSON object so the request says what it carries.
        "retrySubscriptionDelivery": .init(method: .post, template: "/v1/subscriptions/{subscription}/deliveries/{delivery}/retry") { _, _ in "{}" },
    ]
}
