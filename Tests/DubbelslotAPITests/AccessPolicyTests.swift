import Crypto
import DubbelslotAPI
import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

extension APITests {
    /// Authentication, and the permission table enforced over HTTP for every operation and role.
    @Suite struct AccessPolicyTests {
        @Test func missingOrBadTokensAreUnauthenticated() async throws {
            try await withAPI { api in
                let attempts: [(String, HTTPFields)] = [
                    ("no header", [:]),
                    ("garbage bearer", [.authorization: "Bearer nonsense"]),
                    ("unknown secret", [.authorization: "Bearer dbs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]),
                    ("empty bearer", [.authorization: "Bearer "]),
                    ("other scheme", [.authorization: "Basic \(api.token(.admin))"]),
                    ("bare token", [.authorization: api.token(.admin)]),
                ]
                for (name, headers) in attempts {
                    let reply = try await api.send(.get, "/v1/schools", token: nil, headers: headers)
                    let problem = try expectProblem(reply, 401, "unauthenticated")
                    #expect(reply.headers[.wwwAuthenticate] == #"Bearer realm="dubbelslot""#, "\(name)")
                    #expect(!(problem.detail ?? "").contains("dbs_"), "\(name): the token is echoed back")
                }
                // A 401 writes nothing.
                let before = try await api.writableCounts()
                try expectProblem(try await api.post("/v1/schools", as: nil, json: APIFixtures.json(APIFixtures.newSchoolBody(950))),
                                  401, "unauthenticated")
                #expect(try await api.writableCounts() == before)
            }
        }

        @Test func aRevokedTokenIsRefusedOnItsNextRequest() async throws {
            try await withAPI { api in
                let (info, secret) = try await api.store.tokens.create(role: .analyst, municipality: nil, label: "to be revoked",
                                                                       actor: APIFixtures.actor)
                #expect(try await api.send(.get, "/v1/schools", token: secret).status == .ok)
                #expect(try await api.store.tokens.revoke(info.id, actor: APIFixtures.actor))
                try expectProblem(try await api.send(.get, "/v1/schools", token: secret), 401, "unauthenticated")
                // Other tokens keep working.
                #expect(try await api.get("/v1/schools", as: .analyst).status == .ok)
            }
        }

        @Test func aDisabledOrganisationsTokenIsRefusedOnItsNextRequest() async throws {
            try await withAPI { api in
                let (_, secret) = try await api.store.tokens.create(role: .buyer, municipality: MunicipalityCode("GM0599")!, organisation: nil,
                                                                    label: "Rotterdam inkoop", expiresAt: Date().addingTimeInterval(3600),
                                                                    actor: APIFixtures.actor)
                #expect(try await api.send(.get, "/v1/schools", token: secret).status == .ok)
                #expect(try await api.store.tokens.setOrganisationDisabled("GM0599", disabled: true, actor: APIFixtures.actor))
                try expectProblem(try await api.send(.get, "/v1/schools", token: secret), 401, "unauthenticated")
                #expect(try await api.store.tokens.setOrganisationDisabled("GM0599", disabled: false, actor: APIFixtures.actor))
                #expect(try await api.send(.get, "/v1/schools", token: secret).status == .ok)
            }
        }

        /// Every operation of the policy table, called by every role and without a token.
        @Test(arguments: AccessPolicy.table.keys.sorted())
        func permissionMatrix(_ operationID: String) async throws {
            let request = try #require(OperationRequests.all[operationID], "no request for \(operationID) in OperationRequests")
            let rule = try #require(AccessPolicy.table[operationID])
            try await withAPI { api in
                let subjects = try await OperationRequests.seed(api)
                for (k, role) in ([nil] + Role.allCases.map(Optional.some)).enumerated() {
                    let who = role?.rawValue ?? "no token"
                    let before = try await api.writableCounts()
                    let reply = try await api.send(request.method, request.path(subjects, role: role), token: role.map(api.token),
                                                   body: request.body?(subjects, k), headers: request.headers)
                    let allowed = rule == .everyone || (role.map { AccessPolicy.allows($0, operationID) } ?? false)
                    if allowed {
                        #expect((200..<300).contains(reply.status.code), "\(operationID) as \(who): \(reply.status.code) \(reply.text)")
                    } else if role == nil {
                        // `try?`: a wrong answer is recorded as an issue; the other roles are still tried.
                        _ = try? expectProblem(reply, 401, "unauthenticated")
                        #expect(try await api.writableCounts() == before, "\(operationID) without a token wrote rows")
                    } else {
                        _ = try? expectProblem(reply, 403, "forbidden")
                        #expect(try await api.writableCounts() == before, "\(operationID) as \(who) wrote rows")
                    }
                }
            }
        }

        /// The scope half of the matrix (docs/decisions/0011-one-access-policy-and-signal-visibility.md): for every
        /// operation and every role whose grant is narrower than `.all`, records of a municipality outside the scope
        /// never appear, in rows or in counts, and cannot be reached by id. Derived from the policy table, so a new
        /// scoped operation is covered as soon as it has a grant and a request.
        ///
        /// Amsterdam (the tokens' municipality) and Amstelveen share the labour-market region Groot
        /// Amsterdam (AM18); Rotterdam is in Rijnmond (AM22). Each of the three reported the same school.
        @Test(arguments: AccessPolicy.table.keys.sorted())
        func scopeMatrix(_ operationID: String) async throws {
            guard case .grants(let grants)? = AccessPolicy.table[operationID] else { return }
            let narrowed = grants.filter { $0.value != .all }
            guard !narrowed.isEmpty else { return }
            let request = try #require(OperationRequests.all[operationID])
            try await withAPI { api in
                _ = try await api.store.municipalities.upsert([
                    Municipality(code: APIFixtures.amsterdam.code, name: "Amsterdam", provinceCode: ProvinceCode("PV27")!,
                                 provinceName: "Noord-Holland", labourMarketRegion: "AM18"),
                    Municipality(code: APIFixtures.amstelveen.code, name: "Amstelveen", provinceCode: ProvinceCode("PV27")!,
                                 provinceName: "Noord-Holland", labourMarketRegion: "AM18"),
                    Municipality(code: APIFixtures.rotterdam.code, name: "Rotterdam", provinceCode: ProvinceCode("PV28")!,
                                 provinceName: "Zuid-Holland", labourMarketRegion: "AM22"),
                ], actor: APIFixtures.actor)
                let subjects = try await OperationRequests.seed(api)
                let school = try #require(try await api.store.schools.get(subjects.school))
                let region = try await APIFixtures.signal(api.store, from: APIFixtures.amstelveen, about: school,
                                                          summary: "REGIO-MARKER lessen vervielen.")
                let outside = try await APIFixtures.signal(api.store, from: APIFixtures.rotterdam, about: school,
                                                           summary: "BUITEN-MARKER lessen vervielen.")
                let rotterdamBuyer = try await APIFixtures.token(api.store, .buyer, municipality: APIFixtures.rotterdam)
                let outsideCheck = try await OperationRequests.checkID(api, subjects.school, token: rotterdamBuyer)
                // Procurement checks are scoped by the buying municipality; signal operations by the reporting one.
                let isCheck = request.template.contains("procurement-checks")
                for (role, scope) in narrowed.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    let who = "\(operationID) as \(role.rawValue) (\(scope.rawValue))"
                    // Records the scope excludes: Rotterdam always, Amstelveen unless the region is in scope.
                    var hidden = [outside]
                    if scope == .ownMunicipality { hidden.append(region) }
                    let visibleCount = scope == .ownMunicipality ? 2 : 3

                    // Rows and counts of the in-scope form of the request.
                    let reply = try await api.send(request.method, request.path(subjects), token: api.token(role),
                                                   body: request.body?(subjects, 50), headers: request.headers)
                    #expect((200..<300).contains(reply.status.code), "\(who): \(reply.status.code) \(reply.text)")
                    if request.method == .get {
                        let traces = isCheck ? [outsideCheck.text, "GM0599"]
                            : hidden.flatMap { [$0.id.text, $0.reference, $0.summary, $0.municipalityCode.rawValue] }
                        for trace in traces { #expect(!reply.text.contains(trace), "\(who) shows \(trace) of an out-of-scope record") }
                        if let count = OperationRequests.scopedCounts[operationID] {
                            #expect(try count(reply) == visibleCount, "\(who) counts out-of-scope signals: \(reply.text)")
                        }
                        if scope == .ownRegion {
                            #expect(reply.text.contains(APIFixtures.amstelveen.code.rawValue), "\(who) leaves out its own region")
                        }
                    }

                    // The same request aimed at an out-of-scope record: refused, nothing shown, nothing written.
                    guard request.template.contains("{signal}") || request.template.contains("{check}") || request.method != .get else { continue }
                    let outsideSubjects = OperationRequests.Subjects(school: subjects.school, visit: subjects.visit, signal: outside.id,
                                                                     otherSignal: subjects.otherSignal, check: outsideCheck, decision: subjects.decision)
                    let counts = try await api.writableCounts()
                    let aimed = try await api.send(request.method, request.path(outsideSubjects), token: api.token(role),
                                                   body: request.body.map { body in
                                                       body(outsideSubjects, 51).replacingOccurrences(of: "GM0363", with: "GM0599")
                                                   }, headers: request.headers)
                    if request.headers[.contentType] == "text/csv" {
                        // The batch names no municipality: it is always the token's own, so nothing can reach outside.
                        #expect((200..<300).contains(aimed.status.code), "\(who): \(aimed.text)")
                        #expect(!(try await api.store.signals.list(SignalQuery(municipality: APIFixtures.rotterdam.code))
                            .signals.contains { $0.caseReference == "MATRIX-51" }), "\(who) filed a signal for Rotterdam")
                    } else if operationID == "createProcurementCheck" {
                        // A check names no municipality either: it is the token's own.
                        let recordedFor = try aimed.object()["municipalityCode"] as? String
                        #expect(recordedFor == "GM0363", "\(who) recorded a check for another municipality: \(aimed.text)")
                    } else if request.template.contains("{signal}") && request.method == .get {
                        // A signal the caller may not read is not found, as one that does not exist (a 403 would tell it does).
                        _ = try? expectProblem(aimed, 404, "not-found")
                    } else {
                        _ = try? expectProblem(aimed, 403, "forbidden")
                        #expect(try await api.writableCounts() == counts, "\(who) wrote rows outside its scope")
                    }
                    for trace in [outside.summary, outside.reference] { #expect(!aimed.text.contains(trace), "\(who) shows \(trace)") }
                }
            }
        }

        @Test func everyPolicyOperationHasARequest() {
            #expect(Set(OperationRequests.all.keys) == Set(AccessPolicy.table.keys))
        }
    }
}

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
