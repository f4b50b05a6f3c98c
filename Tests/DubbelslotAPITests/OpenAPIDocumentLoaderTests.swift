import DubbelslotAPI
import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import HummingbirdTesting
import PostgresNIO
import Testing
import Yams

extension APITests {
    /// `/v1/openapi.json`: the contract as served.
    @Suite struct OpenAPIDocumentLoaderTests {
        @Test func openAPIDocumentIsTheContractAsJSON() async throws {
            try await withAPI { api in
                let reply = try await api.get("/v1/openapi.json", as: nil)
                #expect(reply.status == .ok)
                #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true)
                let served = try reply.object()
                let paths = try #require(served["paths"] as? [String: Any])
                #expect(paths["/v1/schools/{id}/overview"] != nil)
                #expect(served["openapi"] as? String == "3.1.0")
                // The served document is openapi.yaml itself, not a hand-kept copy.
                let yaml = try #require(try Yams.load(yaml: try APITestSupport.contractText()))
                let expected = try JSONSerialization.jsonObject(with: try JSONSerialization.data(withJSONObject: yaml))
                #expect(NSDictionary(dictionary: served).isEqual(expected))
            }
        }
    }
}
