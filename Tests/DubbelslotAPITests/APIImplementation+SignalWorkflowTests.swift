import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import HTTPTypes
import Testing

extension APITests {
    /// docs/decisions/0008-signal-lifecycle-and-intake.md and docs/decisions/0009-matching-signals-to-schools.md over
    /// HTTP: a signal's lifecycle with ETag / If-Match, idempotent and bulk intake, matching the school, duplicates and
    /// corroboration, response times, and who may see the history. Real router, real PostgreSQL (``withAPI(_:)``).
    @Suite struct APIImplementationSignalWorkflowTests {
        typealias FraudSignal = Components.Schemas.FraudSignal

        static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

        /// The workflow table as the contract (`transitionSignal`) states it; the API must enforce exactly this.
        static let allowed: [String: Set<String>] = [
            "received": ["triaged"],
            "triaged": ["underInvestigation", "unfounded"],
            "underInvestigation": ["substantiated", "unfounded", "inconclusive"],
            "inconclusive": ["underInvestigation"],
            "substantiated": [],
            "unfounded": [],
        ]
        /// How to reach each status from `received` by allowed steps.
        static let pathTo: [String: [String]] = [
            "received": [],
            "triaged": ["triaged"],
            "underInvestigation": ["triaged", "underInvestigation"],
            "substantiated": ["triaged", "underInvestigation", "substantiated"],
            "unfounded": ["triaged", "unfounded"],
            "inconclusive": ["triaged", "underInvestigation", "inconclusive"],
        ]

        // MARK: Helpers

        /// Reports a signal as the Amsterdam signaller (or `token`) and returns it; records an issue unless 201.
        func report(_ api: APIHarness, _ edit: (inout [String: Any]) -> Void = { _ in }, token: String? = nil,
                    sourceLocation: SourceLocation = #_sourceLocation) async throws -> FraudSignal {
            var body = APIFixtures.newSignalBody()
            edit(&body)
            let reply = try await api.send(.post, "/v1/signals", token: token ?? api.token(.signaller), body: APIFixtures.json(body))
            try #require(reply.status == .created, "report: \(reply.status.code) \(reply.text)", sourceLocation: sourceLocation)
            return try reply.json(FraudSignal.self, sourceLocation: sourceLocation)
        }

        /// `POST /v1/signals/{id}/transitions` as the inspector; `ifMatch` is sent as is (`nil`: no header).
        func transition(_ api: APIHarness, _ id: String, to status: String, ifMatch: String?,
                        reason: String = "Beoordeeld door de inspecteur.") async throws -> Reply {
            var headers: HTTPFields = [:]
            if let ifMatch { headers[.ifMatch] = ifMatch }
            return try await api.send(.post, "/v1/signals/\(id)/transitions", token: api.token(.inspector),
                                      body: APIFixtures.json(["to": status, "reason": reason]), headers: headers)
        }

        /// Moves a signal along `steps`, each on the version the previous one returned; returns the last ETag.
        @discardableResult
        func walk(_ api: APIHarness, _ id: String, _ steps: [String], from version: Int = 1,
                  sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
            var etag = "\"\(version)\""
            for step in steps {
                let reply = try await transition(api, id, to: step, ifMatch: etag, reason: "Naar \(step).")
                try #require(reply.status == .ok, "\(step): \(reply.status.code) \(reply.text)", sourceLocation: sourceLocation)
                etag = try #require(reply.headers[.eTag], sourceLocation: sourceLocation)
            }
            return etag
        }

        /// The signal as the inspector reads it, with its ETag.
        func read(_ api: APIHarness, _ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> (FraudSignal, String?) {
            let reply = try await api.get("/v1/signals/\(id)", as: .inspector)
            try #require(reply.status == .ok, "\(reply.text)", sourceLocation: sourceLocation)
            return (try reply.json(FraudSignal.self, sourceLocation: sourceLocation), reply.headers[.eTag])
        }

        /// The transitions of a signal, as the inspector reads them.
        func history(_ api: APIHarness, _ id: String) async throws -> [Components.Schemas.SignalTransition] {
            let reply = try await api.get("/v1/signals/\(id)/transitions", as: .inspector)
            try #require(reply.status == .ok, "\(reply.text)")
            return try reply.json(Components.Schemas.SignalTransitionList.self).items
        }

        /// A problem's `errors` with their CSV lines.
        struct LinedProblem: Decodable {
            struct Item: Decodable, Hashable {
                let field: String
                let rule: String
                let line: Int?
            }
            let errors: [Item]?
        }

        // MARK: 1. Lifecycle

        @Test func aSignalsLifeThroughTheAPI() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 901)
                let signal = try await report(api) { $0["schoolId"] = school.id.text }
                #expect(signal.status == .received)
                #expect(signal.version == 1)

                let (readBack, etag) = try await read(api, signal.id)
                #expect(etag == "\"1\"")
                #expect(readBack.version == 1)

                let triaged = try await transition(api, signal.id, to: "triaged", ifMatch: "\"1\"", reason: "Ontvankelijk, concrete feiten.")
                #expect(triaged.status == .ok, "\(triaged.text)")
                #expect(triaged.headers[.eTag] == "\"2\"")
                let afterTriage = try triaged.json(FraudSignal.self)
                #expect(afterTriage.status == .triaged)
                #expect(afterTriage.version == 2)
                #expect(try await read(api, signal.id).1 == "\"2\"")

