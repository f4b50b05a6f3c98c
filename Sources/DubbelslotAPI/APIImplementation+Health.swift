import DubbelslotStore
import DubbelslotOpenAPI
import Foundation

extension APIImplementation {
    func getLiveness(_ input: Operations.GetLiveness.Input) async throws -> Operations.GetLiveness.Output {
        .ok(.init(body: .json(.init(status: .alive))))
    }

    /// Ready only when PostgreSQL answers `SELECT 1` within 2 seconds.
    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        let store = self.store
        let answered = await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await store.ping()) != nil }
            group.addTask {
                try? await Deadline.wait(.seconds(2))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        return answered
            ? .ok(.init(body: .json(.init(status: .ready, database: .up))))
            : .serviceUnavailable(.init(body: .json(.init(status: .notReady, database: .down))))
    }

    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws -> Operations.GetOpenAPIDocument.Output {
        .ok(.init(body: .json(openAPIDocument)))
    }
}
