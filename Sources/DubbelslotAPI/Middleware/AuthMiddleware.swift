import Foundation
import DubbelslotCore
import DubbelslotStore
import HTTPTypes
import OpenAPIRuntime

/// Checks `Authorization: Bearer <token>` and the ``AccessPolicy`` table for every operation, and
/// makes the caller available to the handler as ``Principal/current``.
///
/// A revoked token is refused on its next request (the lookup happens on every request). The token
/// itself is never logged.
struct AuthMiddleware: ServerMiddleware {
    /// Its repositories are taken at each request, so a client replaced after an outage is used.
    let store: Store

    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        guard let rule = AccessPolicy.table[operationID] else {
            throw Problem(.forbidden, detail: "This operation has no access rule and is refused for everyone.")
        }
        if rule == .everyone { return try await next(request, body, metadata) }
        guard let header = request.headerFields[.authorization] else {
            throw Problem(.unauthenticated, detail: "Send Authorization: Bearer <token>.")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw Problem(.unauthenticated, detail: "The Authorization header must be 'Bearer <token>'.")
        }
        guard let principal = try await store.tokens.authenticate(secret: String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
            throw Problem(.unauthenticated, detail: "The token is unknown or has been revoked.")
        }
        return try await Self.withGrant(principal, operationID: operationID, municipalities: store.municipalities) {
            try await next(request, body, metadata)
        }
    }

    /// Runs `work` as `principal` calling `operationID`: checks the ``AccessPolicy`` table, resolves the
    /// grant's scope to the municipalities the caller may see and binds ``Principal/current`` and
    /// ``Principal/visible``. The API (this middleware) and the web pages (`WebRequest`) both call it,
    /// so the same table decides what each shows.
    ///
    /// - Throws: a 403 ``Problem`` when the role may not use the operation; whatever `work` throws.
    /// The municipalities whose records `principal` may see through `operationID`, from the
    /// ``AccessPolicy`` table; `nil` when the role may not use the operation at all.
    static func visibleMunicipalities(_ principal: TokenPrincipal, operationID: String,
                                      municipalities: MunicipalityRepository) async throws -> MunicipalityScope? {
        guard let scope = AccessPolicy.scope(principal.role, operationID) else { return nil }
        switch (scope, principal.municipalityCode) {
        case (.all, _): return .all
        case (.ownMunicipality, let code?): return .only([code])
        case (.ownRegion, let code?): return .only(try await municipalities.sameRegion(as: code))
        case (_, nil): return .only([])
        }
    }

    static func withGrant<T>(_ principal: TokenPrincipal, operationID: String, municipalities: MunicipalityRepository,
                                       _ work: () async throws -> T) async throws -> T {
        guard let visible = try await visibleMunicipalities(principal, operationID: operationID, municipalities: municipalities) else {
            throw Problem(.forbidden, detail: "The role \(principal.role.rawValue) may not use \(operationID).")
        }
        return try await Principal.$current.withValue(principal) {
            try await Principal.$visible.withValue(visible) {
                try await work()
            }
        }
    }
}
