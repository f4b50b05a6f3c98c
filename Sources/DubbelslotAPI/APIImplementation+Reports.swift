import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation

/// The figures of the inspectorate's risk report (docs/decisions/0017-risk-report-as-an-api-client.md);
/// `dubbelslot-report` reads them.
extension APIImplementation {
    /// Schools whose evidence the risk ranking reads at a time.
    static let rankingBatch = 100
    /// Schools a bounded ranking assesses at a time beyond its first `top`: at 1,000× volume a school
    /// with signals has some 2,500 of them, so a batch reads about 60,000 signal rows.
    static let boundedRankingBatch = 25
    /// How many schools `schools=` may name: 100 ids are 3,699 characters, a URL any proxy passes.
    static let namedSchoolsLimit = 100

    func getRiskRanking(_ input: Operations.GetRiskRanking.Input) async throws -> Operations.GetRiskRanking.Output {
        let q = input.query
        var rules = InputRules()
        let date = rules.date(q.date, "date") ?? todayInAmsterdam()
        let asOf = rules.instant(q.asOf, "asOf") ?? Self.milliseconds(Date())
        let top = rules.wholeNumber(q.top, "top", in: 1...1000) ?? 20
        var only: Set<UUID>?
        if let text = q.schools {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            let ids = parts.compactMap { UUID(strict: String($0)) }
            if parts.count > Self.namedSchoolsLimit { rules.fail("schools", "must name at most \(Self.namedSchoolsLimit) schools") }
            else if ids.count != parts.count { rules.fail("schools", "must be school ids separated by commas") }
            else { only = Set(ids) }
        }
        let area = rules.area(province: q.province, region: q.region, municipality: q.municipality)
        try rules.throwIfAny()
        let model = try await modelInForce(at: asOf)
        var schools = try await store.reports.schools(in: area)
        if let only { schools = schools.filter { only.contains($0.id) } }
        // Each school's bound from the risk terms; only those that can reach the first `top` are assessed.
        let bounds = try await store.riskTerms.scoreBounds(schoolIds: schools.map(\.id), date: date, asOf: q.asOf == nil ? nil : asOf,
                                                           weights: RiskTerms.weights(for: model.model))
        let ranked = try await Ranking.topByScore(schools.map { (school: $0, bound: bounds[$0.id] ?? 100) }, top: top,
                                                  batch: Self.boundedRankingBatch) { batch in
            // Of now: rows kept while each school's evidence holds (KeptAssessments).
            if q.asOf == nil { try await assessedNow(batch, date: date, route: nil, model: model) }
            else { try await assessedAsOf(batch, date: date, asOf: asOf, model: model) }
        }
        let items = ranked.map { school, a in
            Components.Schemas.RankedSchool(
                school: .init(school), verdict: a.verdict.converted(), score: a.oversight.score, band: a.oversight.band.converted(),
                topContributions: a.oversight.contributions.prefix(Ranking.contributionsShown).map(Components.Schemas.Contribution.init),
                coverageSufficient: a.coverage.sufficient, signalsKnown: a.coverage.signalsKnown,
                lastVisitOn: a.coverage.lastVisitByKind.values.max()?.description)
        }
        return .ok(.init(body: .json(.init(date: date.description, asOf: asOf, modelVersion: model.version, schoolsAssessed: schools.count,
                                           items: Array(items)))))
    }

    /// Each of `schools` assessed for `date` on what was known at `asOf`, a batch of
    /// ``rankingBatch`` schools at a time, keeping only their rows: the evidence of every school at
    /// once held a million signal rows in memory at 1,000× volume (server RSS 1 GB after the report).
    /// Every batch reads as of the same `asOf`, so together they are of one moment.
    func assessedAsOf(_ schools: [School], date: LocalDate, asOf: Date, model: StoredRiskModel) async throws -> [(School, Assessment)] {
        let assessor = RiskAssessor(model: model.model)
        let request = AssessmentRequest(date: date)
        var assessed: [(School, Assessment)] = []
        assessed.reserveCapacity(schools.count)
        for start in stride(from: 0, to: schools.count, by: Self.rankingBatch) {
            let batch = schools[start..<min(start + Self.rankingBatch, schools.count)]
            let evidence = try await store.evidence.evidence(schoolIds: batch.map(\.id), asOf: asOf)
            for school in batch {
                assessed.append((school, Ranking.rowOnly(assessor.assess(
                    evidence[school.id] ?? RiskEvidence(schoolId: school.id, decisions: [], visits: [], signals: []), request: request))))
            }
        }
        return assessed
    }

