import DubbelslotCore
import DubbelslotStore
import Foundation

/// Test data. Municipalities are real (CBS 2025 codes and provinces); schools are fictional.
///
/// Schools seeded through the store are flagged fictional and take KvK numbers from the documented
/// fictional range 00000001–00099999 (`00050nnn`). Schools registered through `POST /v1/schools` are
/// never flagged fictional (the contract says so), so their KvK numbers come from `00000nnn`, a range
/// no real Chamber of Commerce number uses.
enum APIFixtures {
    static let actor: RecordedBy = "cli:api-test"

    static let amsterdam = municipality("GM0363", "Amsterdam", "PV27", "Noord-Holland")
    static let amstelveen = municipality("GM0362", "Amstelveen", "PV27", "Noord-Holland")
    static let rotterdam = municipality("GM0599", "Rotterdam", "PV28", "Zuid-Holland")
    static let utrecht = municipality("GM0344", "Utrecht", "PV26", "Utrecht")
    static let municipalities = [amsterdam, amstelveen, rotterdam, utrecht]

    static func municipality(_ code: String, _ name: String, _ province: String, _ provinceName: String) -> Municipality {
        Municipality(code: MunicipalityCode(code)!, name: name, provinceCode: ProvinceCode(province)!, provinceName: provinceName)
    }

    static func seedMunicipalities(_ store: Store) async throws {
        _ = try await store.municipalities.upsert(municipalities, actor: actor)
    }

    /// One token per role; buyer and signaller act for Amsterdam.
    static func tokens(_ store: Store) async throws -> [Role: String] {
        var result: [Role: String] = [:]
        for role in Role.allCases {
            result[role] = try await token(store, role, municipality: role.needsMunicipality ? amsterdam : nil)
        }
        return result
    }

    /// A new token's secret.
    static func token(_ store: Store, _ role: Role, municipality: Municipality?) async throws -> String {
        try await store.tokens.create(role: role, municipality: municipality?.code,
                                      label: "API test \(role.rawValue)", actor: actor).secret
    }

    /// Fictional KvK number `00050nnn`.
    static func fictionalKvK(_ n: Int) -> KvKNumber { KvKNumber(String(format: "%08ld", 50_000 + n))! }

    /// KvK number `00000nnn`, for schools registered over HTTP.
    static func apiKvK(_ n: Int) -> String { String(format: "%08ld", n) }

    /// Registers "Taalschool Voorbeeld `n` B.V." (or `name`) through the store.
    @discardableResult
    static func school(_ store: Store, _ n: Int, name: String? = nil, tradeNames: [String] = [], in seat: Municipality = amsterdam,
                       routes: Set<Route> = [.b1Route, .zRoute], locationsIn: [Municipality] = []) async throws -> School {
        let locations = locationsIn.enumerated().map { i, m in
            NewSchoolLocation(municipalityCode: m.code, address: "Voorbeeldstraat \(n)-\(i + 1), \(m.name)")
        }
        return try await store.schools.create(
            NewSchool(name: name ?? "Taalschool Voorbeeld \(n) B.V.", tradeNames: tradeNames, kvkNumber: fictionalKvK(n),
                      municipalityCode: seat.code, routes: routes, isFictional: true, locations: locations),
            actor: actor)
    }

    /// Records a quality-mark decision through the store.
    @discardableResult
    static func mark(_ store: Store, _ school: School, _ status: QualityMarkStatus, from: LocalDate, until: LocalDate?) async throws -> QualityMarkDecision {
        try await store.qualityMarks.record(
            NewQualityMarkDecision(status: status, validDuring: DateRange(from: from, until: until)!, decidedOn: from.adding(days: -10)),
            schoolId: school.id, actor: actor)
    }

