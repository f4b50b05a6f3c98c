import DubbelslotCore
import DubbelslotStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

extension APITests {
    /// Safe errors and headers (docs/decisions/0019-bad-input-and-safe-errors.md): body size limits, security headers, no
    /// internals in problems.
    @Suite struct SafetyTests {
        @Test func aBodyOverOneMebibyteIsRefusedWith413AndWritesNothing() async throws {
            try await withAPI { api in
                var body = APIFixtures.newSignalBody()
                body["summary"] = String(repeating: "a", count: 1_100_000)
                let before = try await api.writableCounts()
                let reply = try await api.post("/v1/signals", as: .signaller, json: APIFixtures.json(body))
                try expectProblem(reply, 413, "payload-too-large")
                #expect(try await api.writableCounts() == before)
            }
        }

        @Test func everyAnswerCarriesSecurityHeaders() async throws {
            try await withAPI { api in
                for reply in [try await api.get("/v1/schools", as: .buyer), try await api.get("/v1/schools", as: nil),
                              try await api.get("/v1/no-such-thing", as: .buyer)] {
                    #expect(reply.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                    #expect(reply.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                    #expect(reply.headers[.cacheControl] == "no-store")
                }
                try expectProblem(try await api.get("/v1/no-such-thing", as: .buyer), 404, "not-found")
            }
        }

        @Test func problemsNeverCarrySQLOrInternalNames() async throws {
            try await withAPI { api in
                // A reference that the database refuses (unknown school id in a signal) and malformed JSON.
                var body = APIFixtures.newSignalBody()
                body["schoolId"] = UUID().uuidString
                let replies = [try await api.post("/v1/signals", as: .signaller, json: APIFixtures.json(body)),
                               try await api.post("/v1/signals", as: .signaller, json: "{\"municipalityCode\": ")]
                for reply in replies {
                    #expect(reply.status.code >= 400 && reply.status.code < 500)
                    for leak in ["SELECT", "INSERT", "PSQLError", "fraud_signals", "DecodingError", "Swift.", "fkey", "DubbelslotStore"] {
                        #expect(!reply.text.contains(leak), "\(leak) in \(reply.text)")
                    }
                }
            }
        }

        @Test func aNulByteIsA400NamingTheFieldNotA500() async throws {
            try await withAPI { api in
                var body = APIFixtures.newSignalBody()
                body["reportedSchoolName"] = "Taalschool\u{0}Voorbeeld"
                let before = try await api.writableCounts()
                try expectProblem(try await api.post("/v1/signals", as: .signaller, json: APIFixtures.json(body)), 400, "validation",
                                  field: "reportedSchoolName")
                let csv = "caseReference,reportedSchoolName,category,severity,observedFrom,summary,source\n" +
                    "Z-1,Taalschool\u{0}X,other,low,2025-01-06,Lessen vielen uit.,ownCaseWork\n"
                let reply = try await api.send(.post, "/v1/signals/batch", token: api.token(.signaller), body: csv,
                                               headers: [.contentType: "text/csv"])
                try expectProblem(reply, 400, "validation", field: "reportedSchoolName")
                #expect(try await api.writableCounts() == before)
            }
        }

        @Test func aNulByteInAQueryParameterIsA400NamingItAndABodyWithoutContentTypeIsA415() async throws {
            try await withAPI { api in
                try expectProblem(try await api.get("/v1/risk-model?version=%00", as: .buyer), 400, "validation", field: "version")
                // A parameter the operation does not have is ignored, as the generated server ignores it: no status outside the contract.
                #expect(try await api.get("/v1/risk-model?x=%01", as: .buyer).status == .ok)
                #expect(try await api.send(.get, "/health/live?x=%01", token: nil).status == .ok)
                let school = try await APIFixtures.school(api.store, 990)
                try expectProblem(try await api.get("/v1/schools/\(school.id.text)/overview?shadowModel=%00", as: .buyer), 400, "validation",
                                  field: "shadowModel")
                // A JSON body sent without Content-Type is not guessed to be JSON: 415, nothing written.
                let before = try await api.writableCounts()
                let reply = try await api.client.executeRequest(uri: "/v1/signals", method: .post,
                                                                headers: [.authorization: "Bearer \(api.token(.signaller))"],
                                                                body: ByteBuffer(string: APIFixtures.json(APIFixtures.newSignalBody())))
                #expect(reply.status == .unsupportedMediaType)
                #expect(reply.headers[.contentType] == "application/problem+json")
                #expect(try await api.writableCounts() == before)
            }
        }

