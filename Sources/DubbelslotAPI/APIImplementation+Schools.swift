import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation

extension APIImplementation {
    func listSchools(_ input: Operations.ListSchools.Input) async throws -> Operations.ListSchools.Output {
        var rules = InputRules()
        let q = input.query
        let text = rules.text(q.q, "q", max: 100)
        let kvk = rules.kvk(q.kvkNumber, "kvkNumber")
        let municipality = rules.municipality(q.municipality, "municipality")
        let route = q.route?.converted(to: Route.self)
        let after = q.cursor.flatMap { c -> UUID? in
            guard let id = UUID(strict: c) else { rules.fail("cursor", "must be a nextCursor value from a previous page"); return nil }
            return id
        }
        let limit = rules.limit(q.limit)
        try rules.throwIfAny()
        let page = try await store.schools.search(SchoolQuery(text: text, kvkNumber: kvk, municipality: municipality, route: route, after: after, limit: limit))
        return .ok(.init(body: .json(.init(items: page.schools.map(Components.Schemas.School.init), nextCursor: page.nextCursor?.text))))
    }

    func getSchool(_ input: Operations.GetSchool.Input) async throws -> Operations.GetSchool.Output {
        .ok(.init(body: .json(.init(try await existingSchool(input.path.id)))))
    }

    func createSchool(_ input: Operations.CreateSchool.Input) async throws -> Operations.CreateSchool.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send application/json.") }
        var rules = InputRules()
        // The field rules are SchoolFieldRules, shared with the register's CSV import.
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        rules.add(SchoolFieldRules.nameErrors(name, field: "name"))
        let parsedKvk = rules.kvk(body.kvkNumber, "kvkNumber")
        let parsedSeat = rules.municipality(body.municipalityCode, "municipalityCode")
        if body.routes.isEmpty { rules.fail("routes", "must name at least one route") }
        if Set(body.routes).count != body.routes.count { rules.fail("routes", "must not repeat a route") }
        let tradeNames = (body.tradeNames ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        rules.add(SchoolFieldRules.tradeNameErrors(tradeNames))
        var locations: [NewSchoolLocation] = []
        for (i, l) in (body.locations ?? []).enumerated() {
            let number = rules.vestigingsnummer(l.vestigingsnummer, "locations[\(i)].vestigingsnummer")
            let m = rules.municipality(l.municipalityCode, "locations[\(i)].municipalityCode")
            let address = l.address.trimmingCharacters(in: .whitespacesAndNewlines)
            let addressErrors = SchoolFieldRules.nameErrors(address, field: "locations[\(i)].address")
            rules.add(addressErrors)
            if let m, addressErrors.isEmpty { locations.append(NewSchoolLocation(vestigingsnummer: number, municipalityCode: m, address: address)) }
        }
        if (body.locations?.count ?? 0) > SchoolFieldRules.maximumLocations {
            rules.fail("locations", "must hold at most \(SchoolFieldRules.maximumLocations) locations")
        }
        let (kvk, seat) = try rules.checked(parsedKvk, parsedSeat)
        // Name the exact field of an unknown municipality (the database only knows which constraint broke).
        var unknown: [FieldError] = []
        let known = Set(try await store.municipalities.list().map(\.code))
        if !known.contains(seat) { unknown.append(FieldError(field: "municipalityCode", rule: "must name an existing municipality")) }
        for (i, l) in locations.enumerated() where !known.contains(l.municipalityCode) {
            unknown.append(FieldError(field: "locations[\(i)].municipalityCode", rule: "must name an existing municipality"))
        }
        if !unknown.isEmpty { throw Problem(.unknownReference, detail: "A municipality code names no known municipality.", errors: unknown) }
        let school = try await store.schools.create(
            NewSchool(name: name, tradeNames: tradeNames, kvkNumber: kvk, municipalityCode: seat,
                      routes: Set(body.routes.map { $0.converted(to: Route.self) }), isFictional: false, locations: locations),
            actor: try Principal.actor())
        return .created(.init(body: .json(.init(school))))
    }
}