    /// Records a visit through the store; findings as the outcome needs them.
    @discardableResult
    static func visit(_ store: Store, _ school: School, _ kind: VisitKind = .classroom, on date: LocalDate,
                      outcome: VisitOutcome = .compliant) async throws -> SupervisionVisit {
        let findings: [NewFinding] =
            switch outcome {
            case .compliant, .accessRefused: []
            case .minorFindings: [NewFinding(normCode: "4.2", severity: .minor, note: "Presentielijst onvolledig.")]
            case .majorFindings: [NewFinding(normCode: "2.1", severity: .major, note: "Lessen niet gegeven.")]
            }
        return try await store.visits.record(
            NewVisit(kind: kind, announced: false, visitedOn: date, outcome: outcome, findings: findings),
            schoolId: school.id, actor: actor)
    }

    /// Records a signal through the store, optionally with a status other than `received`.
    @discardableResult
    static func signal(_ store: Store, from municipality: Municipality = amsterdam, about school: School?,
                       severity: SignalSeverity = .medium, status: SignalStatus = .received,
                       category: SignalCategory = .lessonsNotGiven,
                       summary: String = "Lessen op het rooster vonden niet plaats.") async throws -> FraudSignal {
        try await store.signals.record(
            NewSignal(municipalityCode: municipality.code, schoolId: school?.id, reportedSchoolName: school?.name ?? "Onbekende taalschool",
                      reportedKvkNumber: school?.kvkNumber, reportedPlace: municipality.name, category: category,
                      severity: severity, observedFrom: today.adding(days: -90), observedUntil: today.adding(days: -30),
                      summary: summary, source: .learnerComplaint, status: status),
            actor: actor)
    }

    /// Today in Europe/Amsterdam, as the service reckons it.
    static var today: LocalDate { LocalDate(instant: Date()) }

    /// A JSON document from a dictionary literal.
    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// A valid `NewSchool` body.
    static func newSchoolBody(_ n: Int, municipality: String = "GM0363") -> [String: Any] {
        ["name": "Taalschool Voorbeeld \(n) B.V.", "kvkNumber": apiKvK(n), "municipalityCode": municipality,
         "routes": ["zRoute", "b1Route"], "tradeNames": ["Voorbeeld Taal \(n)"],
         "locations": [["vestigingsnummer": String(format: "%012ld", n), "municipalityCode": "GM0362",
                        "address": "Voorbeeldweg \(n), 1181 AA Amstelveen"]]]
    }

    /// A valid `NewFraudSignal` body from Amsterdam.
    static func newSignalBody(schoolId: UUID? = nil, municipality: String = "GM0363") -> [String: Any] {
        var body: [String: Any] = [
            "municipalityCode": municipality, "reportedSchoolName": "Taalschool Voorbeeld 901 B.V.", "reportedKvkNumber": "00050901",
            "reportedPlace": "Amsterdam", "category": "kickbacks", "severity": "medium",
            "observedFrom": today.adding(days: -60).description, "observedUntil": today.adding(days: -10).description,
            "summary": "Cursisten kregen geld om te tekenen.", "source": "learnerComplaint",
        ]
        if let schoolId { body["schoolId"] = schoolId.uuidString.lowercased() }
        return body
    }

    /// A valid `NewQualityMarkDecision` body.
    static func newDecisionBody(_ status: String = "grantedFixedTerm", from: LocalDate, until: LocalDate?) -> [String: Any] {
        var body: [String: Any] = ["status": status, "validFrom": from.description, "decidedOn": from.adding(days: -14).description,
                                   "reference": "BOW-2026-0901", "reason": "Alle normen beoordeeld."]
        if let until { body["validUntil"] = until.description }
        return body
    }

    /// A valid `NewSupervisionVisit` body with one minor finding.
    static func newVisitBody(on date: LocalDate, locationId: UUID? = nil) -> [String: Any] {
        var body: [String: Any] = ["kind": "classroom", "announced": false, "visitedOn": date.description, "outcome": "minorFindings",
                                   "findings": [["normCode": "4.2", "severity": "minor", "note": "Presentielijst onvolledig."]]]
        if let locationId { body["locationId"] = locationId.uuidString.lowercased() }
        return body
    }
}

extension UUID {
    /// Lower-case text, as the service writes ids.
    var text: String { uuidString.lowercased() }
}
