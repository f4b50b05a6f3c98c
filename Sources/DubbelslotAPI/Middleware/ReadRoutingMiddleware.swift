import DubbelslotStore
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Sends the reads that may be a moment behind (overviews, lists, reports) to the standby when there
/// is one, and notes after each write where the primary's WAL stood, so that the same caller's next
/// read waits for the standby to replay past it or goes to the primary
/// (docs/decisions/0021-reads-from-a-standby.md). Runs after ``AuthMiddleware``, which names the caller.
struct ReadRoutingMiddleware: ServerMiddleware {
    let store: Store

    /// Read-only operations whose answers may come from the standby. Everything else (writes, the audit
    /// log, which sequences pending entries first, tokens and subscriptions) reads the primary.
    static let standbyOperations: Set<String> = [
        "listMunicipalities", "getMunicipality", "listSchools", "getSchool", "listQualityMarkDecisions", "listVisits",
        "getSchoolOverview", "getSchoolSignalAggregate", "getMunicipalityOverview", "getSignalResponseTimes",
        "getRiskRanking", "getSignalStatistics", "getSupervisionCoverage", "listQualityMarkChanges",
    ]

    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        guard let replica = store.replica else { return try await next(request, body, metadata) }
        let caller = Principal.current.map { $0.tokenId.uuidString } ?? "anonymous"
        if request.method == .get, Self.standbyOperations.contains(operationID) {
            return try await ReadRouting.$caller.withValue(caller) { try await next(request, body, metadata) }
        }
        let response = try await next(request, body, metadata)
        if request.method != .get, request.method != .head, (200..<300).contains(response.0.status.code) {
            // After the commit: the position is at least the commit record's. When it cannot be read, this
            // caller's reads go to the primary from then on in this process: never stale, only slower.
            if let lsn = try? await store.primaryWALPosition() { replica.noteWrite(by: caller, at: lsn) }
            else { replica.noteWrite(by: caller, at: .max) }
        }
        return response
    }
}