        @Test func aCSVHeaderOfTwentyThousandColumnsIsA400NamingFileAndWritesNothing() async throws {
            try await withAPI { api in
                let before = try await api.writableCounts()
                for columns in [20_000, 100_000] {
                    // Every column name distinct, as the hostile file had them (about 126 KB for 20,000).
                    let header = (0..<columns).map { "c\($0)" }.joined(separator: ",")
                    let reply = try await api.send(.post, "/v1/signals/batch", token: api.token(.signaller), body: header + "\n",
                                                   headers: [.contentType: "text/csv"])
                    let problem = try expectProblem(reply, 400, "validation", field: "file")
                    #expect(problem.errors?.first?.rule.contains("at most \(CSVFile.maximumColumns)") == true)
                }
                // A field longer than any column accepts is named by its column, whatever the column.
                let long = String(repeating: "x", count: CSVFile.maximumFieldCharacters + 1)
                let csv = "caseReference,reportedSchoolName,category,severity,observedFrom,summary,source,note\n" +
                    "Z-1,Taalschool Fictief Voorbeeld,other,low,2025-01-06,Lessen vielen uit.,ownCaseWork,\(long)\n"
                let reply = try await api.send(.post, "/v1/signals/batch", token: api.token(.signaller), body: csv,
                                               headers: [.contentType: "text/csv"])
                try expectProblem(reply, 400, "validation", field: "note")
                #expect(try await api.writableCounts() == before)
            }
        }

        @Test func aKnownPathWithAnotherMethodIs405WithAllow() async throws {
            try await withAPI { api in
                let wrong = try await api.send(.put, "/v1/schools", token: api.token(.admin), body: "{}")
                try expectProblem(wrong, 405, "method-not-allowed")
                #expect(wrong.headers[.allow] == "GET, HEAD, POST")
                let school = try await APIFixtures.school(api.store, 991)
                let delete = try await api.send(.delete, "/v1/schools/\(school.id.text)/overview", token: api.token(.buyer))
                #expect(delete.status == .methodNotAllowed && delete.headers[.allow] == "GET, HEAD")
                try expectProblem(try await api.send(.put, "/v1/no-such-thing", token: api.token(.buyer), body: "{}"), 404, "not-found")
                // The most specific path decides: /v1/signals/batch is that path, not a signal with the id "batch".
                let batch = try await api.send(.put, "/v1/signals/batch", token: api.token(.signaller), body: "{}")
                #expect(batch.status == .methodNotAllowed && batch.headers[.allow] == "POST", "\(batch.headers)")
            }
        }

        @Test func anIdFollowedByANulByteIsNotThatId() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 993)
                for path in ["/v1/schools/\(school.id.text)%00garbage", "/v1/schools/\(school.id.text)%00/overview"] {
                    try expectProblem(try await api.get(path, as: .buyer), 404, "not-found")
                }
                var body = APIFixtures.newVisitBody(on: APIFixtures.today)
                body["locationId"] = "00000000-0000-0000-0000-000000000000\u{0}"
                try expectProblem(try await api.post("/v1/schools/\(school.id.text)/visits", as: .inspector, json: APIFixtures.json(body)),
                                  400, "validation", field: "locationId")
            }
        }

        @Test func headIsAnsweredWhereverGetIsWithTheSameHeadersAndNoContent() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 992)
                for path in ["/v1/schools", "/v1/schools/\(school.id.text)/overview", "/v1/openapi.json", "/health/live"] {
                    let get = try await api.send(.get, path, token: api.token(.buyer))
                    let head = try await api.send(.head, path, token: api.token(.buyer))
                    #expect(get.status == .ok && head.status == .ok, "\(path): GET \(get.status), HEAD \(head.status)")
                    #expect(head.text.isEmpty, "\(path) sent content to HEAD")
                    #expect(head.headers[.contentType] == get.headers[.contentType], "\(path)")
                }
                // A path that has no GET: 405 for HEAD as for GET, and nothing is written.
                let before = try await api.writableCounts()
                let head = try await api.send(.head, "/v1/replies", token: api.token(.inspector))
                #expect(head.status == .methodNotAllowed && head.headers[.allow] == "POST", "\(head.status) \(head.headers)")
                #expect(try await api.writableCounts() == before)
            }
        }

        @Test func personalDataInNamesIsRefusedToo() async throws {
            try await withAPI { api in
                var signal = APIFixtures.newSignalBody()
                signal["reportedSchoolName"] = "Taalschool 111222333"
                try expectProblem(try await api.post("/v1/signals", as: .signaller, json: APIFixtures.json(signal)), 400, "validation",
                                  field: "reportedSchoolName")
                var school = APIFixtures.newSchoolBody(960)
                school["tradeNames"] = ["NL91ABNA0417164300"]
                try expectProblem(try await api.post("/v1/schools", as: .admin, json: APIFixtures.json(school)), 400, "validation",
                                  field: "tradeNames[0]")
            }
        }
    }
}
