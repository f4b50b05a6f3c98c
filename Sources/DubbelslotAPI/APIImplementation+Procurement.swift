import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import OpenAPIRuntime

extension APIImplementation {
    /// The canonical form of a shown assessment: its JSON with sorted keys, the school's reply texts
    /// left out (their ids stay: retention may remove a reply's text later, and an immutable check must
    /// neither keep it nor stop being reproducible when it goes). Stored byte for byte with a
    /// procurement check and compared byte for byte when the check is read.
    static func canonicalJSON(_ shown: Components.Schemas.DoubleLockOverview) throws -> String {
        var overview = shown
        overview.replies = shown.replies.map { var r = $0; r.reply = ""; return r }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            // Microseconds, as PostgreSQL keeps instants, so a stored cut-off reads back identical.
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            var container = encoder.singleValueContainer()
            try container.encode(formatter.string(from: date))
        }
        return String(decoding: try encoder.encode(overview), as: UTF8.self)
    }

    /// The canonical form without the school's descriptive details (name, KvK number, seat), which
    /// the registry may correct later; the school's id stays. Reproducibility is judged on this.
    ///
    /// - Parameter shape: the stored form, when `canonical` is a re-derivation: fields the contract
    ///   gained after the check was stored (the rules and parameters behind each reason, for
    ///   example) are left out, so that what the buyer was shown is compared with what it re-derives
    ///   to, field for field, and an older check stays reproducible.
    static func judgedForm(_ canonical: String, shape: String? = nil) -> String? {
        guard var object = try? JSONSerialization.jsonObject(with: Data(canonical.utf8)) as? [String: Any],
              let school = object["school"] as? [String: Any] else { return nil }
        object["school"] = ["id": school["id"] ?? ""]
        if let shape, let stored = try? JSONSerialization.jsonObject(with: Data(shape.utf8)) as? [String: Any],
           let projected = project(object, like: stored) as? [String: Any] {
            object = projected
            object["school"] = ["id": school["id"] ?? ""]
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// `value` with only the object keys `shape` has, recursively (arrays element by element).
    private static func project(_ value: Any, like shape: Any) -> Any {
        if let object = value as? [String: Any], let shapeObject = shape as? [String: Any] {
            var result: [String: Any] = [:]
            for (key, inner) in object { if let innerShape = shapeObject[key] { result[key] = project(inner, like: innerShape) } }
            return result
        }
        if let array = value as? [Any], let shapeArray = shape as? [Any], array.count == shapeArray.count {
            return zip(array, shapeArray).map { project($0, like: $1) }
        }
        return value
    }

    /// 2000-01-01 through 2099-12-31: a contract date or a reply's date outside it is a typing error.
    static let plausibleDates: ClosedRange<LocalDate> = {
        guard let first = LocalDate(year: 2000, month: 1, day: 1), let last = LocalDate(year: 2099, month: 12, day: 31) else {
            preconditionFailure("2000-01-01 and 2099-12-31 are dates")
        }
        return first...last
    }()

    func createProcurementCheck(_ input: Operations.CreateProcurementCheck.Input) async throws -> Operations.CreateProcurementCheck.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send application/json.") }
        let principal = try Principal.required()
        var rules = InputRules()
        let schoolId = rules.uuid(body.schoolId, "schoolId")
        let route = rules.enumValue(body.route, "route", as: Route.self)
        let from = rules.date(body.contractFrom, "contractFrom")
        let to = rules.date(body.contractTo, "contractTo")
        let date = rules.date(body.date, "date") ?? todayInAmsterdam()
        // A check is kept for good: dates outside any plausible contract are typing errors.
        let plausible = Self.plausibleDates
        if let from, !plausible.contains(from) { rules.fail("contractFrom", "must be between 2000-01-01 and 2099-12-31") }
        if let to, !plausible.contains(to) { rules.fail("contractTo", "must be between 2000-01-01 and 2099-12-31") }
        if !plausible.contains(date) { rules.fail("date", "must be between 2000-01-01 and 2099-12-31") }
        if let from, let to, to < from { rules.fail("contractTo", "must not be before contractFrom (both inclusive)") }
        let location = rules.uuid(body.locationId, "locationId")
        let (requestedSchool, contractFrom) = try rules.checked(schoolId, from)
        try Self.checkIdempotencyKey(input.headers.idempotencyKey)
        guard let municipality = principal.municipalityCode, Principal.visible.contains(municipality) else {
            throw Problem(.forbidden, detail: "A procurement check is recorded for the token's own municipality; this token has none.")
        }
        guard let school = try await store.schools.get(requestedSchool) else {
            throw Problem(.notFound, detail: "No school with id \(requestedSchool.text).")
        }
        try Self.requireLocation(location, of: school)
        let asOf = Self.milliseconds(Date())
        let request = AssessmentRequest(date: date, route: route, contractPeriod: DateRange(from: contractFrom, until: to?.adding(days: 1)),
                                        locationId: location)
        // Stored in English with every reason's rule and parameters; shown in the language asked.
        let shown = try await assess(school, request, asOf: asOf)
        let canonical = try Self.canonicalJSON(shown.overview)
        let check = try await store.procurementChecks.record(
            NewProcurementCheck(municipalityCode: municipality, schoolId: school.id, route: route, contractFrom: contractFrom, contractTo: to,
                                asOf: asOf, assessedOn: date, modelVersion: shown.model.version, inputSHA256: shown.inputDigest,
                                verdict: shown.assessment.verdict, assessment: canonical, locationId: location,
                                idempotency: try input.headers.idempotencyKey.map { .init(key: $0, requestSHA256: try Self.requestHash(body)) }),
            actor: try Principal.actor())
        let language = TextLanguage(acceptLanguage: input.headers.acceptLanguage)
        return .created(.init(body: .json(try .init(check, reproducible: nil, language: language,
                                                   readableSignals: try await readableSignalIds(in: check)))))
    }

    /// A check the caller may see: its municipality must be in the caller's scope.
    func visibleCheck(_ idText: String) async throws -> ProcurementCheck {
        let id = try pathID(idText, "procurement check")
        guard let check = try await store.procurementChecks.get(id) else { throw Problem(.notFound, detail: "No procurement check with id \(id.text).") }
        guard Principal.visible.contains(check.check.municipalityCode) else {
            throw Problem(.forbidden, detail: "This procurement check belongs to another municipality.")
        }
        return check
    }

    func getProcurementCheck(_ input: Operations.GetProcurementCheck.Input) async throws -> Operations.GetProcurementCheck.Output {
        let check = try await visibleCheck(input.path.id)
        let language = TextLanguage(acceptLanguage: input.headers.acceptLanguage)
        return .ok(.init(body: .json(try .init(check, reproducible: try await reproducible(check), language: language,
                                               readableSignals: try await readableSignalIds(in: check)))))
    }

    /// The ids of the signals a stored check rests on that the caller may read in full (as `getSignal`
    /// would let it); a signal removed since is not among them.
    func readableSignalIds(in check: ProcurementCheck) async throws -> Set<String> {
        guard let principal = Principal.current,
              let scope = try await AuthMiddleware.visibleMunicipalities(principal, operationID: "getSignal", municipalities: store.municipalities)
        else { return [] }
        let overview = try JSONDecoder.iso8601Fractional.decode(Components.Schemas.DoubleLockOverview.self, from: Data(check.check.assessment.utf8))
        let ids = overview.namedIds.compactMap { UUID(strict: $0) }
        return Set(try await store.signals.municipalities(of: ids).filter { scope.contains($0.value) }.map(\.key.text))
    }

    /// Re-derives the check's assessment from its stored cut-off, business date, route, period and
    /// model version, and compares the canonical forms (school details excepted).
    func reproducible(_ check: ProcurementCheck) async throws -> Bool {
        let c = check.check
        guard let school = try await store.schools.get(c.schoolId), let model = try await store.riskModels.get(version: c.modelVersion) else { return false }
        let request = AssessmentRequest(date: c.assessedOn, route: c.route,
                                        contractPeriod: DateRange(from: c.contractFrom, until: c.contractTo?.adding(days: 1)),
                                        locationId: c.locationId)
        let again = try await assess(school, request, asOf: c.asOf, model: model)
        guard again.inputDigest == c.inputSHA256 else { return false }
        guard let stored = Self.judgedForm(c.assessment),
              let derived = Self.judgedForm(try Self.canonicalJSON(again.overview), shape: c.assessment) else { return false }
        return stored == derived
    }

    func recordProcurementDecision(_ input: Operations.RecordProcurementDecision.Input) async throws -> Operations.RecordProcurementDecision.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send application/json.") }
        var rules = InputRules()
        let kind = rules.enumValue(body.decision, "decision", as: ProcurementDecisionKind.self)
        let reason = rules.freeText(body.reason, "reason", max: 4000)
        let decision = try rules.checked(kind)
        let check = try await visibleCheck(input.path.id)
        if decision.needsReason(verdict: check.check.verdict) && reason == nil {
            throw Problem.invalid("reason", "is required when the decision (\(decision.rawValue)) goes against the verdict (\(check.check.verdict.rawValue))")
        }
        do {
            let decided = try await store.procurementChecks.decide(check.id, decision, reason: reason, actor: try Principal.actor())
            return .created(.init(body: .json(try .init(decided, reproducible: nil, readableSignals: try await readableSignalIds(in: decided)))))
        } catch let error as StoreError where error.kind == .duplicate {
            throw Problem(.conflict, detail: "A decision on this check was recorded before; checks and decisions are never changed.")
        }
    }

    func getRiskModel(_ input: Operations.GetRiskModel.Input) async throws -> Operations.GetRiskModel.Output {
        let stored: StoredRiskModel
        if let version = input.query.version {
            guard let found = try await store.riskModels.get(version: version) else { throw Problem(.notFound, detail: "No risk model with that version.") }
            stored = found
        } else {
            stored = try await modelInForce(at: Date(), field: "version")
        }
        let history = try await store.riskModels.all()
        let card = ModelCard(model: stored.model, status: stored.status.rawValue, contentSHA256: stored.contentSHA256, history: history.map {
            ModelCard.Version(version: $0.version, status: $0.status.rawValue, publishedAt: $0.publishedAt, retiredAt: $0.retiredAt,
                              contentSHA256: $0.contentSHA256)
        })
        let weightsJSON = try JSONEncoder().encode(stored.model)
        let weights = try JSONDecoder().decode(OpenAPIRuntime.OpenAPIObjectContainer.self, from: weightsJSON)
        return .ok(.init(body: .json(.init(
            version: stored.version, status: stored.status.rawValue, publishedAt: stored.publishedAt, contentSha256: stored.contentSHA256,
            purpose: ModelCard.purpose, users: ModelCard.users, inputs: ModelCard.inputs.map { .init(input: $0.0, source: $0.1) },
            weights: .init(additionalProperties: weights), neverUses: ModelCard.neverUses, knownLimits: ModelCard.knownLimits,
            humanOversight: ModelCard.humanOversight,
            history: card.history.map { .init(version: $0.version, status: $0.status, publishedAt: $0.publishedAt, retiredAt: $0.retiredAt,
                                              contentSha256: $0.contentSHA256) },
            markdown: card.markdown()))))
    }

    func recordReply(_ input: Operations.RecordReply.Input) async throws -> Operations.RecordReply.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send application/json.") }
        var rules = InputRules()
        let kind = rules.enumValue(body.subjectKind, "subjectKind", as: ReplySubjectKind.self)
        let subject = rules.uuid(body.subjectId, "subjectId")
        let reply = rules.freeText(body.reply, "reply", max: 4000, required: true)
        let received = rules.requiredDate(body.receivedOn, "receivedOn")
        if let received, received > todayInAmsterdam() { rules.fail("receivedOn", "must not be in the future") }
        if let received, received < Self.plausibleDates.lowerBound { rules.fail("receivedOn", "must not be before 2000-01-01") }
        let (subjectKind, subjectId, text, receivedOn) = try rules.checked(kind, subject, reply, received)
        let stored = try await store.replies.record(subjectKind, subjectId: subjectId, reply: text, receivedOn: receivedOn, actor: try Principal.actor())
        return .created(.init(body: .json(.init(stored))))
    }
}

