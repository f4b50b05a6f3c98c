import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore

extension APIImplementation {
    func listVisits(_ input: Operations.ListVisits.Input) async throws -> Operations.ListVisits.Output {
        let school = try await existingSchool(input.path.id)
        return .ok(.init(body: .json(.init(items: try await store.visits.list(schoolId: school.id).map(Components.Schemas.SupervisionVisit.init)))))
    }

    func getVisit(_ input: Operations.GetVisit.Input) async throws -> Operations.GetVisit.Output {
        let id = try pathID(input.path.id, "visit")
        guard let visit = try await store.visits.get(id) else { throw Problem(.notFound, detail: "No visit with id \(id.text).") }
        return .ok(.init(body: .json(.init(visit))))
    }

    /// Records a visit with its findings. Outcome and findings must agree: `compliant` and
    /// `accessRefused` carry none, `minorFindings` at least one and no major one, `majorFindings` at least one major.
    func recordVisit(_ input: Operations.RecordVisit.Input) async throws -> Operations.RecordVisit.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send application/json.") }
        let school = try await existingSchool(input.path.id)
        var rules = InputRules()
        let visitDate = rules.requiredDate(body.visitedOn, "visitedOn")
        if let visitDate, visitDate > todayInAmsterdam() { rules.fail("visitedOn", "must not be in the future (Europe/Amsterdam)") }
        let location = rules.uuid(body.locationId, "locationId")
        var findings: [NewFinding] = []
        for (i, f) in body.findings.enumerated() {
            var code = rules.text(f.normCode, "findings[\(i)].normCode", max: 32, required: true)
            if let c = code, !NormCode.isValid(c) {
                rules.fail("findings[\(i)].normCode", NormCode.rule)
                code = nil
            }
            let note = rules.freeText(f.note, "findings[\(i)].note", max: 4000)
            if let code { findings.append(NewFinding(normCode: code, severity: f.severity.converted(), note: note)) }
        }
        if body.findings.count > 100 { rules.fail("findings", "must hold at most 100 findings") }
        let majors = body.findings.filter { $0.severity == .major }.count
        switch body.outcome {
        case .compliant, .accessRefused:
            if !body.findings.isEmpty { rules.fail("findings", "must be empty when the outcome is \(body.outcome.rawValue)") }
        case .minorFindings:
            if body.findings.isEmpty || majors > 0 { rules.fail("findings", "must hold at least one finding and no major one when the outcome is minorFindings") }
        case .majorFindings:
            if majors == 0 { rules.fail("findings", "must hold at least one major finding when the outcome is majorFindings") }
        }
        let visitedOn = try rules.checked(visitDate)
        let visit = try await store.visits.record(
            NewVisit(locationId: location, kind: body.kind.converted(), announced: body.announced, visitedOn: visitedOn,
                     outcome: body.outcome.converted(), findings: findings),
            schoolId: school.id, actor: try Principal.actor())
        return .created(.init(body: .json(.init(visit))))
    }
}