                let investigating = try await transition(api, signal.id, to: "underInvestigation", ifMatch: "\"2\"", reason: "Dossiers opgevraagd.")
                #expect(investigating.status == .ok, "\(investigating.text)")
                #expect(investigating.headers[.eTag] == "\"3\"")
                let concluded = try await transition(api, signal.id, to: "substantiated", ifMatch: "\"3\"", reason: "Presentielijsten vervalst.")
                #expect(concluded.status == .ok, "\(concluded.text)")
                #expect(concluded.headers[.eTag] == "\"4\"")
                #expect(try concluded.json(FraudSignal.self).status == .substantiated)

                // The history: four rows, oldest first, each with its reason and actor; nothing overwritten.
                let rows = try await history(api, signal.id)
                try #require(rows.count == 4, "\(rows)")
                #expect(rows.map(\.fromStatus) == [nil, .received, .triaged, .underInvestigation])
                #expect(rows.map(\.toStatus) == [.received, .triaged, .underInvestigation, .substantiated])
                #expect(rows.dropFirst().map(\.note) == ["Ontvankelijk, concrete feiten.", "Dossiers opgevraagd.", "Presentielijsten vervalst."])
                #expect(rows[0].by.hasPrefix("signaller:"), "\(rows[0].by)")
                #expect(rows.dropFirst().allSatisfy { $0.by.hasPrefix("inspector:") }, "\(rows.map(\.by))")
                #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.at <= $1.at })
                #expect(try await api.count("signal_transitions") == 4)
                // The reporting municipality's signaller may read the history too.
                let own = try await api.get("/v1/signals/\(signal.id)/transitions", as: .signaller)
                #expect(try own.json(Components.Schemas.SignalTransitionList.self).items == rows)