extension Components.Schemas.ProcurementCheck {
    /// - Parameter language: the language the stored reasons are shown in; rewritten from their stored
    ///   rules and parameters (a check stored before those were kept is shown as stored).
    /// - Parameter readableSignals: the signals the caller may read in full; what it may not read of
    ///   the others is withheld (``Components/Schemas/DoubleLockOverview/withholding(signalsExcept:language:)``).
    init(_ p: ProcurementCheck, reproducible: Bool?, language: TextLanguage = .english, readableSignals: Set<String>) throws {
        let c = p.check
        var assessment = try JSONDecoder.iso8601Fractional.decode(Components.Schemas.DoubleLockOverview.self, from: Data(c.assessment.utf8))
        if language != .english { assessment = assessment.rendered(in: language) }
        assessment = assessment.withholding(signalsExcept: readableSignals, language: language)
        self.init(id: p.id.text, municipalityCode: c.municipalityCode.rawValue, schoolId: c.schoolId.text, route: c.route?.converted(),
                  contractFrom: c.contractFrom.description, contractTo: c.contractTo?.description, locationId: c.locationId?.text,
                  asOf: c.asOf, date: c.assessedOn.description,
                  modelVersion: c.modelVersion, inputDigest: c.inputSHA256, verdict: c.verdict.converted(), assessment: assessment,
                  decision: p.decision.map { .init(decision: $0.decision.converted(), reason: $0.reason, recordedAt: $0.recordedAt,
                                                   recordedBy: $0.recordedBy) },
                  reproducible: reproducible, recordedAt: p.recordedAt, recordedBy: p.recordedBy)
    }
}

extension JSONDecoder {
    /// Reads the instants ``APIImplementation/canonicalJSON(_:)`` writes.
    static var iso8601Fractional: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            guard let date = formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 instant"))
            }
            return date
        }
        return decoder
    }
}

extension Components.Schemas.DoubleLockOverview {
    /// The overview with every reason and explanation that carries its rule and parameters written
    /// anew in `language`; texts without parameters (stored before they were kept) stay as they are.
    func rendered(in language: TextLanguage) -> Self {
        var copy = self
        if let details = qualityMark.reasonDetails, details.count == qualityMark.reasons.count {
            copy.qualityMark.reasons = details.map { Explanation($0.rule, $0.parameters.additionalProperties).text(language) }
        }
        copy.oversight.contributions = oversight.contributions.map { c in
            guard let p = c.parameters else { return c }
            var c = c
            c.explanation = Explanation(c.rule, p.additionalProperties).text(language)
            return c
        }
        copy.oversight.hardBlocks = oversight.hardBlocks.map { b in
            guard let p = b.parameters else { return b }
            var b = b
            b.explanation = Explanation(b.rule, p.additionalProperties).text(language)
            return b
        }
        return copy
    }
}
