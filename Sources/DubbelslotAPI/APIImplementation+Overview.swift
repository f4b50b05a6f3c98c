import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore

extension APIImplementation {
    /// The double-lock overview of one school on a business date, optionally for a route and contract period.
    func getSchoolOverview(_ input: Operations.GetSchoolOverview.Input) async throws -> Operations.GetSchoolOverview.Output {
        let q = input.query
        var rules = InputRules()
        let date = rules.date(q.date, "date") ?? todayInAmsterdam()
        let route = rules.enumValue(q.route, "route", as: Route.self)
        let from = rules.date(q.contractFrom, "contractFrom")
        let to = rules.date(q.contractTo, "contractTo")
        if q.contractTo != nil && q.contractFrom == nil { rules.fail("contractFrom", "is required with contractTo") }
        if let from, let to, to < from { rules.fail("contractTo", "must not be before contractFrom (both inclusive)") }
        try rules.throwIfAny()
        let school = try await existingSchool(input.path.id)
        let period = from.flatMap { DateRange(from: $0, until: to?.adding(days: 1)) }
        let evidence = try await store.evidence.evidence(schoolId: school.id)
        let assessment = assessor.assess(evidence, request: AssessmentRequest(date: date, route: route, contractPeriod: period))
        return .ok(.init(body: .json(.init(assessment, school: school, signals: SignalAggregate(evidence.signals, through: date)))))
    }

    /// Counts of the signals on a school, which every municipality may see (issue 4, "Signal visibility").
    func getSchoolSignalAggregate(_ input: Operations.GetSchoolSignalAggregate.Input) async throws -> Operations.GetSchoolSignalAggregate.Output {
        var rules = InputRules()
        let date = rules.date(input.query.date, "date") ?? todayInAmsterdam()
        try rules.throwIfAny()
        let school = try await existingSchool(input.path.id)
        let evidence = try await store.evidence.evidence(schoolId: school.id)
        return .ok(.init(body: .json(.init(SignalAggregate(evidence.signals, through: date)))))
    }

    /// Every school active in or near a municipality with its verdict, worst first (blocked, caution, clear; then score).
    func getMunicipalityOverview(_ input: Operations.GetMunicipalityOverview.Input) async throws -> Operations.GetMunicipalityOverview.Output {
        var rules = InputRules()
        let code = rules.municipality(input.query.municipality, "municipality")
        let route = rules.enumValue(input.query.route, "route", as: Route.self)
        let date = rules.date(input.query.date, "date") ?? todayInAmsterdam()
        try rules.throwIfAny()
        guard let municipality = try await store.municipalities.get(code!) else {
            throw Problem(.unknownReference, detail: "No municipality with code \(code!).",
                          errors: [FieldError(field: "municipality", rule: "must name an existing municipality")])
        }
        var schools = try await store.schools.near(municipality.code)
        if let route { schools = schools.filter { $0.routes.contains(route) } }
        let evidence = try await store.evidence.evidence(schoolIds: schools.map(\.id))
        let request = AssessmentRequest(date: date, route: route)
        let rank: [Verdict: Int] = [.blocked: 0, .caution: 1, .clear: 2]
        let items = schools.map { school in
            (school, assessor.assess(evidence[school.id] ?? RiskEvidence(schoolId: school.id, decisions: [], visits: [], signals: []), request: request))
        }.sorted { a, b in
            (rank[a.1.verdict]!, -a.1.oversight.score, a.0.name) < (rank[b.1.verdict]!, -b.1.oversight.score, b.0.name)
        }
        return .ok(.init(body: .json(.init(municipality: .init(municipality), date: date.description, route: route?.converted(),
                                           modelVersion: assessor.model.version,
                                           items: items.map { Components.Schemas.OverviewItem($0.1, school: $0.0) }))))
    }
}
