import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore

extension APIImplementation {
    func listQualityMarkDecisions(_ input: Operations.ListQualityMarkDecisions.Input) async throws -> Operations.ListQualityMarkDecisions.Output {
        let school = try await existingSchool(input.path.id)
        let items = try await store.qualityMarks.list(schoolId: school.id).map(Components.Schemas.QualityMarkDecision.init)
        return .ok(.init(body: .json(.init(items: items))))
    }

    /// Records a decision in force over `[validFrom, validUntil)`; overlapping another of the school's is a 409.
    func recordQualityMarkDecision(_ input: Operations.RecordQualityMarkDecision.Input) async throws -> Operations.RecordQualityMarkDecision.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send application/json.") }
        let school = try await existingSchool(input.path.id)
        var rules = InputRules()
        let from = rules.requiredDate(body.validFrom, "validFrom")
        let until = rules.date(body.validUntil, "validUntil")
        let decidedOn = rules.requiredDate(body.decidedOn, "decidedOn")
        if let from, let until, until <= from { rules.fail("validUntil", "must be after validFrom (the period is half-open: validUntil is the first day no longer covered)") }
        if let decidedOn, decidedOn > todayInAmsterdam() { rules.fail("decidedOn", "must not be in the future") }
        let reference = rules.text(body.reference, "reference", max: 64)
        let reason = rules.freeText(body.reason, "reason", max: 4000)
        let objection = rules.freeText(body.objection, "objection", max: 4000)
        try rules.throwIfAny()
        let decision = try await store.qualityMarks.record(
            NewQualityMarkDecision(status: body.status.converted(), validDuring: DateRange(from: from!, until: until)!, decidedOn: decidedOn!,
                                   reference: reference, reason: reason, objection: objection),
            schoolId: school.id, actor: try Principal.actor())
        return .created(.init(body: .json(.init(decision))))
    }
}
