import Foundation
public import DubbelslotCore
public import DubbelslotStore

/// The caller of the current request, set by ``AuthMiddleware`` for the duration of the handler.
public enum Principal {
    /// The authenticated token of the request being handled; `nil` for public operations.
    @TaskLocal public static var current: TokenPrincipal?

    /// The municipalities whose records the current request may see: the caller's grant in
    /// ``AccessPolicy`` resolved by ``AuthMiddleware``. Every store query of a scoped operation filters
    /// on it; `.only([])` (nothing) when no middleware set it, so a forgotten scope fails closed.
    @TaskLocal public static var visible: MunicipalityScope = .only([])

    /// The caller, or a 401 problem when there is none.
    static func required() throws -> TokenPrincipal {
        guard let p = current else { throw Problem(.unauthenticated, detail: "Send Authorization: Bearer <token>.") }
        return p
    }

    /// The actor written to `recorded_by`: `"<role>:<token id>"`.
    static func actor() throws -> RecordedBy {
        let p = try required()
        return "\(p.role.rawValue):\(p.tokenId.uuidString.lowercased())"
    }
}
