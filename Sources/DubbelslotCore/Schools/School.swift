public import Foundation

/// A provider of civic-integration courses (taalschool), identified by its KvK number.
public struct School: Hashable, Sendable, Identifiable {
    public let id: UUID
    /// The registered name, for example "Taalschool Voorbeeld 017 B.V.".
    public let name: String
    /// Other names the school trades under.
    public let tradeNames: [String]
    public let kvkNumber: KvKNumber
    /// The municipality of the school's seat.
    public let municipalityCode: MunicipalityCode
    /// The routes the school offers.
    public let routes: Set<Route>
    /// `true` for the generated demo schools: synthetic signals and findings only ever attach to these.
    public let isFictional: Bool
    public let locations: [SchoolLocation]
    /// When the record was written (transaction time).
    public let recordedAt: Date

    public init(id: UUID, name: String, tradeNames: [String], kvkNumber: KvKNumber, municipalityCode: MunicipalityCode,
                routes: Set<Route>, isFictional: Bool, locations: [SchoolLocation], recordedAt: Date) {
        self.id = id
        self.name = name
        self.tradeNames = tradeNames
        self.kvkNumber = kvkNumber
        self.municipalityCode = municipalityCode
        self.routes = routes
        self.isFictional = isFictional
        self.locations = locations
        self.recordedAt = recordedAt
    }
}

/// A branch (vestiging) of a school: where lessons are given.
public struct SchoolLocation: Hashable, Sendable, Identifiable {
    public let id: UUID
    public let vestigingsnummer: Vestigingsnummer?
    public let municipalityCode: MunicipalityCode
    /// Street address as one line ("Voorbeeldstraat 1, 1011 AA Amsterdam").
    public let address: String

    public init(id: UUID, vestigingsnummer: Vestigingsnummer?, municipalityCode: MunicipalityCode, address: String) {
        self.id = id
        self.vestigingsnummer = vestigingsnummer
        self.municipalityCode = municipalityCode
        self.address = address
    }
}