    func getSignalStatistics(_ input: Operations.GetSignalStatistics.Input) async throws -> Operations.GetSignalStatistics.Output {
        let q = input.query
        var rules = InputRules()
        let parsed = (from: rules.requiredDate(q.from, "from"), to: rules.requiredDate(q.to, "to"))
        if let from = parsed.from, let to = parsed.to, to <= from { rules.fail("to", "must be after from (exclusive end)") }
        let area = rules.area(province: q.province, region: q.region, municipality: q.municipality)
        let byRegion = q.areaBy == .region
        let (from, to) = try rules.checked(parsed.from, parsed.to)
        let stats = try await store.reports.signalStatistics(from: from, to: to, area: area, byRegion: byRegion)
        let schools = Dictionary(uniqueKeysWithValues: try await store.schools.get(ids: stats.acrossMunicipalities.map(\.schoolId)).map { ($0.id, $0) })
        func counts<K: RawRepresentable & CaseIterable>(_ tally: [K: Int]) -> [Components.Schemas.KeyCount] where K.RawValue == String, K: Hashable {
            K.allCases.compactMap { k in tally[k].map { .init(key: k.rawValue, count: $0) } }
        }
        let across = stats.acrossMunicipalities.compactMap { c -> Components.Schemas.CrossMunicipalitySchool? in
            guard let school = schools[c.schoolId] else { return nil }
            return .init(school: .init(school), municipalities: c.municipalities.map(\.rawValue), signals: c.signals,
                         categories: counts(c.categories), statuses: counts(c.statuses))
        }
        return .ok(.init(body: .json(.init(
            from: from.description, to: to.description, areaBy: byRegion ? "region" : "province", signals: stats.signals,
            acrossMunicipalities: across,
            byCategoryQuarter: stats.byCategoryQuarter.map(Components.Schemas.CategoryCount.init),
            byCategoryArea: stats.byCategoryArea.map(Components.Schemas.CategoryCount.init)))))
    }

    func getSupervisionCoverage(_ input: Operations.GetSupervisionCoverage.Input) async throws -> Operations.GetSupervisionCoverage.Output {
        let q = input.query
        var rules = InputRules()
        let date = rules.date(q.date, "date") ?? todayInAmsterdam()
        let area = rules.area(province: q.province, region: q.region, municipality: q.municipality)
        try rules.throwIfAny()
        let holders = try await store.reports.markHolders(on: date, area: area)
        let locations = try await store.reports.locationsNeverVisited(area: area)
        let ids = Set(holders.map(\.schoolId)).union(locations.map(\.schoolId))
        let schools = Dictionary(uniqueKeysWithValues: try await store.schools.get(ids: Array(ids)).map { ($0.id, $0) })
        // Blik op Werk aims at a classroom visit in every 4-year mark period; any visit within a year
        // is the inspectorate's own yardstick for active supervision
        // (docs/decisions/0017-risk-report-as-an-api-client.md).
        let classroomSince = date.adding(months: -48), anySince = date.adding(months: -12)
        func gap(_ h: ReportRepository.VisitDates) -> Components.Schemas.CoverageGap? {
            schools[h.schoolId].map { .init(school: .init($0), lastClassroomVisitOn: h.lastClassroomVisit?.description, lastVisitOn: h.lastVisit?.description) }
        }
        return .ok(.init(body: .json(.init(
            date: date.description, markHolders: holders.count,
            withoutClassroomVisit48Months: holders.filter { ($0.lastClassroomVisit.map { $0 <= classroomSince }) ?? true }.compactMap(gap),
            withoutVisit12Months: holders.filter { ($0.lastVisit.map { $0 <= anySince }) ?? true }.compactMap(gap),
            locationsNeverVisited: locations.compactMap { l in
                schools[l.schoolId].map { .init(school: .init($0), locationId: l.locationId.text, municipalityCode: l.municipalityCode.rawValue, address: l.address) }
            }))))
    }

    func listQualityMarkChanges(_ input: Operations.ListQualityMarkChanges.Input) async throws -> Operations.ListQualityMarkChanges.Output {
        let q = input.query
        var rules = InputRules()
        let parsed = (from: rules.requiredDate(q.from, "from"), to: rules.requiredDate(q.to, "to"))
        if let from = parsed.from, let to = parsed.to, to <= from { rules.fail("to", "must be after from (exclusive end)") }
        let area = rules.area(province: q.province, region: q.region, municipality: q.municipality)
        let (from, to) = try rules.checked(parsed.from, parsed.to)
        let decisions = try await store.reports.qualityMarkChanges(from: from, to: to, area: area)
        let schools = Dictionary(uniqueKeysWithValues: try await store.schools.get(ids: Array(Set(decisions.map(\.schoolId)))).map { ($0.id, $0) })
        return .ok(.init(body: .json(.init(from: from.description, to: to.description, items: decisions.compactMap { d in
            schools[d.schoolId].map { .init(school: .init($0), decision: .init(d)) }
        }))))
    }
}

extension Components.Schemas.Contribution {
    init(_ c: Contribution) {
        self.init(kind: c.kind.converted(), rule: c.rule, points: c.points, evidenceIds: c.evidenceIds.map(\.text),
                  evidenceDate: c.evidenceDate.description, explanation: c.explanation,
                  parameters: c.because.parameters.isEmpty ? nil : .init(additionalProperties: c.because.parameters))
    }
}

extension Components.Schemas.CategoryCount {
    init(_ c: ReportRepository.CategoryCount) {
        self.init(category: c.category.converted(), key: c.key, count: c.count)
    }
}
