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
    /// A path the contract does not have.
    @Suite struct RouterProblemMiddlewareTests {
        @Test func unknownPathIsAProblem() async throws {
            try await withAPI { api in
                try expectProblem(try await api.get("/v1/nothing-here", as: .admin), 404, "not-found")
            }
        }
    }
}
