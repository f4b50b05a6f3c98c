import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation

extension APIImplementation {
    func listQualityMarkDecisions(_ input: Operations.ListQualityMarkDecisions.Input) async throws -> Operations.ListQualityMarkDecisions.Output {
        let school = try await existingSchool(input.path.id)
        let items = try await store.qualityMarks.list(schoolId: school.id).map(Components.Schemas.QualityMarkDecision.init)
        return .ok(.init(body: .json(.init(items: items))))
    }

    /// Records a decision in force over `[validFrom, validUntil)` for the school or one location; it
    /// supersedes the decision in force on `validFrom` as ``QualityMarkLifecycle`` allows (409 otherwise).
    func recordQualityMarkDecision(_ input: Operations.RecordQualityMarkDecision.Input) async throws -> Operations.RecordQualityMarkDecision.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send application/json.") }
        let school = try await existingSchool(input.path.id)
        var rules = InputRules()
        let from = rules.requiredDate(body.validFrom, "validFrom")
        let until = rules.date(body.validUntil, "validUntil")
        let decidedOn = rules.requiredDate(body.decidedOn, "decidedOn")
        let location = rules.uuid(body.locationId, "locationId")
        if let from, let until, until <= from { rules.fail("validUntil", "must be after validFrom (the period is half-open: validUntil is the first day no longer covered)") }
        if let decidedOn, decidedOn > todayInAmsterdam() { rules.fail("decidedOn", "must not be in the future") }
        // The mark exists since 2019 and a decision is for years, not centuries: other dates are typing errors.
        let plausible = QualityMarkImportRules.plausibleDates
        if let from, !plausible.contains(from) { rules.fail("validFrom", "must be between 2000-01-01 and 2099-12-31") }
        if let until, !plausible.contains(until) { rules.fail("validUntil", "must be between 2000-01-01 and 2099-12-31") }
        let reference = rules.text(body.reference, "reference", max: 64)
        let reason = rules.freeText(body.reason, "reason", max: 4000)
        let objection = rules.freeText(body.objection, "objection", max: 4000)
        try rules.throwIfAny()
        guard let from, let decidedOn, let period = DateRange(from: from, until: until) else { throw Problem.invalid("validFrom", "is required") }
        if let location, !school.locations.contains(where: { $0.id == location }) {
            throw Problem(.unknownReference, detail: "The school has no location with that id.",
                          errors: [FieldError(field: "locationId", rule: "must name one of the school's locations")])
        }
        let decision = try await store.qualityMarks.record(
            NewQualityMarkDecision(status: body.status.converted(), validDuring: period, decidedOn: decidedOn, locationId: location,
                                   reference: reference, reason: reason, objection: objection),
            schoolId: school.id, actor: try Principal.actor())
        return .created(.init(body: .json(.init(decision))))
    }

    /// Rectifies a decision recorded in error (rectificatie): kept with its reason, it counts for nothing from now on.
    func rectifyQualityMarkDecision(_ input: Operations.RectifyQualityMarkDecision.Input) async throws -> Operations.RectifyQualityMarkDecision.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send application/json.") }
        let school = try await existingSchool(input.path.id)
        let decisionId = try pathID(input.path.decisionId, "quality-mark decision")
        var rules = InputRules()
        let reason = rules.freeText(body.reason, "reason", max: 4000, required: true)
        try rules.throwIfAny()
        do {
            let decision = try await store.qualityMarks.rectify(decisionId: decisionId, schoolId: school.id, reason: reason ?? "",
                                                                actor: try Principal.actor())
            return .created(.init(body: .json(.init(decision))))
        } catch let error as StoreError where error.kind == .notFound {
            throw Problem(.notFound, detail: "The school has no quality-mark decision with id \(decisionId.text).")
        }
    }
}
