public import DubbelslotCore
public import Foundation

/// Who a valid bearer token speaks for.
public struct TokenPrincipal: Sendable, Equatable, Hashable {
    /// The token's id (not its secret).
    public var tokenId: UUID
    /// What the token may do.
    public var role: Role
    /// Set for buyers and signallers (Core `Role.needsMunicipality`); may be set for others.
    public var municipalityCode: MunicipalityCode?
    /// What the token is for, as its creator labelled it.
    public var label: String

    /// A principal as the token lookup found it.
    public init(tokenId: UUID, role: Role, municipalityCode: MunicipalityCode?, label: String) {
        self.tokenId = tokenId
        self.role = role
        self.municipalityCode = municipalityCode
        self.label = label
    }
}

/// A token as an administrator sees it: never its secret.
public struct TokenInfo: Sendable, Equatable, Hashable {
    /// The organisation holding the token: a CBS code or a body's slug.
    public var organisation: String = ""
    /// When the token stops working; `nil` for never.
    public var expiresAt: Date?
    /// Whether its organisation is disabled (the token is then refused).
    public var organisationDisabled = false
    /// The token's id.
    public var id: UUID
    /// What the token may do.
    public var role: Role
    /// The municipality it acts for; set for buyers and signallers.
    public var municipalityCode: MunicipalityCode?
    /// What the token is for, as its creator labelled it.
    public var label: String
    /// When the token was created (database time).
    public var createdAt: Date
    /// When the token was revoked; `nil` while valid.
    public var revokedAt: Date?

    /// A token as stored; the repository sets ``organisation``, ``expiresAt`` and ``organisationDisabled`` after.
    public init(id: UUID, role: Role, municipalityCode: MunicipalityCode?, label: String, createdAt: Date, revokedAt: Date?) {
        self.id = id
        self.role = role
        self.municipalityCode = municipalityCode
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
