import DubbelslotCore
import Foundation
import HTTPTypes
import Testing

extension APITests {
    /// Promises of `openapi.yaml` that were once gaps: the PII guard on free text and exact field paths
    /// for unknown location municipalities.
    @Suite struct ContractGapTests {
        /// Contract, `NewFraudSignal`: "Free text containing a BSN-like number (9 digits passing the
        /// 11-test) is refused" with a 400 naming the field.
        @Test func aSignalSummaryWithABSNIsRefused() async throws {
            try await withAPI { api in
                var body = APIFixtures.newSignalBody()
                // 111222333 passes the 11-test: 9·1 + 8·1 + 7·1 + 6·2 + 5·2 + 4·2 + 3·3 + 2·3 − 1·3 = 66 = 6 · 11.
                body["summary"] = "Cursist 111222333 tekende voor lessen die niet plaatsvonden."
                let before = try await api.writableCounts()
                let reply = try await api.post("/v1/signals", as: .signaller, json: APIFixtures.json(body))
                let problem = try expectProblem(reply, 400, "validation", field: "summary")
                #expect(!reply.text.contains("111222333"), "the value is never echoed")
                _ = problem
                #expect(try await api.writableCounts() == before)
            }
        }

        /// Contract, `createSchool` 422: "`errors` naming each field, e.g. `locations[1].municipalityCode`".
        /// The API checks the codes before writing, so it can name the location's index.
        @Test func anUnknownLocationMunicipalityIsNamedByItsPath() async throws {
            try await withAPI { api in
                var body = APIFixtures.newSchoolBody(950)
                body["locations"] = [["municipalityCode": "GM0363", "address": "Voorbeeldweg 1"],
                                     ["municipalityCode": "GM9998", "address": "Voorbeeldweg 2"]]
                let before = try await api.writableCounts()
                let reply = try await api.post("/v1/schools", as: .admin, json: APIFixtures.json(body))
                let problem = try expectProblem(reply, 422, "unknown-reference")
                #expect(try await api.writableCounts() == before)
                #expect(problem.fields == ["locations[1].municipalityCode"])
            }
        }
    }
}
