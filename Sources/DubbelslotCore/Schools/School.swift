public import Foundation

/// A provider of civic-integration courses (taalschool), identified by its KvK number.
public struct School: Hashable, Sendable, Identifiable {
    /// The school's id.
    public let id: UUID
    /// The registered name, for example "Taalschool Voorbeeld 017 B.V.".
    public let name: String
    /// Other names the school trades under.
    public let tradeNames: [String]
    /// The school's KvK number, 8 digits.
    public let kvkNumber: KvKNumber
    /// The municipality of the school's seat.
    public let municipalityCode: MunicipalityCode
    /// The routes the school offers.
    public let routes: Set<Route>
    /// `true` for the generated demo schools: synthetic signals and findings only ever attach to these.
    public let isFictional: Bool
    /// The school's locations (vestigingen).
    public let locations: [SchoolLocation]
    /// When the record was written (transaction time).
    public let recordedAt: Date

    /// A school as stored.
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
    /// The location's id.
    public let id: UUID
    /// The KvK vestigingsnummer, 12 digits; `nil` when not known.
    public let vestigingsnummer: Vestigingsnummer?
    /// The CBS code of the municipality the location lies in.
    public let municipalityCode: MunicipalityCode
    /// Street address as one line ("Voorbeeldstraat 1, 1011 AA Amsterdam").
    public let address: String

    /// A location as stored.
    public init(id: UUID, vestigingsnummer: Vestigingsnummer?, municipalityCode: MunicipalityCode, address: String) {
        self.id = id
        self.vestigingsnummer = vestigingsnummer
        self.municipalityCode = municipalityCode
        self.address = address
    }
}
