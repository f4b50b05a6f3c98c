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
