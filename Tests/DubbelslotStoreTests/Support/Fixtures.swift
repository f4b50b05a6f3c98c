import DubbelslotCore
@testable import DubbelslotStore
import Foundation
import PostgresNIO
import Testing

/// Test data: a few real municipalities (CBS 2025 codes) and fictional schools in the documented
/// fictional KvK range 00000001–00099999 (from 00050000).
enum Fixtures {
    static let actor: RecordedBy = "cli:test"

    static let amsterdam = municipality("GM0363", "Amsterdam", "PV27", "Noord-Holland")
    static let amstelveen = municipality("GM0362", "Amstelveen", "PV27", "Noord-Holland")
    static let utrecht = municipality("GM0344", "Utrecht", "PV26", "Utrecht")
    static let rotterdam = municipality("GM0599", "Rotterdam", "PV28", "Zuid-Holland")
    static let groningen = municipality("GM0014", "Groningen", "PV20", "Groningen")
    static let all = [amsterdam, amstelveen, utrecht, rotterdam, groningen]

    static func municipality(_ code: String, _ name: String, _ province: String, _ provinceName: String) -> Municipality {
        Municipality(code: MunicipalityCode(code)!, name: name, provinceCode: ProvinceCode(province)!, provinceName: provinceName)
    }

    /// Inserts ``all``.
    static func seedMunicipalities(_ store: Store) async throws {
        _ = try await store.municipalities.upsert(all, actor: actor)
    }

    static func kvk(_ n: Int) -> KvKNumber { KvKNumber(String(format: "%08ld", 50_000 + n))! }
    static func vestiging(_ n: Int) -> Vestigingsnummer { Vestigingsnummer(String(format: "%012ld", 990_000_000_000 + n))! }

    static func newSchool(_ n: Int, name: String? = nil, tradeNames: [String] = [], in municipality: Municipality = amsterdam,
                          routes: Set<Route> = [.b1Route, .zRoute], locations: [NewSchoolLocation] = []) -> NewSchool {
        NewSchool(name: name ?? "Fictieve Taalschool \(n) B.V.", tradeNames: tradeNames, kvkNumber: kvk(n),
                  municipalityCode: municipality.code, routes: routes, isFictional: true, locations: locations)
    }

    static func date(_ text: String) -> LocalDate { LocalDate(iso8601: text)! }

    static func range(_ from: String, _ until: String?) -> DateRange {
        DateRange(from: date(from), until: until.map(date))!
    }

    static func newSignal(_ municipality: Municipality = amsterdam, schoolId: UUID? = nil, kvk: KvKNumber? = nil,
                          receivedAt: Date? = nil, severity: SignalSeverity = .medium) -> NewSignal {
        NewSignal(municipalityCode: municipality.code, schoolId: schoolId, reportedSchoolName: "Fictieve Taalschool",
                  reportedKvkNumber: kvk, reportedPlace: "Amsterdam", category: .lessonsNotGiven, severity: severity,
                  observedFrom: date("2025-01-06"), observedUntil: date("2025-03-28"),
                  summary: "Lessen op het rooster vonden niet plaats.", source: .learnerComplaint, receivedAt: receivedAt)
    }

    /// An unannounced classroom visit on 2025-02-03 with one minor finding (norm 3.1).
    static let visitWithMinorFinding = NewVisit(kind: .classroom, announced: false, visitedOn: date("2025-02-03"), outcome: .minorFindings,
                                                findings: [NewFinding(normCode: "3.1", severity: .minor)])

    /// An instant given as ISO 8601 with offset, for example `2025-12-31T23:30:00Z`.
    static func instant(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }
}

/// The SQLSTATE of the PostgreSQL error `body` throws, `nil` when it throws nothing, or a
/// description of any other error.
func sqlState(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch let error as PSQLError {
        return error.serverInfo?[.sqlState] ?? "no SQLSTATE: \(String(reflecting: error))"
    } catch {
        return "not a PSQLError: \(String(reflecting: error))"
    }
}

/// The ``StoreError`` `body` throws, or `nil`.
func storeError(_ body: () async throws -> Void) async -> StoreError? {
    do {
        try await body()
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        Issue.record("expected a StoreError, got \(String(reflecting: error))")
        return nil
    }
}

/// Runs one statement and reads its whole result.
@discardableResult
func execute(_ client: PostgresClient, _ query: PostgresQuery) async throws -> [PostgresRow] {
    try await client.query(query).collect()
}
