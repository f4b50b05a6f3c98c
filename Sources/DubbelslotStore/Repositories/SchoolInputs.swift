public import DubbelslotCore
public import Foundation

/// A location (vestiging) to record with a new school.
public struct NewSchoolLocation: Sendable, Hashable {
    /// The KvK vestigingsnummer (12 digits), when known; unique over all schools.
    public var vestigingsnummer: Vestigingsnummer?
    /// The CBS code of the municipality the location lies in.
    public var municipalityCode: MunicipalityCode
    /// Street address as one line, 1–500 characters.
    public var address: String

    /// A location to record.
    public init(vestigingsnummer: Vestigingsnummer? = nil, municipalityCode: MunicipalityCode, address: String) {
        self.vestigingsnummer = vestigingsnummer
        self.municipalityCode = municipalityCode
        self.address = address
    }
}

/// A school to record (or, in an import, to upsert by KvK number).
public struct NewSchool: Sendable, Hashable {
    /// The registered name, 1–300 characters.
    public var name: String
    /// Other names the school trades under.
    public var tradeNames: [String]
    /// Unique over all schools.
    public var kvkNumber: KvKNumber
    /// The municipality of the school's seat.
    public var municipalityCode: MunicipalityCode
    /// The routes offered, at least one.
    public var routes: Set<Route>
    /// `true` only for generated demo schools (shared/DESIGN.md, "Data we may use").
    public var isFictional: Bool
    /// The school's locations.
    public var locations: [NewSchoolLocation]

    /// A school to record; by default real (not fictional) and without locations.
    public init(name: String, tradeNames: [String] = [], kvkNumber: KvKNumber, municipalityCode: MunicipalityCode,
                routes: Set<Route>, isFictional: Bool = false, locations: [NewSchoolLocation] = []) {
        self.name = name
        self.tradeNames = tradeNames
        self.kvkNumber = kvkNumber
        self.municipalityCode = municipalityCode
        self.routes = routes
        self.isFictional = isFictional
        self.locations = locations
    }
}

/// A search for schools; every given filter must match. Results are ordered by `(name, id)`.
public struct SchoolQuery: Sendable, Hashable {
    /// `q`: matched case- and diacritic-insensitively against the name and trade names, as a
    /// substring or, for typos, by trigram word similarity (pg_trgm `<%`, threshold 0.6).
    public var text: String?
    /// Only the school with this KvK number (8 digits); `nil` for any.
    public var kvkNumber: KvKNumber?
    /// The school's seat or any of its locations lies in this municipality.
    public var municipality: MunicipalityCode?
    /// The school offers this route.
    public var route: Route?
    /// Cursor: the last id of the previous page (``SchoolPage/nextCursor``); `nil` for the first page.
    public var after: UUID?
    /// Page size, 1–200; values outside are clamped.
    public var limit: Int

    /// A search; with no arguments, the first 50 schools.
    public init(text: String? = nil, kvkNumber: KvKNumber? = nil, municipality: MunicipalityCode? = nil,
                route: Route? = nil, after: UUID? = nil, limit: Int = 50) {
        self.text = text
        self.kvkNumber = kvkNumber
        self.municipality = municipality
        self.route = route
        self.after = after
        self.limit = limit
    }
}

/// One page of a school search.
public struct SchoolPage: Sendable, Hashable {
    /// The schools of the page, ordered by `(name, id)`.
    public var schools: [School]
    /// Pass as ``SchoolQuery/after`` for the next page; `nil` on the last page.
    public var nextCursor: UUID?

    /// A page as the search returns it.
    public init(schools: [School], nextCursor: UUID?) {
        self.schools = schools
        self.nextCursor = nextCursor
    }
}
