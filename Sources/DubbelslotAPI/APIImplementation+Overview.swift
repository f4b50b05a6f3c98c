import Crypto
import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import Logging

/// One school's assessment as the API shows it, with what it rests on.
struct ShownAssessment {
    /// The whole overview, as a procurement check stores it; ``shown`` is what the caller may see of it.
    let overview: Components.Schemas.DoubleLockOverview
    let assessment: Assessment
    let model: StoredRiskModel
    let inputDigest: String
    /// The reporting municipality of each signal the overview names (contributions, hard blocks,
    /// replies), by lowercase id: what withholding asks about.
    let signalMunicipalities: [String: MunicipalityCode]
    /// The signals of the evidence the caller may read in full (`getSignal` of its municipalities).
    let readableSignals: Set<String>
    /// The language of the overview's reasons and explanations.
    let language: TextLanguage

    /// The overview with what the caller may not read of other municipalities' signals withheld.
    var shown: Components.Schemas.DoubleLockOverview { overview.withholding(signalsExcept: readableSignals, language: language) }
}

extension APIImplementation {
    /// Publishes the configured model when no version is published yet, so a new database has a
    /// model in force from its first start (docs/decisions/0015-risk-model-versions-and-model-card.md). Later
    /// versions are published explicitly with `dubbelslot model publish`.
    public func publishConfiguredModelIfNone() async throws {
        if try await store.riskModels.current(at: Date.distantFuture) == nil {
            try await store.riskModels.publish(configuredModel, actor: "cli:bootstrap")
            logger.info("published the configured risk model", metadata: ["version": "\(configuredModel.version)"])
        }
    }

