import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import HTTPTypes
import Testing

extension APITests {
    /// Bad input (docs/decisions/0019-bad-input-and-safe-errors.md): each refused with a problem naming the field and the
    /// rule, and nothing written.
    @Suite struct BadInputTests {
        /// Sends `body` to `path` and checks the problem and that no table a request can write to changed.
        @discardableResult
        func refused(_ api: APIHarness, _ path: String, as role: Role = .inspector, body: String, _ status: Int, _ kind: String,
                     field: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ProblemDocument {
            let before = try await api.writableCounts()
            let reply = try await api.post(path, as: role, json: body)
            let problem = try expectProblem(reply, status, kind, field: field, sourceLocation: sourceLocation)
            #expect(try await api.writableCounts() == before, "\(path) wrote rows: \(reply.text)", sourceLocation: sourceLocation)
            return problem
        }

        func school(_ edit: (inout [String: Any]) -> Void) -> String {
            var body = APIFixtures.newSchoolBody(950)
            edit(&body)
            return APIFixtures.json(body)
        }

        /// A missing required query parameter is named whatever else the query holds: with another
        /// parameter present the generated decoder failed without a name and the answer said `body`.
        @Test func aMissingRequiredQueryParameterIsNamedBesideOthers() async throws {
            try await withAPI { api in
                for (path, field) in [
                    ("/v1/signals/response-times?to=2026-12-31", "from"),
                    ("/v1/signals/response-times?from=2026-01-01", "to"),
                    ("/v1/signals/response-times?groupBy=category", "from"),
                    ("/v1/reports/signal-statistics?from=2026-01-01", "to"),
                    ("/v1/reports/quality-mark-changes?to=2026-12-31", "from"),
                    ("/v1/overview?route=b1Route", "municipality"),
                ] {
                    try expectProblem(try await api.get(path, as: .analyst), 400, "validation", field: field)
                }
                // With every required one present the request goes through.
                #expect(try await api.get("/v1/signals/response-times?from=2026-01-01&to=2026-12-31", as: .analyst).status == .ok)
            }
        }

        @Test func malformedJSON() async throws {
            try await withAPI { api in
                let problem = try await refused(api, "/v1/schools", body: #"{"name": "Taalschool Voorbeeld 950 B.V.", "kvkNumber": "#,
                                                400, "validation", field: "body")
                #expect(problem.errors?.first?.rule == "must be well-formed JSON")
                try await refused(api, "/v1/signals", as: .signaller, body: "[1, 2", 400, "validation", field: "body")
            }
        }

        @Test func unknownFields() async throws {
            try await withAPI { api in
                let problem = try await refused(api, "/v1/schools", body: school { $0["colour"] = "red" }, 400, "validation", field: "colour")
                #expect(problem.errors?.first?.rule == "is not a known field")
                // Nested: an unknown field of a location is named by its path.
                let nested = school { $0["locations"] = [["municipalityCode": "GM0363", "address": "Voorbeeldweg 1", "floor": 2]] }
                try await refused(api, "/v1/schools", body: nested, 400, "validation", field: "locations[0].floor")
                // isFictional is set by Dubbelslot, never by clients.
                try await refused(api, "/v1/schools", body: school { $0["isFictional"] = true }, 400, "validation", field: "isFictional")
            }
        }

        @Test func wrongEnumValues() async throws {
            try await withAPI { api in
                var signal = APIFixtures.newSignalBody()
                signal["category"] = "bribery"
                let problem = try await refused(api, "/v1/signals", as: .signaller, body: APIFixtures.json(signal), 400, "validation", field: "category")
                #expect(problem.errors?.first?.rule.contains("kickbacks") == true)
                try await refused(api, "/v1/schools", body: school { $0["routes"] = ["b1Route", "a2Route"] }, 400, "validation", field: "routes[1]")
                try expectProblem(try await api.get("/v1/schools?route=a2Route", as: .buyer), 400, "validation", field: "route")
                try expectProblem(try await api.get("/v1/signals?status=open", as: .analyst), 400, "validation", field: "status")
            }
        }

        @Test func missingRequiredField() async throws {
            try await withAPI { api in
                try await refused(api, "/v1/schools", body: school { $0["name"] = nil }, 400, "validation", field: "name")
            }
        }

        @Test(arguments: ["1234567", "123456789", "1234567A", "12 34567", "１２３４５６７８"])
        func badKvKNumbers(_ kvk: String) async throws {
            try await withAPI { api in
                let problem = try await refused(api, "/v1/schools", body: school { $0["kvkNumber"] = kvk }, 400, "validation", field: "kvkNumber")
                #expect(problem.errors?.first?.rule == KvKNumber.rule)
                // The value itself is never echoed back.
                #expect(!(problem.detail ?? "").contains(kvk))
                try expectProblem(try await api.get("/v1/schools?kvkNumber=\(kvk.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", as: .buyer),
                                  400, "validation", field: "kvkNumber")
            }
        }

        @Test func badMunicipalityCodes() async throws {
            try await withAPI { api in
                try await refused(api, "/v1/schools", body: school { $0["municipalityCode"] = "GM363" }, 400, "validation", field: "municipalityCode")
                let location = school { $0["locations"] = [["municipalityCode": "gm0363", "address": "Voorbeeldweg 1"]] }
                try await refused(api, "/v1/schools", body: location, 400, "validation", field: "locations[0].municipalityCode")
                try expectProblem(try await api.get("/v1/overview?municipality=GM363", as: .buyer), 400, "validation", field: "municipality")
                // Right shape, but not in the reference set.
                try await refused(api, "/v1/schools", body: school { $0["municipalityCode"] = "GM9999" }, 422, "unknown-reference",
                                  field: "municipalityCode")
                try expectProblem(try await api.get("/v1/overview?municipality=GM9999", as: .buyer), 422, "unknown-reference", field: "municipality")
            }
        }

        @Test func aVisitInTheFuture() async throws {
            try await withAPI { api in
                let s = try await APIFixtures.school(api.store, 901)
                let tomorrow = APIFixtures.today.adding(days: 1)
                try await refused(api, "/v1/schools/\(s.id.text)/visits", body: APIFixtures.json(APIFixtures.newVisitBody(on: tomorrow)),
                                  400, "validation", field: "visitedOn")
            }
        }

        @Test func aVisitAtAnotherSchoolsLocation() async throws {
            try await withAPI { api in
                let s = try await APIFixtures.school(api.store, 901)
                let other = try await APIFixtures.school(api.store, 902, locationsIn: [APIFixtures.amsterdam])
                let body = APIFixtures.newVisitBody(on: APIFixtures.today, locationId: other.locations[0].id)
                try await refused(api, "/v1/schools/\(s.id.text)/visits", body: APIFixtures.json(body), 422, "unknown-reference", field: "locationId")
            }
        }

        @Test func aNullMemberIsA400NamingItNotAMemberLeftOut() async throws {
            try await withAPI { api in
                let s = try await APIFixtures.school(api.store, 901)
                var body = APIFixtures.newVisitBody(on: APIFixtures.today)
                body["locationId"] = NSNull()
                try await refused(api, "/v1/schools/\(s.id.text)/visits", body: APIFixtures.json(body), 400, "validation", field: "locationId")
                // Also deeper down, named by its JSON path.
                body = APIFixtures.newVisitBody(on: APIFixtures.today)
                body["findings"] = [["normCode": "4.2", "severity": "minor", "note": NSNull()]]
                try await refused(api, "/v1/schools/\(s.id.text)/visits", body: APIFixtures.json(body), 400, "validation", field: "findings[0].note")
                // Nesting beyond any schema's is refused before the decoder sees it.
                // Nesting beyond any schema's is refused by a scan of the bytes, before any parser recurses,
                // and named as what it is (not "ill-formed"), however deep: 100 and 10,000 levels.
                for levels in [100, 10_000] {
                    let deep = String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
                    let problem = try await refused(api, "/v1/schools/\(s.id.text)/visits", body: "{\"findings\":\(deep)}", 400, "validation",
                                                    field: "body")
                    #expect(problem.errors?.first?.rule.contains("nest") == true, "\(problem)")
                }
            }
        }

        @Test func qualityMarkPeriods() async throws {
            try await withAPI { api in
                let s = try await APIFixtures.school(api.store, 901)
                let path = "/v1/schools/\(s.id.text)/quality-mark-decisions"
                let today = APIFixtures.today
                // End before start, and end equal to start (an empty half-open period).
                try await refused(api, path, body: APIFixtures.json(APIFixtures.newDecisionBody(from: today, until: today.adding(days: -1))),
                                  400, "validation", field: "validUntil")
                try await refused(api, path, body: APIFixtures.json(APIFixtures.newDecisionBody(from: today, until: today)),
                                  400, "validation", field: "validUntil")
                // A suspension ends the mark in force (it supersedes it); what the lifecycle forbids is a 409.
                let first = try await api.post(path, as: .inspector, json: APIFixtures.json(
                    APIFixtures.newDecisionBody(from: today.adding(days: -365), until: today.adding(days: 365))))
                #expect(first.status == .created, "\(first.text)")
                let suspension = try await api.post(path, as: .inspector, json: APIFixtures.json(
                    APIFixtures.newDecisionBody("suspended", from: today.adding(days: -10), until: nil)))
                #expect(suspension.status == .created, "\(suspension.text)")
                // A second decision from the same day: a correction is a rectification.
                try await refused(api, path, body: APIFixtures.json(APIFixtures.newDecisionBody("withdrawn", from: today.adding(days: -10), until: nil)),
                                  409, "conflict", field: "validFrom")
                // An aspirant mark does not follow a suspension; the problem names both statuses.
                let illegal = try await refused(api, path, body: APIFixtures.json(APIFixtures.newDecisionBody("aspirant", from: today, until: nil)),
                                                409, "conflict", field: "status")
                #expect(illegal.currentStatus == "suspended")
                #expect(illegal.allowedStatuses == ["suspended", "grantedFixedTerm", "grantedIndefinite", "withdrawn", "lapsed", "stopped"])
                #expect(illegal.detail?.contains("aspirant") == true && illegal.detail?.contains("suspended") == true)
                // Running into a later decision of the same school.
                try await refused(api, path, body: APIFixtures.json(APIFixtures.newDecisionBody("aspirant", from: today.adding(days: -900), until: nil)),
                                  409, "overlapping-period", field: "validUntil")
                // A location of another school.
                let other = try await APIFixtures.school(api.store, 902, locationsIn: [APIFixtures.amsterdam])
                var body = APIFixtures.newDecisionBody("suspended", from: today.adding(days: -5), until: nil)
                body["locationId"] = other.locations[0].id.text
                try await refused(api, path, body: APIFixtures.json(body), 422, "unknown-reference", field: "locationId")
                // A period in another millennium is a typing error.
                try await refused(api, path, body: APIFixtures.json(["status": "suspended", "validFrom": "9999-12-31", "decidedOn": today.description]),
                                  400, "validation", field: "validFrom")
                #expect(try await api.count("quality_mark_decisions") == 2)
            }
        }

        @Test func duplicateKvKNumber() async throws {
            try await withAPI { api in
                let first = try await api.post("/v1/schools", as: .admin, json: APIFixtures.json(APIFixtures.newSchoolBody(950)))
                #expect(first.status == .created, "\(first.text)")
                var again = APIFixtures.newSchoolBody(950)
                again["name"] = "Andere Taalschool B.V."
                again["locations"] = nil
                try await refused(api, "/v1/schools", body: APIFixtures.json(again), 409, "duplicate-kvk-number", field: "kvkNumber")
                #expect(try await api.count("schools") == 1)
            }
        }

        @Test func signalForAnotherMunicipality() async throws {
            try await withAPI { api in
                let body = APIFixtures.json(APIFixtures.newSignalBody(municipality: "GM0599"))
                try await refused(api, "/v1/signals", as: .signaller, body: body, 403, "forbidden", field: "municipalityCode")
            }
        }

        @Test func signalAboutAnUnknownSchool() async throws {
            try await withAPI { api in
                let body = APIFixtures.json(APIFixtures.newSignalBody(schoolId: UUID()))
                try await refused(api, "/v1/signals", as: .signaller, body: body, 422, "unknown-reference", field: "schoolId")
            }
        }

        @Test(arguments: ["0", "201", "-1", "abc", "1.5", "%C2%B2"])
        func badLimit(_ limit: String) async throws {
            try await withAPI { api in
                try expectProblem(try await api.get("/v1/schools?limit=\(limit)", as: .buyer), 400, "validation", field: "limit")
                try expectProblem(try await api.get("/v1/signals?limit=\(limit)", as: .analyst), 400, "validation", field: "limit")
            }
        }

        /// Query parameters the contract types (integers with bounds, enums) are checked against the
        /// contract before the generated decoder runs, which would name neither the parameter nor the
        /// rule: the answer is the problem a handler's own check gives, every typed parameter at once.
        @Test func badTypedQueryParameters() async throws {
            try await withAPI { api in
                for (path, field, rule) in [
                    ("/v1/reports/risk-ranking?top=abc", "top", "must be a whole number from 1 to 1000"),
                    ("/v1/reports/risk-ranking?top=1001", "top", "must be a whole number from 1 to 1000"),
                    ("/v1/reports/risk-ranking?top=+5", "top", "must be a whole number from 1 to 1000"),
                    ("/v1/reports/signal-statistics?from=2026-01-01&to=2026-07-01&areaBy=county", "areaBy", "must be province or region"),
                    ("/v1/signals/response-times?from=2026-01-01&to=2026-07-01&groupBy=school", "groupBy",
                     "must be one of municipality, category, region"),
                    ("/v1/schools?route=a2Route", "route", "must be one of b1Route, educationRoute, zRoute"),
                    ("/v1/audit?limit=", "limit", "must be a whole number from 1 to 200"),
                ] {
                    let problem = try expectProblem(try await api.get(path, as: .analyst), 400, "validation", field: field)
                    #expect(problem.errors?.map(\.rule) == [rule], "\(path)")
                }
                // Two typed parameters wrong: both named.
                let both = try expectProblem(try await api.get("/v1/schools?route=x&limit=0", as: .analyst), 400, "validation")
                #expect(Set(both.fields) == ["route", "limit"])
                // Typed values that keep the rules go through.
                #expect(try await api.get("/v1/reports/risk-ranking?top=1000", as: .analyst).status == .ok)
                #expect(try await api.get("/v1/reports/signal-statistics?from=2026-01-01&to=2026-07-01&areaBy=region", as: .analyst).status == .ok)
            }
        }

        @Test func badCursor() async throws {
            try await withAPI { api in
                try expectProblem(try await api.get("/v1/schools?cursor=not-ours", as: .buyer), 400, "validation", field: "cursor")
                try expectProblem(try await api.get("/v1/signals?cursor=not-ours", as: .analyst), 400, "validation", field: "cursor")
            }
        }

        @Test func badOverviewParameters() async throws {
            try await withAPI { api in
                let s = try await APIFixtures.school(api.store, 901)
                let path = "/v1/schools/\(s.id.text)/overview"
                try expectProblem(try await api.get("\(path)?contractFrom=2026-07-01&contractTo=2026-06-30", as: .buyer), 400, "validation",
                                  field: "contractTo")
                try expectProblem(try await api.get("\(path)?contractTo=2026-06-30", as: .buyer), 400, "validation", field: "contractFrom")
                try expectProblem(try await api.get("\(path)?date=2026-02-30", as: .buyer), 400, "validation", field: "date")
                try expectProblem(try await api.get("\(path)?route=b2Route", as: .buyer), 400, "validation", field: "route")
                try expectProblem(try await api.get("/v1/overview", as: .buyer), 400, "validation", field: "municipality")
            }
        }

        @Test func wrongContentType() async throws {
            try await withAPI { api in
                let before = try await api.writableCounts()
                let reply = try await api.send(.post, "/v1/schools", token: api.token(.admin), body: APIFixtures.json(APIFixtures.newSchoolBody(950)),
                                               headers: [.contentType: "text/plain"])
                try expectProblem(reply, 415, "unsupported-media-type")
                #expect(try await api.writableCounts() == before)
            }
        }
    }
}