                // Forwarding is a mark beside the status: 201, and status and version stay as they are.
                let forwarded = try await api.post("/v1/signals/\(signal.id)/forwards", as: .inspector,
                                                   json: APIFixtures.json(["to": "qualityMarkBody", "reason": "Gemeld aan Blik op Werk."]))
                #expect(forwarded.status == .created, "\(forwarded.text)")
                let forward = try forwarded.json(Components.Schemas.SignalForward.self)
                #expect(forward.signalId == signal.id)
                #expect(forward.to == .qualityMarkBody)
                #expect(forward.note == "Gemeld aan Blik op Werk.")
                #expect(forward.by.hasPrefix("inspector:"))
                let (final, finalTag) = try await read(api, signal.id)
                #expect(final.status == .substantiated)
                #expect(finalTag == "\"4\"")
                #expect(try await history(api, signal.id).count == 4)
                let forwards = try await api.get("/v1/signals/\(signal.id)/forwards", as: .analyst)
                #expect(try forwards.json(Components.Schemas.SignalForwardList.self).items == [forward])
            }
        }

        /// Every (from, to) pair of statuses: the allowed ones give 200, the others 409 naming the current
        /// status and the allowed next ones, and write nothing.
        @Test func everyAllowedAndEveryRefusedTransition() async throws {
            try await withAPI { api in
                let statuses = ["received", "triaged", "underInvestigation", "substantiated", "unfounded", "inconclusive"]
                for from in statuses {
                    for to in statuses {
                        let signal = try await APIFixtures.signal(api.store, about: nil)
                        let path = Self.pathTo[from]!
                        try await walk(api, signal.id.text, path)
                        let version = 1 + path.count
                        let before = try await api.writableCounts()
                        let reply = try await transition(api, signal.id.text, to: to, ifMatch: "\"\(version)\"")
                        if Self.allowed[from]!.contains(to) {
                            #expect(reply.status == .ok, "\(from) → \(to): \(reply.status.code) \(reply.text)")
                            #expect(reply.headers[.eTag] == "\"\(version + 1)\"", "\(from) → \(to)")
                        } else {
                            _ = try? expectProblem(reply, 409, "conflict")
                            let problem = try reply.object()
                            #expect(problem["currentStatus"] as? String == from, "\(from) → \(to): \(reply.text)")
                            #expect(Set(problem["allowedStatuses"] as? [String] ?? ["?"]) == Self.allowed[from]!, "\(from) → \(to): \(reply.text)")
                            #expect(try await api.writableCounts() == before, "\(from) → \(to) wrote rows")
                            #expect(try await read(api, signal.id.text).1 == "\"\(version)\"", "\(from) → \(to) changed the version")
                        }
                    }
                }
            }
        }

        // MARK: 2. Refused transitions

        /// If-Match as RFC 9110 §13.1.1 has it: strong comparison, `*`, and lists of entity tags.
        @Test func ifMatchComparesStronglyAndTakesAnyAndLists() async throws {
            try await withAPI { api in
                let signal = try await report(api)
                try await walk(api, signal.id, ["triaged"])
                let before = try await api.writableCounts()
                // A weak tag never matches, even of the current version; a list without the current version neither.
                try expectProblem(try await transition(api, signal.id, to: "underInvestigation", ifMatch: "W/\"2\""), 412, "precondition-failed")
                try expectProblem(try await transition(api, signal.id, to: "underInvestigation", ifMatch: "\"0\", \"1\""), 412, "precondition-failed")
                #expect(try await api.writableCounts() == before)
                // A list with the current version, then `*` on an existing signal, proceed.
                let listed = try await transition(api, signal.id, to: "underInvestigation", ifMatch: "\"1\", \"2\"")
                #expect(listed.status == .ok, "\(listed.text)")
                #expect(listed.headers[.eTag] == "\"3\"")
                let any = try await transition(api, signal.id, to: "inconclusive", ifMatch: "*")
                #expect(any.status == .ok, "\(any.text)")
                try expectProblem(try await transition(api, UUID().text, to: "triaged", ifMatch: "*"), 404, "not-found")
            }
        }

        @Test func refusedTransitionsWriteNothing() async throws {
            try await withAPI { api in
                let signal = try await report(api)

                // Illegal: received → substantiated.
                var before = try await api.writableCounts()
                let illegal = try await transition(api, signal.id, to: "substantiated", ifMatch: "\"1\"")
                try expectProblem(illegal, 409, "conflict")
                let conflict = try illegal.object()
                #expect(conflict["currentStatus"] as? String == "received")
                #expect(conflict["allowedStatuses"] as? [String] == ["triaged"])
                #expect(try await api.writableCounts() == before)
                #expect(try await read(api, signal.id).0.status == .received)
                #expect(try await read(api, signal.id).1 == "\"1\"")

                // Someone else triages first; a decision on version 1 is then stale.
                try await walk(api, signal.id, ["triaged"])
                before = try await api.writableCounts()
                let stale = try await transition(api, signal.id, to: "underInvestigation", ifMatch: "\"1\"")
                try expectProblem(stale, 412, "precondition-failed")
                let precondition = try stale.object()
                #expect(precondition["currentVersion"] as? Int == 2, "\(stale.text)")
                #expect(precondition["currentStatus"] as? String == "triaged", "\(stale.text)")
                #expect(stale.headers[.eTag] == "\"2\"")
                #expect(try await api.writableCounts() == before)
                #expect(try await read(api, signal.id).0.status == .triaged)
                // An If-Match that can never name a version is stale too, not a 500.
                try expectProblem(try await transition(api, signal.id, to: "underInvestigation", ifMatch: "\"abc\""), 412, "precondition-failed")
                // No If-Match at all.
                try expectProblem(try await transition(api, signal.id, to: "underInvestigation", ifMatch: nil), 428, "precondition-required")
                #expect(try await api.writableCounts() == before)

                // A reason holding a BSN (passes the 11-test) is refused, naming the field.
                let bsn = try await transition(api, signal.id, to: "underInvestigation", ifMatch: "\"2\"",
                                               reason: "Cursist met BSN 111222333 gesproken.")
                let problem = try expectProblem(bsn, 400, "validation", field: "reason")
                #expect(!bsn.text.contains("111222333"), "the BSN is echoed back")
                #expect(problem.status == 400)
                #expect(try await api.writableCounts() == before)
                #expect(try await read(api, signal.id).1 == "\"2\"")

                // A blank reason, an unknown signal.
                try expectProblem(try await transition(api, signal.id, to: "underInvestigation", ifMatch: "\"2\"", reason: "   "),
                                  400, "validation", field: "reason")
                try expectProblem(try await transition(api, UUID().text, to: "triaged", ifMatch: "\"1\""), 404, "not-found")
                try expectProblem(try await transition(api, "not-a-uuid", to: "triaged", ifMatch: "\"1\""), 404, "not-found")
                #expect(try await api.writableCounts() == before)

                // The weak form of the current ETag does not match: If-Match compares strongly (RFC 9110 §13.1.1).
                try expectProblem(try await transition(api, signal.id, to: "underInvestigation", ifMatch: "W/\"2\""), 412, "precondition-failed")
                #expect(try await api.writableCounts() == before)
            }
        }

        // MARK: 3. Concurrency

        /// Two inspectors act on the same version at once: exactly one wins, the other gets 412 with the
        /// current state; the loser's reason is nowhere; never a 500.
        @Test func concurrentTransitionsOnOneVersion() async throws {
            try await withAPI { api in
                let rounds = 20
                for round in 0..<rounds {
                    let signal = try await APIFixtures.signal(api.store, about: nil)
                    let id = signal.id.text
                    let replies = try await withThrowingTaskGroup(of: (String, Reply).self) { group in
                        for who in ["A", "B"] {
                            group.addTask {
                                (who, try await transition(api, id, to: "triaged", ifMatch: "\"1\"", reason: "Beslissing van inspecteur \(who)."))
                            }
                        }
                        var result: [(String, Reply)] = []
                        for try await reply in group { result.append(reply) }
                        return result
                    }
                    let codes = replies.map(\.1.status.code).sorted()
                    #expect(codes == [200, 412], "round \(round): \(replies.map { "\($0.1.status.code) \($0.1.text)" })")
                    guard codes == [200, 412] else { continue }
                    let winner = replies.first { $0.1.status == .ok }!
                    let loser = replies.first { $0.1.status.code == 412 }!
                    #expect(winner.1.headers[.eTag] == "\"2\"")
                    let problem = try loser.1.object()
                    #expect(problem["currentVersion"] as? Int == 2, "round \(round): \(loser.1.text)")
                    #expect(problem["currentStatus"] as? String == "triaged")
                    #expect(loser.1.headers[.eTag] == "\"2\"")
                    // Exactly one transition added, and it is the winner's.
                    let rows = try await history(api, id)
                    #expect(rows.map(\.toStatus) == [.received, .triaged], "round \(round)")
                    #expect(rows.last?.note == "Beslissing van inspecteur \(winner.0).", "round \(round)")
                    #expect(try await read(api, id).1 == "\"2\"")
                }
                #expect(try await api.count("signal_transitions") == 2 * rounds)
            }
        }

        // MARK: 4. Idempotent intake

        @Test func idempotentIntake() async throws {
            try await withAPI { api in
                let body = APIFixtures.json(APIFixtures.newSignalBody())
                let key: HTTPFields = [Self.idempotencyKey: "5b2d7a0e-8c41-4f0e-9a57-2f4d8c1b6e90"]
                let first = try await api.send(.post, "/v1/signals", token: api.token(.signaller), body: body, headers: key)
                let retry = try await api.send(.post, "/v1/signals", token: api.token(.signaller), body: body, headers: key)
                #expect(first.status == .created, "\(first.text)")
                #expect(retry.status == .created, "\(retry.text)")
                let a = try first.json(FraudSignal.self), b = try retry.json(FraudSignal.self)
                #expect(a.id == b.id)
                #expect(a.reference == b.reference)
                #expect(try await api.count("fraud_signals") == 1)
                #expect(try await api.count("signal_transitions") == 1)

                // The same body with its keys in another order and other whitespace is the same request.
                var object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
                let reordered = "{ " + object.keys.sorted(by: >).map { k in
                    "\"\(k)\" : " + String(decoding: try! JSONSerialization.data(withJSONObject: object[k]!, options: [.fragmentsAllowed]), as: UTF8.self)
                }.joined(separator: ",\n ") + " }"
                let again = try await api.send(.post, "/v1/signals", token: api.token(.signaller), body: reordered, headers: key)
                #expect(again.status == .created, "\(again.text)")
                #expect(try again.json(FraudSignal.self).id == a.id)
                #expect(try await api.count("fraud_signals") == 1)

                // The same key with another body: 422, nothing written.
                var changed = APIFixtures.newSignalBody()
                changed["summary"] = "Andere feiten: lessen vielen uit."
                let before = try await api.writableCounts()
                let reused = try await api.send(.post, "/v1/signals", token: api.token(.signaller), body: APIFixtures.json(changed), headers: key)
                try expectProblem(reused, 422, "idempotency-key-reused", field: "Idempotency-Key")
                #expect(try await api.writableCounts() == before)

                // Another key, or none: a new signal.
                let other = try await api.send(.post, "/v1/signals", token: api.token(.signaller), body: body,
                                               headers: [Self.idempotencyKey: "another-key-1"])
                #expect(other.status == .created)
                #expect(try other.json(FraudSignal.self).id != a.id)
                #expect(try await api.count("fraud_signals") == 2)

                // A case reference the municipality reported before: 409 naming it (no Idempotency-Key: not a retry).
                let numbered = APIFixtures.json(APIFixtures.newSignalBody().merging(["caseReference": "ZAAK-2026-077"]) { $1 })
                #expect(try await api.post("/v1/signals", as: .signaller, json: numbered).status == .created)
                let counted = try await api.writableCounts()
                try expectProblem(try await api.post("/v1/signals", as: .signaller, json: numbered), 409, "conflict", field: "caseReference")
                #expect(try await api.writableCounts() == counted)
                #expect(try await api.count("fraud_signals") == 3)

                // The longest key the contract allows works; a longer one is refused naming the header.
                let longest = try await api.send(.post, "/v1/signals", token: api.token(.signaller), body: body,
                                                 headers: [Self.idempotencyKey: String(repeating: "k", count: 200)])
                #expect(longest.status == .created, "\(longest.text)")
                try expectProblem(try await api.send(.post, "/v1/signals", token: api.token(.signaller), body: body,
                                                     headers: [Self.idempotencyKey: String(repeating: "k", count: 201)]),
                                  400, "validation", field: "Idempotency-Key")
                #expect(try await api.count("fraud_signals") == 4)

                // A key with a space is refused, naming the header.
                try expectProblem(try await api.send(.post, "/v1/signals", token: api.token(.signaller), body: body,
                                                     headers: [Self.idempotencyKey: "with space"]),
                                  400, "validation", field: "Idempotency-Key")
                #expect(try await api.count("fraud_signals") == 4)
            }
        }

        @Test func concurrentIdenticalRequestsMakeOneSignal() async throws {
            try await withAPI { api in
                let body = APIFixtures.json(APIFixtures.newSignalBody())
                let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                    for _ in 0..<10 {
                        group.addTask {
                            try await api.send(.post, "/v1/signals", token: api.token(.signaller), body: body,
                                               headers: [Self.idempotencyKey: "concurrent-retry-7"])
                        }
                    }
                    var result: [Reply] = []
                    for try await reply in group { result.append(reply) }
                    return result
                }
                #expect(replies.allSatisfy { $0.status == .created }, "\(replies.map { "\($0.status.code) \($0.text)" })")
                let ids = Set(try replies.filter { $0.status == .created }.map { try $0.json(FraudSignal.self).id })
                #expect(ids.count == 1, "\(ids)")
                #expect(try await api.count("fraud_signals") == 1)
                #expect(try await api.count("signal_transitions") == 1)
                #expect(try await api.count("idempotency_keys") == 1)
            }
        }

        // MARK: 5. Matching

        @Test func matchingTheSchool() async throws {
            try await withAPI { api in
                let hooft = try await APIFixtures.school(api.store, 1, name: "Taalschool 't Hooft B.V.")
                let ijssel = try await APIFixtures.school(api.store, 2, name: "IJsselschool")
                let cafe = try await APIFixtures.school(api.store, 3, name: "Café Taal")
                func unmatched(_ name: String) async throws -> FraudSignal {
                    let signal = try await report(api) {
                        $0["reportedSchoolName"] = name
                        $0.removeValue(forKey: "reportedKvkNumber")
                    }
                    #expect(signal.schoolId == nil, "\(name) was linked at intake")
                    return signal
                }
                func candidates(_ signal: FraudSignal) async throws -> [Components.Schemas.MatchCandidate] {
                    let reply = try await api.get("/v1/signals/\(signal.id)/candidates", as: .inspector)
                    try #require(reply.status == .ok, "\(reply.text)")
                    return try reply.json(Components.Schemas.MatchCandidateList.self).items
                }

                let cases: [(String, School)] = [("taalschool t hooft bv", hooft), ("\u{0132}sselschool", ijssel), ("Cafe Taal", cafe)]
                var signals: [FraudSignal] = []
                for (name, school) in cases {
                    let signal = try await unmatched(name)
                    signals.append(signal)
                    let found = try await candidates(signal)
                    #expect(found.first?.school.id == school.id.text, "\(name): \(found.map { ($0.school.name, $0.score) })")
                    #expect(found.first?.features.contains("name") == true, "\(name): \(found.first?.features ?? [])")
                    #expect(found.first.map { $0.score > 0 && $0.score <= 1 } == true)
                    #expect(zip(found, found.dropFirst()).allSatisfy { $0.score >= $1.score }, "\(name): not best first")
                }
                let arabic = try await unmatched("مدرسة اللغة الهولندية")
                #expect(try await candidates(arabic).isEmpty)

                // "Not this school" is remembered: never proposed again for that signal (still for others).
                let before = try await api.writableCounts()
                let rejected = try await api.post("/v1/signals/\(signals[0].id)/rejected-candidates", as: .inspector,
                                                  json: APIFixtures.json(["schoolId": hooft.id.text, "reason": "Andere school bedoeld."]))
                #expect(rejected.status == .noContent, "\(rejected.text)")
                #expect(try await api.count("signal_match_rejections") == before["signal_match_rejections"]! + 1)
                #expect(try await candidates(signals[0]).allSatisfy { $0.school.id != hooft.id.text })
                let again = try await unmatched("Taalschool 't Hooft")
                #expect(try await candidates(again).first?.school.id == hooft.id.text)

                // Linking: the answer names the school; its version moved on.
                let linked = try await api.send(.put, "/v1/signals/\(signals[2].id)/school", token: api.token(.inspector),
                                                body: APIFixtures.json(["schoolId": cafe.id.text, "reason": "Naam en plaats komen overeen."]))
                #expect(linked.status == .ok, "\(linked.text)")
                let signal = try linked.json(FraudSignal.self)
                #expect(signal.schoolId == cafe.id.text)
                #expect(signal.version == 2)
                #expect(try await read(api, signals[2].id).0.schoolId == cafe.id.text)
                #expect(try await read(api, signals[2].id).1 == "\"2\"")
                #expect(try await api.count("signal_school_links") == 1)

                // An unknown school: 422 naming schoolId, nothing written.
                let counts = try await api.writableCounts()
                let unknown = try await api.send(.put, "/v1/signals/\(signals[1].id)/school", token: api.token(.inspector),
                                                 body: APIFixtures.json(["schoolId": UUID().text, "reason": "Verkeerd id."]))
                try expectProblem(unknown, 422, "unknown-reference", field: "schoolId")
                #expect(try await api.writableCounts() == counts)
                #expect(try await read(api, signals[1].id).0.schoolId == nil)
            }
        }

        // MARK: 6. Duplicates and corroboration

        @Test func duplicatesAndCorroboration() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 901)
                let rotterdam = try await APIFixtures.token(api.store, .signaller, municipality: APIFixtures.rotterdam)
                let original = try await report(api) { $0["schoolId"] = school.id.text }
                try await walk(api, original.id, ["triaged", "underInvestigation", "substantiated"])
                let repeated = try await report(api) { $0["schoolId"] = school.id.text }
                func relate(_ id: String, to other: String, _ kind: String) async throws -> Reply {
                    try await api.post("/v1/signals/\(id)/relations", as: .inspector,
                                       json: APIFixtures.json(["relatedSignalId": other, "kind": kind, "reason": "Zelfde feiten."]))
                }

                // A duplicate of a substantiated signal: 201, the original stays substantiated at its version.
                let duplicate = try await relate(repeated.id, to: original.id, "duplicate")
                #expect(duplicate.status == .created, "\(duplicate.text)")
                let relation = try duplicate.json(Components.Schemas.SignalRelation.self)
                #expect(relation.kind == .duplicate)
                #expect(relation.signalId == repeated.id)
                #expect(relation.relatedSignalId == original.id)
                let (originalNow, originalTag) = try await read(api, original.id)
                #expect(originalNow.status == .substantiated)
                #expect(originalTag == "\"4\"")
                #expect(try await read(api, repeated.id).0.duplicateOf == original.id)

                // Another municipality's report of the same school and category corroborates.
                let independent = try await report(api, {
                    $0["schoolId"] = school.id.text
                    $0["municipalityCode"] = "GM0599"
                    $0["reportedPlace"] = "Rotterdam"
                }, token: rotterdam)
                let corroborating = try await relate(independent.id, to: original.id, "corroborating")
                #expect(corroborating.status == .created, "\(corroborating.text)")
                #expect(try corroborating.json(Components.Schemas.SignalRelation.self).kind == .corroborating)

                // The overview counts it: one corroboration of both signals (the duplicate is no evidence).
                let overviewReply = try await api.get("/v1/schools/\(school.id.text)/overview", as: .analyst)
                #expect(overviewReply.status == .ok, "\(overviewReply.text)")
                let overview = try overviewReply.json(Components.Schemas.DoubleLockOverview.self)
                let corroborations = overview.oversight.contributions.filter { $0.kind == .corroboration }
                #expect(corroborations.count == 1, "\(overview.oversight.contributions)")
                #expect(Set(corroborations.first?.evidenceIds ?? []) == [original.id, independent.id])
                #expect(corroborations.first?.points == 6)
                let signalEvidence = overview.oversight.contributions.filter { $0.kind == .signal }.flatMap(\.evidenceIds)
                #expect(!signalEvidence.contains(repeated.id), "a duplicate counts as evidence of its own")

                // Refused relations: 409 conflict, nothing written.
                let sameTown = try await report(api) { $0["schoolId"] = school.id.text }
                let before = try await api.writableCounts()
                try expectProblem(try await relate(sameTown.id, to: original.id, "corroborating"), 409, "conflict")
                try expectProblem(try await relate(independent.id, to: sameTown.id, "duplicate"), 409, "conflict")
                try expectProblem(try await relate(sameTown.id, to: repeated.id, "duplicate"), 409, "conflict")
                try expectProblem(try await relate(sameTown.id, to: sameTown.id, "duplicate"), 400, "validation", field: "relatedSignalId")
                try expectProblem(try await relate(sameTown.id, to: UUID().text, "duplicate"), 404, "not-found")
                #expect(try await api.writableCounts() == before)
                #expect(try await read(api, sameTown.id).1 == "\"1\"")
                // Linking the same pair twice is refused, not a 500.
                try expectProblem(try await relate(original.id, to: independent.id, "corroborating"), 409, "conflict", field: "relatedSignalId")
                #expect(try await api.writableCounts() == before)
            }
        }

        // MARK: 7. Bulk intake

        static let header = "caseReference,reportedSchoolName,reportedKvkNumber,reportedVestigingsnummer,reportedPlace,category,severity,observedFrom,observedUntil,summary,source"

        func csv(_ rows: [String]) -> String { ([Self.header] + rows).joined(separator: "\n") + "\n" }

        func batch(_ api: APIHarness, _ text: String, token: String? = nil, contentType: String = "text/csv") async throws -> Reply {
            try await api.send(.post, "/v1/signals/batch", token: token ?? api.token(.signaller), body: text,
                               headers: [.contentType: contentType])
        }

        @Test func bulkIntake() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 7)
                let from = APIFixtures.today.adding(days: -60), until = APIFixtures.today.adding(days: -30)
                let good = csv([
                    "ZAAK-2026-001,Taalschool Voorbeeld 7 B.V.,00050007,,Amsterdam,kickbacks,medium,\(from),\(until),Cursisten kregen geld om te tekenen.,learnerComplaint",
                    "ZAAK-2026-002,\"Taalschool de Brug, Oost\",,,Amsterdam,lessonsNotGiven,high,\(from),,Lessen vonden niet plaats.,staffReport",
                    "ZAAK-2026-003,Taalhuis West,,,,examFraud,low,\(from),\(until),Examens vooraf ingevuld.,ownCaseWork",
                ])
                let first = try await batch(api, good)
                #expect(first.status == .ok, "\(first.text)")
                let result = try first.json(Components.Schemas.SignalBatchResult.self)
                #expect(result.created == 3)
                #expect(result.unchanged == 0)
                #expect(result.items.map(\.line) == [2, 3, 4])
                #expect(result.items.allSatisfy { $0.created })
                #expect(result.items.map(\.signal.caseReference) == ["ZAAK-2026-001", "ZAAK-2026-002", "ZAAK-2026-003"])
                #expect(result.items.allSatisfy { $0.signal.municipalityCode == "GM0363" && $0.signal.status == .received })
                #expect(result.items[1].signal.reportedSchoolName == "Taalschool de Brug, Oost")
                #expect(result.items[0].signal.schoolId == school.id.text, "the KvK number names one school")
                #expect(try await api.count("fraud_signals") == 3)
                #expect(try await api.count("signal_transitions") == 3)

                // The same file again: nothing new, the same signals back.
                let before = try await api.writableCounts()
                let again = try await batch(api, good)
                #expect(again.status == .ok, "\(again.text)")
                let second = try again.json(Components.Schemas.SignalBatchResult.self)
                #expect(second.created == 0)
                #expect(second.unchanged == 3)
                #expect(second.items.map(\.signal.id) == result.items.map(\.signal.id))
                #expect(second.items.allSatisfy { !$0.created })
                #expect(try await api.writableCounts() == before)

                // One bad row (line 3): 400 naming the line, nothing written, not even the good rows.
                let oneBad = csv([
                    "ZAAK-2026-101,Taalschool Een,,,,kickbacks,medium,\(from),,Geld voor handtekeningen.,learnerComplaint",
                    "ZAAK-2026-102,Taalschool Twee,,,,bribery,medium,\(from),,Geld voor handtekeningen.,learnerComplaint",
                    "ZAAK-2026-103,Taalschool Drie,,,,kickbacks,medium,\(from),,Geld voor handtekeningen.,learnerComplaint",
                ])
                let refused = try await batch(api, oneBad)
                try expectProblem(refused, 400, "validation", field: "category")
                let lined = try refused.json(LinedProblem.self)
                #expect(lined.errors?.map(\.line) == [3], "\(refused.text)")
                #expect(try await api.writableCounts() == before)

                // Every bad row is reported.
                let twoBad = csv([
                    "ZAAK-2026-201,Taalschool Een,,,,kickbacks,medium,\(from),,Geld voor handtekeningen.,learnerComplaint",
                    "ZAAK-2026-202,Taalschool Twee,,,,bribery,medium,\(from),,Geld voor handtekeningen.,learnerComplaint",
                    "ZAAK-2026-203,Taalschool Drie,,,,kickbacks,medium,2026-13-01,,Geld voor handtekeningen.,learnerComplaint",
                    "ZAAK-2026-204,Taalschool Vier,,,,kickbacks,medium,\(from),,Cursist BSN 111222333 betaald.,learnerComplaint",
                ])
                let all = try await batch(api, twoBad)
                try expectProblem(all, 400, "validation")
                let errors = Set((try all.json(LinedProblem.self).errors ?? []).map { "\($0.line ?? 0):\($0.field)" })
                #expect(errors == ["3:category", "4:observedFrom", "5:summary"], "\(all.text)")
                #expect(!all.text.contains("111222333"))
                #expect(try await api.writableCounts() == before)

                // Semicolon-separated (Excel's Dutch default): 400, nothing written.
                let semicolons = good.replacingOccurrences(of: ",", with: ";")
                try expectProblem(try await batch(api, semicolons), 400, "validation", field: "file")
                #expect(try await api.writableCounts() == before)

                // JSON is not a batch.
                let json = try await batch(api, "{}", contentType: "application/json")
                let unsupported = try expectProblem(json, 415, "unsupported-media-type")
                #expect(unsupported.detail?.contains("text/csv") == true, "\(json.text)")
                #expect(try await api.writableCounts() == before)
            }
        }

        // MARK: 8. Response times

        static func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

        /// Records a signal received at `received` and triaged at `triaged` (if given), through the store.
        func recordHistory(_ api: APIHarness, from municipality: Municipality, received: String, triaged: String?) async throws {
            let signal = try await api.store.signals.record(
                NewSignal(municipalityCode: municipality.code, reportedSchoolName: "Taalschool Historie", category: .lessonsNotGiven,
                          severity: .medium, observedFrom: LocalDate(iso8601: "2024-06-01")!, summary: "Lessen vielen uit.",
                          source: .learnerComplaint, receivedAt: Self.instant(received)),
                actor: APIFixtures.actor)
            if let triaged {
                _ = try await api.store.signals.transition(signal.id, to: .triaged, expectedVersion: 1, note: "Ontvankelijk.",
                                                           actor: APIFixtures.actor, at: Self.instant(triaged))
            }
        }

        @Test func responseTimes() async throws {
            try await withAPI { api in
                // Amsterdam: three reported today over HTTP, untouched.
                var reported: [FraudSignal] = []
                for _ in 0..<3 { reported.append(try await report(api)) }
                // Rotterdam, by hand: Tue 4 March 2025 → Tue 11 March: 5 working days, 168 hours;
                // Fri 18 April 2025 → Tue 22 April: Easter Monday (21 April) is a holiday, so 1 working day, 96 hours.
                try await recordHistory(api, from: APIFixtures.rotterdam, received: "2025-03-04T09:00:00Z", triaged: "2025-03-11T09:00:00Z")
                try await recordHistory(api, from: APIFixtures.rotterdam, received: "2025-04-18T09:00:00Z", triaged: "2025-04-22T09:00:00Z")
                // Utrecht: received in March 2025 and never triaged: past both norms.
                try await recordHistory(api, from: APIFixtures.utrecht, received: "2025-03-04T09:00:00Z", triaged: nil)
                // Before the window: not counted.
                try await recordHistory(api, from: APIFixtures.rotterdam, received: "2024-12-30T09:00:00Z", triaged: nil)

                let to = APIFixtures.today.adding(days: 1)
                let reply = try await api.get("/v1/signals/response-times?from=2025-01-01&to=\(to)&groupBy=municipality", as: .analyst)
                #expect(reply.status == .ok, "\(reply.text)")
                let report = try reply.json(Components.Schemas.ResponseTimeReport.self)
                #expect(report.groupBy == .municipality)
                #expect(report.from == "2025-01-01")
                #expect(report.to == to.description)
                #expect(report.triageNormWorkingDays == 10)
                #expect(report.conclusionNormWorkingDays == 65)
                let groups = Dictionary(uniqueKeysWithValues: report.groups.map { ($0.key, $0) })
                #expect(report.groups.map(\.key) == ["GM0344", "GM0363", "GM0599"])
                #expect(groups["GM0363"]?.received == 3)
                #expect(groups["GM0363"]?.receivedToTriaged.count == 0)
                #expect(groups["GM0363"]?.openPastTriageNorm == 0)
                #expect(groups["GM0363"]?.openPastConclusionNorm == 0)

                let rotterdam = try #require(groups["GM0599"])
                #expect(rotterdam.received == 2)
                #expect(rotterdam.receivedToTriaged.count == 2)
                #expect(rotterdam.receivedToTriaged.medianWorkingDays == 1)
                #expect(rotterdam.receivedToTriaged.p90WorkingDays == 5)
                #expect(rotterdam.receivedToTriaged.medianHours == 96)
                #expect(rotterdam.receivedToTriaged.p90Hours == 168)
                #expect(rotterdam.triagedToConcluded.count == 0)
                #expect(rotterdam.receivedToConcluded.count == 0)
                #expect(rotterdam.openPastTriageNorm == 0)
                #expect(rotterdam.openPastConclusionNorm == 2)

                let utrecht = try #require(groups["GM0344"])
                #expect(utrecht.received == 1)
                #expect(utrecht.openPastTriageNorm == 1)
                #expect(utrecht.openPastConclusionNorm == 1)

                // A duplicate is left out: its handling is the original's.
                let duplicate = try await api.post("/v1/signals/\(reported[1].id)/relations", as: .inspector,
                                                   json: APIFixtures.json(["relatedSignalId": reported[0].id, "kind": "duplicate",
                                                                           "reason": "Twee keer ingevoerd."]))
                #expect(duplicate.status == .created, "\(duplicate.text)")
                let after = try await api.get("/v1/signals/response-times?from=2025-01-01&to=\(to)", as: .inspector)
                let amsterdam = try after.json(Components.Schemas.ResponseTimeReport.self).groups.first { $0.key == "GM0363" }
                #expect(amsterdam?.received == 2)

                // By category and by region (the fixtures' municipalities have no labour-market region: the province).
                let byCategory = try await api.get("/v1/signals/response-times?from=2025-01-01&to=\(to)&groupBy=category", as: .analyst)
                let categories = try byCategory.json(Components.Schemas.ResponseTimeReport.self).groups
                #expect(Dictionary(uniqueKeysWithValues: categories.map { ($0.key, $0.received) }) == ["kickbacks": 2, "lessonsNotGiven": 3])
                let byRegion = try await api.get("/v1/signals/response-times?from=2025-01-01&to=\(to)&groupBy=region", as: .analyst)
                let regions = try byRegion.json(Components.Schemas.ResponseTimeReport.self).groups
                #expect(Dictionary(uniqueKeysWithValues: regions.map { ($0.key, $0.received) }) == ["PV26": 1, "PV27": 2, "PV28": 2])

                // Bad requests and roles.
                try expectProblem(try await api.get("/v1/signals/response-times?from=2025-01-01&to=2026-01-01&groupBy=school", as: .analyst),
                                  400, "validation", field: "groupBy")
                try expectProblem(try await api.get("/v1/signals/response-times?from=2026-01-01&to=2025-01-01", as: .analyst),
                                  400, "validation", field: "to")
                try expectProblem(try await api.get("/v1/signals/response-times?from=2026-01-01&to=2026-01-01", as: .analyst),
                                  400, "validation", field: "to")
                try expectProblem(try await api.get("/v1/signals/response-times?from=1-1-2025&to=2026-01-01", as: .analyst),
                                  400, "validation", field: "from")
                // Without `from` (while `to` is given) the generated decoder fails before the handler and
                // the problem cannot name the parameter (OpenAPIProblemMiddleware sees an anonymous DecodingError): 400 all the same.
                try expectProblem(try await api.get("/v1/signals/response-times?to=2026-01-01", as: .analyst), 400, "validation")
                try expectProblem(try await api.get("/v1/signals/response-times", as: .analyst), 400, "validation", field: "from")
                try expectProblem(try await api.get("/v1/signals/response-times?from=2025-01-01&to=2026-01-01", as: .buyer), 403, "forbidden")
                // A signaller sees its own labour-market region; Amsterdam's is not known here, so only Amsterdam.
                let own = try await api.get("/v1/signals/response-times?from=2025-01-01&to=2026-01-01", as: .signaller)
                #expect(own.status == .ok)
                let keys = (try own.object()["groups"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
                #expect(keys.allSatisfy { $0 == "GM0363" }, "\(keys)")
            }
        }

        // MARK: 9. Scope

        @Test func aSignallerReadsOnlyItsOwnMunicipalitysHistory() async throws {
            try await withAPI { api in
                let rotterdamToken = try await APIFixtures.token(api.store, .signaller, municipality: APIFixtures.rotterdam)
                let signal = try await APIFixtures.signal(api.store, from: APIFixtures.rotterdam, about: nil)
                let forwarded = try await api.post("/v1/signals/\(signal.id.text)/forwards", as: .inspector,
                                                   json: APIFixtures.json(["to": "inspectorate", "reason": "Aan de inspectie."]))
                #expect(forwarded.status == .created, "\(forwarded.text)")
                for list in ["transitions", "forwards"] {
                    let path = "/v1/signals/\(signal.id.text)/\(list)"
                    // Amsterdam's signaller: 404 as for an id that does not exist, and the body does not leak the history.
                    let refused = try await api.get(path, as: .signaller)
                    try expectProblem(refused, 404, "not-found")
                    #expect(!refused.text.contains("Aan de inspectie"))
                    // Rotterdam's own signaller, the inspector and the analyst may.
                    let own = try await api.send(.get, path, token: rotterdamToken)
                    #expect(own.status == .ok, "\(list): \(own.text)")
                    #expect(try await api.get(path, as: .analyst).status == .ok)
                    // A buyer never.
                    try expectProblem(try await api.get(path, as: .buyer), 403, "forbidden")
                    // Unknown or malformed ids: 404.
                    try expectProblem(try await api.get("/v1/signals/\(UUID().text)/\(list)", as: .inspector), 404, "not-found")
                    try expectProblem(try await api.get("/v1/signals/nonsense/\(list)", as: .inspector), 404, "not-found")
                }
                let transitions = try await api.send(.get, "/v1/signals/\(signal.id.text)/transitions", token: rotterdamToken)
                #expect(try transitions.json(Components.Schemas.SignalTransitionList.self).items.map(\.toStatus) == [.received])
                let forwards = try await api.send(.get, "/v1/signals/\(signal.id.text)/forwards", token: rotterdamToken)
                #expect(try forwards.json(Components.Schemas.SignalForwardList.self).items.map(\.to) == [.inspectorate])
                // Candidates are the inspector's alone, and 404 for an unknown signal.
                try expectProblem(try await api.get("/v1/signals/\(signal.id.text)/candidates", as: .signaller), 403, "forbidden")
                try expectProblem(try await api.get("/v1/signals/\(UUID().text)/candidates", as: .inspector), 404, "not-found")
            }
        }
    }
}