    /// `instant` rounded down to whole milliseconds, the precision of instants in answers.
    static func milliseconds(_ instant: Date) -> Date {
        Date(timeIntervalSince1970: (instant.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    /// The version in force at `instant`.
    /// - Throws: a 400 naming `field` when no version was published yet at that instant.
    func modelInForce(at instant: Date, field: String = "asOf") async throws -> StoredRiskModel {
        guard let model = try await store.riskModels.current(at: instant) else {
            throw Problem.invalid(field, "must not be before the first risk model was published")
        }
        return model
    }

    /// Assesses `school` on `request` with what was known at `asOf`, under `model` (default: the
    /// version in force at `asOf`), its reasons worded in `language`.
    func assess(_ school: School, _ request: AssessmentRequest, asOf: Date, model given: StoredRiskModel? = nil,
                language: TextLanguage = .english) async throws -> ShownAssessment {
        let model: StoredRiskModel
        if let given { model = given } else { model = try await modelInForce(at: asOf) }
        let evidence = try await store.evidence.evidence(schoolId: school.id, asOf: asOf)
        let assessment = RiskAssessor(model: model.model).assess(evidence, request: request)
        let digest = SHA256.hash(data: Data(evidence.canonicalText.utf8)).lowercaseHex
        // Only replies about evidence this overview rests on.
        let signalIds = Set(evidence.signals.map(\.id))
        let findingIds = Set(evidence.visits.flatMap { $0.findings.map(\.id) })
        let replies = try await store.replies.forSchool(school.id, asOf: asOf).filter {
            $0.subjectKind == .signal ? signalIds.contains($0.subjectId) : findingIds.contains($0.subjectId)
        }
        let overview = Components.Schemas.DoubleLockOverview(
            assessment, school: school, signals: SignalAggregate(evidence.signals, through: request.date), asOf: asOf,
            inputDigest: digest, replies: replies.map(Components.Schemas.SchoolReply.init), language: language)
        let named = overview.namedIds
        var municipalities: [String: MunicipalityCode] = [:]
        for signal in evidence.signals where named.contains(signal.id.text) { municipalities[signal.id.text] = signal.municipalityCode }
        return ShownAssessment(overview: overview, assessment: assessment, model: model, inputDigest: digest,
                               signalMunicipalities: municipalities, readableSignals: try await readableSignalIds(municipalities),
                               language: language)
    }

    /// The municipalities whose signals the caller may read in full, as `getSignal` would let it;
    /// `nil` when it may read none.
    func signalReadingScope() async throws -> MunicipalityScope? {
        guard let principal = Principal.current else { return nil }
        return try await AuthMiddleware.visibleMunicipalities(principal, operationID: "getSignal", municipalities: store.municipalities)
    }

    /// The ids among `signalMunicipalities` (lowercase id → reporting municipality) that the caller
    /// may read in full: as `getSignal` would let it.
    func readableSignalIds(_ signalMunicipalities: [String: MunicipalityCode]) async throws -> Set<String> {
        Self.readable(signalMunicipalities, by: try await signalReadingScope())
    }

    /// The ids among `signalMunicipalities` (lowercase id → reporting municipality) that a caller
    /// reading the signals of `scope` may read.
    static func readable(_ signalMunicipalities: [String: MunicipalityCode], by scope: MunicipalityScope?) -> Set<String> {
        guard let scope else { return [] }
        return Set(signalMunicipalities.filter { scope.contains($0.value) }.keys)
    }

    /// The overview of `school` now for `request` as the caller may see it: from ``KeptOverviews``
    /// while the school's evidence holds, else assessed and kept. `asOf` is the instant it states.
    func overviewNow(_ school: School, _ request: AssessmentRequest, asOf: Date,
                     language: TextLanguage) async throws -> Components.Schemas.DoubleLockOverview {
        let model = try await modelInForce(at: asOf)
        let key = KeptOverviews.Key(schoolId: school.id, modelVersion: model.version, request: request, language: language)
        // Read before the evidence, so an overview is never kept under a generation newer than its evidence.
        let generation = try await store.evidence.generations(of: [school.id])[school.id] ?? 0
        let scope = try await signalReadingScope()
        if var overview = keptOverviews.get(key, generation: generation, school: school, readable: scope) {
            overview.asOf = asOf
            return overview
        }
        let shown = try await assess(school, request, asOf: asOf, model: model, language: language)
        // Kept in the form this caller is shown, when it is one of the two forms kept.
        keptOverviews.put(key, generation: generation, school: school, namedMunicipalities: Set(shown.signalMunicipalities.values),
                          withheldFromAll: shown.readableSignals.isEmpty ? shown.shown : nil,
                          whole: shown.readableSignals.count == shown.signalMunicipalities.count ? shown.overview : nil)
        return shown.shown
    }

    /// The bytes of the overview of now of school `schoolId` for today, without route, contract
    /// period or location, in the language `acceptLanguage` asks for, when ``KeptOverviews`` holds
    /// them for the caller as they are (``KeptOverviews/answer(_:generation:school:readable:asOf:)``):
    /// byte for byte what ``getSchoolOverview(_:)`` would answer. `nil` when it does not, or when
    /// the school is unknown or no model is in force: the handler then answers.
    func keptOverviewAnswer(schoolId: UUID, acceptLanguage: String?) async throws -> Data? {
        let asOf = Self.milliseconds(Date())
        guard let school = try await store.schools.get(schoolId), let model = try await store.riskModels.current(at: asOf) else { return nil }
        let request = AssessmentRequest(date: todayInAmsterdam(), route: nil, contractPeriod: nil, locationId: nil)
        let key = KeptOverviews.Key(schoolId: school.id, modelVersion: model.version, request: request,
                                    language: TextLanguage(acceptLanguage: acceptLanguage))
        let generation = try await store.evidence.generations(of: [school.id])[school.id] ?? 0
        return keptOverviews.answer(key, generation: generation, school: school, readable: try await signalReadingScope(), asOf: asOf)
    }

    /// The double-lock overview of one school on a business date, optionally for a route and contract
    /// period, as known at `asOf`, optionally beside a shadow model's.
    func getSchoolOverview(_ input: Operations.GetSchoolOverview.Input) async throws -> Operations.GetSchoolOverview.Output {
        let q = input.query
        var rules = InputRules()
        let date = rules.date(q.date, "date") ?? todayInAmsterdam()
        let route = q.route?.converted(to: Route.self)
        let from = rules.date(q.contractFrom, "contractFrom")
        let to = rules.date(q.contractTo, "contractTo")
        // Now, to the millisecond the answer shows, so the answer can be asked again with its own `asOf`.
        let asOf = rules.instant(q.asOf, "asOf") ?? Self.milliseconds(Date())
        if q.contractTo != nil && q.contractFrom == nil { rules.fail("contractFrom", "is required with contractTo") }
        if let from, let to, to < from { rules.fail("contractTo", "must not be before contractFrom (both inclusive)") }
        if let v = q.shadowModel, v.isEmpty || v.count > 50 { rules.fail("shadowModel", "must be a stored model version") }
        let location = rules.uuid(q.locationId, "locationId")
        try rules.throwIfAny()
        let school = try await existingSchool(input.path.id)
        try Self.requireLocation(location, of: school)
        let language = TextLanguage(acceptLanguage: input.headers.acceptLanguage)
        let period = from.flatMap { DateRange(from: $0, until: to?.adding(days: 1)) }
        let request = AssessmentRequest(date: date, route: route, contractPeriod: period, locationId: location)
        // Now and without a shadow: the kept overview while the school's evidence holds.
        if q.asOf == nil && q.shadowModel == nil {
            return .ok(.init(body: .json(try await overviewNow(school, request, asOf: asOf, language: language))))
        }
        var shown = try await assess(school, request, asOf: asOf, language: language)
        if let version = q.shadowModel {
            guard let shadowModel = try await store.riskModels.get(version: version) else {
                throw Problem(.unknownReference, detail: "No risk model with that version.",
                              errors: [FieldError(field: "shadowModel", rule: "must be a stored model version")])
            }
            let shadow = try await assess(school, request, asOf: asOf, model: shadowModel, language: language)
            var overview = shown.overview
            overview.shadow = .init(current: shown.assessment, shadow: shadow.assessment, status: shadowModel.status.rawValue)
            shown = ShownAssessment(overview: overview, assessment: shown.assessment, model: shown.model, inputDigest: shown.inputDigest,
                                    signalMunicipalities: shown.signalMunicipalities, readableSignals: shown.readableSignals,
                                    language: language)
        }
        return .ok(.init(body: .json(shown.shown)))
    }

    /// - Throws: a 422 naming `locationId` when `location` is not one of `school`'s locations.
    static func requireLocation(_ location: UUID?, of school: School) throws {
        if let location, !school.locations.contains(where: { $0.id == location }) {
            throw Problem(.unknownReference, detail: "The school has no location with that id.",
                          errors: [FieldError(field: "locationId", rule: "must name one of the school's locations")])
        }
    }

    /// Counts of the signals on a school, which every municipality may see
    /// (docs/decisions/0011-one-access-policy-and-signal-visibility.md).
    func getSchoolSignalAggregate(_ input: Operations.GetSchoolSignalAggregate.Input) async throws -> Operations.GetSchoolSignalAggregate.Output {
        var rules = InputRules()
        let date = rules.date(input.query.date, "date") ?? todayInAmsterdam()
        try rules.throwIfAny()
        let school = try await existingSchool(input.path.id)
        let evidence = try await store.evidence.evidence(schoolId: school.id)
        return .ok(.init(body: .json(.init(SignalAggregate(evidence.signals, through: date)))))
    }

    /// The verdict of today (Europe/Amsterdam) of each of `schools` for `route`, under the model in
    /// force now: the verdict `getSchoolOverview` gives without a date.
    func verdictsToday(of schools: [School], route: Route?) async throws -> [UUID: Verdict] {
        guard !schools.isEmpty else { return [:] }
        let rows = try await assessedNow(schools, date: todayInAmsterdam(), route: route, model: try await modelInForce(at: Date()))
        return Dictionary(rows.map { ($0.0.id, $0.1.verdict) }, uniquingKeysWith: { a, _ in a })
    }

    /// Each of `schools` assessed on the evidence of now for `date` and `route` under `model`, as rows
    /// (``Ranking/rowOnly(_:)``: verdict, score, band, coverage and the largest contributions), in the
    /// order given.
    ///
    /// A row kept in ``KeptAssessments`` is used while the school's evidence generation is the one it
    /// was computed under; the others are assessed from their evidence, a batch of
    /// ``rankingBatch`` schools at a time, and kept. The generations are read before the evidence, so
    /// a row is never kept under a generation newer than its evidence.
    func assessedNow(_ schools: [School], date: LocalDate, route: Route?, model: StoredRiskModel) async throws -> [(School, Assessment)] {
        let generations = try await store.evidence.generations(of: schools.map(\.id))
        func key(_ school: School) -> KeptAssessments.Key { .init(schoolId: school.id, modelVersion: model.version, date: date, route: route) }
        var found: [UUID: Assessment] = [:]
        func missing() -> [School] {
            schools.filter { school in
                if found[school.id] != nil { return false }
                guard let row = kept.get(key(school), generation: generations[school.id] ?? 0) else { return true }
                found[school.id] = row
                return false
            }
        }
        guard !missing().isEmpty else { return try Self.inOrder(schools, found) }
        // One computation of this list at a time; after the wait, rows another request kept are found again.
        let gate = kept.gate(modelVersion: model.version, date: date, route: route)
        await gate.enter()
        do {
            let assessor = RiskAssessor(model: model.model)
            let request = AssessmentRequest(date: date, route: route)
            let todo = missing()
            for start in stride(from: 0, to: todo.count, by: Self.rankingBatch) {
                let batch = todo[start..<min(start + Self.rankingBatch, todo.count)]
                let evidence = try await store.evidence.evidence(schoolIds: batch.map(\.id))
                for school in batch {
                    let assessment = assessor.assess(evidence[school.id] ?? RiskEvidence(schoolId: school.id, decisions: [], visits: [], signals: []),
                                                     request: request)
                    kept.put(key(school), generation: generations[school.id] ?? 0, assessment)
                    found[school.id] = Ranking.rowOnly(assessment)
                }
            }
            await gate.leave()
        } catch {
            await gate.leave()
            throw error
        }
        return try Self.inOrder(schools, found)
    }

    /// `schools` in their order, each with its assessment in `found`, which holds one for each.
    ///
    /// - Throws: ``UncheckedValue`` (a 500, logged) if one is missing, a fault of ours.
    private static func inOrder(_ schools: [School], _ found: [UUID: Assessment]) throws -> [(School, Assessment)] {
        try schools.map { school in
            guard let assessment = found[school.id] else { throw UncheckedValue(type: "Assessment of a listed school") }
            return (school, assessment)
        }
    }

    /// Every school active in or near a municipality with its verdict, worst first (blocked, caution, clear; then score).
    func getMunicipalityOverview(_ input: Operations.GetMunicipalityOverview.Input) async throws -> Operations.GetMunicipalityOverview.Output {
        var rules = InputRules()
        let requested = rules.municipality(input.query.municipality, "municipality")
        let route = input.query.route?.converted(to: Route.self)
        let date = rules.date(input.query.date, "date") ?? todayInAmsterdam()
        let code = try rules.checked(requested)
        guard let municipality = try await store.municipalities.get(code) else {
            throw Problem(.unknownReference, detail: "No municipality with code \(code).",
                          errors: [FieldError(field: "municipality", rule: "must name an existing municipality")])
        }
        let model = try await modelInForce(at: Date())
        var schools = try await store.schools.inProvince(of: municipality.code)
        if let route { schools = schools.filter { $0.routes.contains(route) } }
        let items = Ranking.byVerdict(try await assessedNow(schools, date: date, route: route, model: model))
        return .ok(.init(body: .json(.init(municipality: .init(municipality), date: date.description, route: route?.converted(),
                                           modelVersion: model.version,
                                           items: items.map { Components.Schemas.OverviewItem($0.1, school: $0.0) }))))
    }
}

extension Components.Schemas.ShadowAssessment {
    /// The shadow assessment and each difference from the current one (Core's ``ShadowComparison/differences(current:shadow:)``).
    init(current c: Assessment, shadow s: Assessment, status: String) {
        let differences = ShadowComparison.differences(current: c, shadow: s).map {
            Components.Schemas.Difference(what: $0.what, current: $0.current, shadow: $0.shadow)
        }
        self.init(modelVersion: s.modelVersion, modelStatus: status, verdict: s.verdict.converted(), score: s.oversight.score,
                  band: s.oversight.band.converted(), qualityMarkState: s.qualityMark.state.converted(),
                  oversightState: s.oversight.state.converted(), differences: differences)
    }
}

extension Components.Schemas.SchoolReply {
    init(_ r: SchoolReply) {
        self.init(id: r.id.text, subjectKind: r.subjectKind == .signal ? .signal : .finding, subjectId: r.subjectId.text,
                  visitId: r.visitId?.text, reply: r.reply, receivedOn: r.receivedOn.description, recordedAt: r.recordedAt)
    }
}

extension Components.Schemas.DoubleLockOverview {
    /// Every id the overview names where a signal's id may stand, lowercase: the evidence of its
    /// contributions and hard blocks and the subjects of its replies about signals. These are the
    /// ids ``withholding(signalsExcept:language:)`` asks about.
    var namedIds: Set<String> {
        Set((oversight.contributions.flatMap(\.evidenceIds) + oversight.hardBlocks.flatMap(\.evidenceIds)
             + replies.filter { $0.subjectKind == .signal }.map(\.subjectId)).map { $0.lowercased() })
    }

    /// The overview as a caller sees it who may read only the signals in `readable`.
    ///
    /// Other municipalities see a school's signals as monthly counts (`../shared/DESIGN.md`, roles).
    /// Contributions resting only on signals the caller may not read are summed per month of receipt
    /// into one term (`signals.severityPoints` with `receivedMonth` and `count`): no id, no severity,
    /// no day, and no single signal's points, from which its age could be worked out with the model's
    /// half-life. Corroboration and open-signal terms keep their words but name no such id and give
    /// the month (`evidenceMonth`); a hard block names none of those ids; a reply to such a signal is
    /// left out (its subject would name the signal). Visits and quality-mark decisions are everyone's.
    ///
    /// - Parameter language: the language of the overview's explanations, for the ones rewritten.
    func withholding(signalsExcept readable: Set<String>, language: TextLanguage) -> Self {
        var copy = self
        let signalKinds: Set<Components.Schemas.ContributionKind> = [.signal, .openSignals, .corroboration]
        var perMonth: [String: (points: Double, count: Int)] = [:]
        var kept: [Components.Schemas.Contribution] = []
        for c in oversight.contributions {
            guard signalKinds.contains(c.kind), c.evidenceIds.contains(where: { !readable.contains($0.lowercased()) }) else {
                kept.append(c)
                continue
            }
            let month = String((c.evidenceDate ?? c.evidenceMonth ?? "").prefix(7))
            if c.kind == .signal {
                perMonth[month, default: (0, 0)].points += c.points
                perMonth[month, default: (0, 0)].count += 1
                continue
            }
            var c = c
            c.evidenceIds = c.evidenceIds.filter { readable.contains($0.lowercased()) }
            c.evidenceMonth = month
            c.evidenceDate = nil
            kept.append(c)
        }
        for (month, term) in perMonth {
            let parameters = ["receivedMonth": month, "count": String(term.count)]
            kept.append(.init(kind: .signal, rule: "signals.severityPoints", points: (term.points * 100).rounded() / 100, evidenceIds: [],
                              evidenceMonth: month, explanation: Explanation("signals.severityPoints", parameters).text(language),
                              parameters: .init(additionalProperties: parameters)))
        }
        // Largest first, as the model sorts them; ties by rule and month. Untouched when nothing was withheld.
        copy.oversight.contributions = perMonth.isEmpty ? kept : kept.sorted {
            ($0.points, $1.rule, $1.evidenceMonth ?? $1.evidenceDate ?? "") > ($1.points, $0.rule, $0.evidenceMonth ?? $0.evidenceDate ?? "")
        }
        copy.oversight.hardBlocks = oversight.hardBlocks.map { b in
            guard b.rule.hasPrefix("hardBlocks.substantiated") else { return b }
            var b = b
            b.evidenceIds = b.evidenceIds.filter { readable.contains($0.lowercased()) }
            return b
        }
        copy.replies = replies.filter { $0.subjectKind != .signal || readable.contains($0.subjectId.lowercased()) }
        return copy
    }
}
