public import Foundation

/// The risk model as a pure function: `(evidence, model, request) -> Assessment`.
///
/// Same inputs, same output, whatever the order of the evidence; no clock is read (the date comes
/// with the request). The rules are those of shared/DESIGN.md, "The risk model"; every number comes
/// from ``RiskModel`` (`config/risk-model.yaml`).
public struct RiskAssessor: Sendable {
    /// The weights and thresholds every assessment uses.
    public let model: RiskModel

    /// - Parameter model: a model that passed ``RiskModel/validate()``.
    public init(model: RiskModel) {
        self.model = model
    }

    /// Assesses one school.
    ///
    /// Evidence dated after `request.date` is left out: the verdict is about that business date.
    /// - Returns: both locks, the verdict, the contributions with their evidence, and the coverage.
    public func assess(_ evidence: RiskEvidence, request: AssessmentRequest) -> Assessment {
        let lock1 = qualityMarkLock(evidence.decisions, request: request)
        let coverage = coverage(evidence, date: request.date)
        let lock2 = oversightLock(evidence, date: request.date, coverage: coverage)
        let verdict: Verdict =
            if lock1.state == .closed || lock2.state == .closed { .blocked }
            else if lock1.state == .attention || lock2.state == .attention { .caution }
            else { .clear }
        return Assessment(schoolId: evidence.schoolId, request: request, modelVersion: model.version, verdict: verdict,
                          qualityMark: lock1, oversight: lock2, coverage: coverage)
    }

    // MARK: Lock 1

    func qualityMarkLock(_ decisions: [QualityMarkDecision], request: AssessmentRequest) -> QualityMarkLock {
        if let route = request.route, !route.needsQualityMark {
            return QualityMarkLock(state: .notApplicable, decisionInForce: nil, coversContractPeriod: nil,
                                   because: [Explanation("qualityMark.notApplicable")])
        }
        let timeline = MarkTimeline(decisions)
        let namesLastValidDay = model.qualityMarkLock?.namesLastValidDay ?? false
        let date = request.date
        let inForce = timeline.inForce(on: date, location: request.locationId)
        var because: [Explanation] = []
        var state: LockState
        switch inForce?.status {
        case nil:
            state = .closed
            var p = ["date": date.description]
            if namesLastValidDay, let last = timeline.lastEndedBefore(date, location: request.locationId), let until = last.validDuring.until {
                p["lastStatus"] = last.status.rawValue
                p["lastValidDay"] = until.adding(days: -1).description
            }
            because.append(Explanation("qualityMark.noDecision", p))
        case .grantedIndefinite?, .grantedFixedTerm?:
            state = .open
            var p = ["status": inForce!.status.rawValue, "date": date.description, "since": inForce!.validDuring.from.description]
            if namesLastValidDay, let until = inForce!.validDuring.until { p["validThrough"] = until.adding(days: -1).description }
            because.append(Explanation("qualityMark.held", p))
        case .aspirant?:
            state = .attention
            because.append(Explanation("qualityMark.aspirant", ["date": date.description]))
        case let status?:
            state = .closed
            because.append(Explanation("qualityMark.notHeld", ["status": status.rawValue, "date": date.description,
                                                                "since": inForce!.validDuring.from.description]))
        }
        var covers: Bool?
        let period = request.contractPeriod
        func notCovered(_ rule: String, gap: LocalDate, period: DateRange, location: UUID?) -> Explanation {
            var p = ["contractFrom": period.from.description, "firstUncovered": gap.description]
            if let until = period.until { p["contractLast"] = until.adding(days: -1).description }
            if namesLastValidDay, gap > period.from { p["lastValidDay"] = gap.adding(days: -1).description }
            if let location { p["location"] = location.uuidString.lowercased() }
            return Explanation(rule, p)
        }
        let schoolGap = period.flatMap { timeline.firstUncoveredDay(of: $0, location: request.locationId) }
        if let period {
            covers = schoolGap == nil
            if let schoolGap {
                if state == .open { state = .attention }
                because.append(notCovered("qualityMark.contractNotCovered", gap: schoolGap, period: period, location: nil))
            }
        }
        // Asked about the school as a whole: every location with decisions of its own, and a word where
        // one of them fares worse than the school.
        var locations: [LocationMark] = []
        if request.locationId == nil {
            for location in timeline.locationsWithOwnDecisions {
                let there = timeline.inForce(on: date, location: location)
                let thereState: LockState =
                    switch there?.status {
                    case .grantedIndefinite?, .grantedFixedTerm?: .open
                    case .aspirant?: .attention
                    default: .closed
                    }
                let gap = period.flatMap { timeline.firstUncoveredDay(of: $0, location: location) }
                locations.append(LocationMark(locationId: location, state: thereState, decisionInForce: there,
                                              coversContractPeriod: period.map { _ in gap == nil }))
                if let there, there.locationId == location, thereState != .open {
                    if state == .open { state = .attention }
                    because.append(Explanation("qualityMark.location", [
                        "location": location.uuidString.lowercased(), "status": there.status.rawValue, "date": date.description,
                        "since": there.validDuring.from.description,
                    ]))
                }
                if let period, let gap, gap != schoolGap {
                    if state == .open { state = .attention }
                    because.append(notCovered("qualityMark.locationContractNotCovered", gap: gap, period: period, location: location))
                }
            }
        }
        return QualityMarkLock(state: state, decisionInForce: inForce, coversContractPeriod: covers, because: because, locations: locations)
    }

    // MARK: Lock 2

    func oversightLock(_ evidence: RiskEvidence, date: LocalDate, coverage: Coverage) -> OversightLock {
        var contributions = signalContributions(evidence.signals, date: date)
        contributions += corroboration(evidence, date: date)
        contributions += visitContributions(evidence.visits, date: date)
        contributions += historyContributions(evidence.decisions, date: date)
        let open = openSeriousSignals(evidence.signals, date: date)
        if let open { contributions.append(open) }
        // Ties by rule, then by the evidence ids in the order of their text, compared as bytes (formatting
        // ids inside the comparator was a tenth of a ranking's CPU, measured with perf).
        contributions.sort { a, b in
            if a.points != b.points { return a.points > b.points }
            if a.rule != b.rule { return a.rule < b.rule }
            return UUID.inTextOrder(a.evidenceIds, b.evidenceIds)
        }
        // Summed in sorted order: floating-point addition is then the same whatever the input order.
        let total = contributions.reduce(0) { $0 + $1.points }
        let score = (min(100, total) * 10).rounded() / 10
        let blocks = hardBlocks(evidence, date: date)
        var band: RiskBand =
            if score >= model.bands.critical { .critical }
            else if score >= model.bands.high { .high }
            else if score >= model.bands.elevated { .elevated }
            else { .low }
        if band == .low && !coverage.sufficient { band = .insufficientData }
        var state: LockState =
            if !blocks.isEmpty || band == .critical { .closed }
            else if band == .low { .open }
            else { .attention }
        // An open serious allegation: look before contracting, whatever the score.
        if open != nil && state == .open { state = .attention }
        return OversightLock(state: state, score: score, band: band, contributions: contributions, hardBlocks: blocks)
    }

    private func decay(ageDays: Int, halfLifeDays: Double) -> Double {
        pow(0.5, Double(max(0, ageDays)) / halfLifeDays)
    }

    private func rounded(_ points: Double) -> Double { (points * 100).rounded() / 100 }

    private func signalContributions(_ signals: [SignalFact], date: LocalDate) -> [Contribution] {
        signals.compactMap { s in
            let received = s.receivedOn
            let age = received.days(until: date)
            guard age >= 0, age <= model.signals.windowDays else { return nil }
            let base = model.severityPoints(s.severity) ?? 0
            let factor = model.statusFactor(s.status)
            let points = rounded(RiskTerms.signalBasePoints(severity: s.severity, status: s.status, model: model)
                                 * decay(ageDays: age, halfLifeDays: model.signals.halfLifeDays))
            guard points > 0 else { return nil }
            // No reference or reporter: every buyer reads this, most may not read the signal itself;
            // those who may follow `evidenceIds`.
            return Contribution(
                kind: .signal, rule: "signals.severityPoints.\(s.severity.rawValue)", points: points, evidenceIds: [s.id],
                evidenceDate: received,
                because: Explanation("signals.severityPoints.\(s.severity.rawValue)", [
                    "severity": s.severity.rawValue, "category": s.category.rawValue, "status": s.status.rawValue,
                    "received": received.description, "ageDays": String(age), "base": String(base), "factor": String(factor),
                ]))
        }
    }

    /// Open signals of `signals.openAttentionSeverityAtLeast` or worse received on or before `date`
    /// (status received, triaged or underInvestigation), whatever their age: one zero-point
    /// contribution naming them, which holds lock 2 at `attention` at least. `nil` when the model has
    /// no such rule (before 1.1.0) or none is open.
    private func openSeriousSignals(_ signals: [SignalFact], date: LocalDate) -> Contribution? {
        guard let text = model.signals.openAttentionSeverityAtLeast, let threshold = SignalSeverity(rawValue: text) else { return nil }
        let openStatuses: Set<SignalStatus> = [.received, .triaged, .underInvestigation]
        let open = signals.filter { s in
            openStatuses.contains(s.status) && s.severity >= threshold && s.receivedOn <= date
        }
        guard let latest = open.map({ $0.receivedOn }).max() else { return nil }
        return Contribution(kind: .openSignals, rule: "signals.openAttentionSeverityAtLeast", points: 0,
                            evidenceIds: open.map(\.id).sorted(by: UUID.inTextOrder), evidenceDate: latest,
                            because: Explanation("signals.openAttentionSeverityAtLeast", ["count": String(open.count), "severity": threshold.rawValue]))
    }

    /// Corroboration. Signals that count: not unfounded, received within `corroboration.windowDays`.
    ///
    /// Before 1.1.0 (`countsUnlinked` absent): signals linked as corroborating form groups (connected
    /// components); the group with the most distinct reporting municipalities earns
    /// `pointsPerAdditionalMunicipality` for each beyond the first, capped at `maxPoints`. From 1.1.0:
    /// the distinct municipalities of every counted signal earn those points without any link, and the
    /// best linked group earns `linkedPointsPerAdditionalMunicipality` per additional municipality on
    /// top, within the same cap. Unfounded signals can neither add a municipality nor bridge two groups.
    private func corroboration(_ evidence: RiskEvidence, date: LocalDate) -> [Contribution] {
        let counted = evidence.signals.filter { s in
            let age = s.receivedOn.days(until: date)
            return age >= 0 && age <= model.corroboration.windowDays && model.statusFactor(s.status) > 0
        }
        let best = largestLinkedGroup(counted, pairs: evidence.corroborations)
        let c = model.corroboration
        func ids(_ signals: [SignalFact]) -> [UUID] { signals.map(\.id).sorted(by: UUID.inTextOrder) }
        func latest(_ signals: [SignalFact]) -> LocalDate { signals.map { $0.receivedOn }.max()! }
        guard c.countsUnlinked == true else {
            guard let best else { return [] }
            let municipalities = Set(best.map(\.municipalityCode))
            guard municipalities.count >= 2 else { return [] }
            let points = rounded(min(c.maxPoints, c.pointsPerAdditionalMunicipality * Double(municipalities.count - 1)))
            guard points > 0 else { return [] }
            return [Contribution(kind: .corroboration, rule: "corroboration.pointsPerAdditionalMunicipality", points: points,
                                 evidenceIds: ids(best), evidenceDate: latest(best),
                                 because: Explanation("corroboration.pointsPerAdditionalMunicipality",
                                                      ["municipalities": String(municipalities.count), "linked": "true"]))]
        }
        var result: [Contribution] = []
        let all = Set(counted.map(\.municipalityCode))
        var unlinked = 0.0
        if all.count >= 2 {
            unlinked = rounded(min(c.maxPoints, c.pointsPerAdditionalMunicipality * Double(all.count - 1)))
            if unlinked > 0 {
                result.append(Contribution(kind: .corroboration, rule: "corroboration.pointsPerAdditionalMunicipality", points: unlinked,
                                           evidenceIds: ids(counted), evidenceDate: latest(counted),
                                           because: Explanation("corroboration.pointsPerAdditionalMunicipality",
                                                                ["municipalities": String(all.count), "linked": "false"])))
            }
        }
        if let best, let per = c.linkedPointsPerAdditionalMunicipality {
            let linked = Set(best.map(\.municipalityCode))
            if linked.count >= 2 {
                let points = rounded(min(max(0, c.maxPoints - unlinked), per * Double(linked.count - 1)))
                if points > 0 {
                    result.append(Contribution(kind: .corroboration, rule: "corroboration.linkedPointsPerAdditionalMunicipality", points: points,
                                               evidenceIds: ids(best), evidenceDate: latest(best),
                                               because: Explanation("corroboration.linkedPointsPerAdditionalMunicipality",
                                                                    ["municipalities": String(linked.count)])))
                }
            }
        }
        return result
    }

    /// The group of `counted` signals linked as corroborating (connected components over `pairs`) with
    /// the most distinct municipalities; ties by the smallest signal id. `nil` when nothing counts.
    private func largestLinkedGroup(_ counted: [SignalFact], pairs: [SignalPair]) -> [SignalFact]? {
        let byId = Dictionary(counted.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var parent: [UUID: UUID] = Dictionary(uniqueKeysWithValues: byId.keys.map { ($0, $0) })
        func root(_ id: UUID) -> UUID {
            var r = id
            while parent[r]! != r { r = parent[r]! }
            return r
        }
        for pair in pairs where byId[pair.first] != nil && byId[pair.second] != nil {
            let (a, b) = (root(pair.first), root(pair.second))
            // Union by the smaller id: the grouping is then independent of the pairs' order.
            if a != b { if UUID.inTextOrder(a, b) { parent[b] = a } else { parent[a] = b } }
        }
        let groups = Dictionary(grouping: counted, by: { root($0.id) }).values
        return groups.max { a, b in
            let (ma, mb) = (Set(a.map(\.municipalityCode)).count, Set(b.map(\.municipalityCode)).count)
            if ma != mb { return ma < mb }
            return a.map(\.id.uuidString).min()! > b.map(\.id.uuidString).min()!
        }
    }

    private func visitContributions(_ visits: [SupervisionVisit], date: LocalDate) -> [Contribution] {
        var result: [Contribution] = []
        for v in visits {
            let age = v.visitedOn.days(until: date)
            guard age >= 0, age <= model.visits.windowDays else { continue }
            let d = decay(ageDays: age, halfLifeDays: model.visits.halfLifeDays)
            let (rule, base) = RiskTerms.visitOutcomePoints(v.outcome, model: model) ?? ("", 0)
            let points = rounded(base * d)
            if points > 0 {
                result.append(Contribution(kind: .visit, rule: rule, points: points, evidenceIds: [v.id], evidenceDate: v.visitedOn,
                                           because: Explanation(rule, ["kind": v.kind.rawValue, "visitedOn": v.visitedOn.description,
                                                                       "outcome": v.outcome.rawValue, "findings": String(v.findings.count)])))
            }
            if v.kind == .financial && v.outcome == .majorFindings {
                let extra = rounded(model.visits.financialMajorFindingsExtra * d)
                if extra > 0 {
                    result.append(Contribution(kind: .visit, rule: "visits.financialMajorFindingsExtra", points: extra, evidenceIds: [v.id],
                                               evidenceDate: v.visitedOn,
                                               because: Explanation("visits.financialMajorFindingsExtra", ["visitedOn": v.visitedOn.description])))
                }
            }
        }
        return result
    }

    private func historyContributions(_ decisions: [QualityMarkDecision], date: LocalDate) -> [Contribution] {
        decisions.compactMap { d in
            guard let (rule, base) = RiskTerms.decisionHistoryPoints(d.status, model: model) else { return nil }
            let age = d.validDuring.from.days(until: date)
            guard age >= 0, age <= model.qualityMark.windowDays else { return nil }
            let points = rounded(base * decay(ageDays: age, halfLifeDays: model.qualityMark.halfLifeDays))
            guard points > 0 else { return nil }
            return Contribution(kind: .qualityMarkHistory, rule: rule, points: points, evidenceIds: [d.id], evidenceDate: d.validDuring.from,
                                because: Explanation(rule, ["status": d.status.rawValue, "from": d.validDuring.from.description]
                                    .merging(d.locationId.map { ["location": $0.uuidString.lowercased()] } ?? [:]) { a, _ in a }))
        }
    }

    private func hardBlocks(_ evidence: RiskEvidence, date: LocalDate) -> [HardBlock] {
        var blocks: [HardBlock] = []
        let threshold = SignalSeverity(rawValue: model.hardBlocks.substantiatedSeverityAtLeast) ?? .high
        let substantiated = evidence.signals.filter { s in
            let age = s.receivedOn.days(until: date)
            return s.status == .substantiated && s.severity >= threshold && age >= 0 && age <= model.hardBlocks.substantiatedWithinDays
        }
        if !substantiated.isEmpty {
            blocks.append(HardBlock(rule: "hardBlocks.substantiatedSeverityAtLeast", evidenceIds: substantiated.map(\.id).sorted(by: UUID.inTextOrder),
                                    because: Explanation("hardBlocks.substantiatedSeverityAtLeast",
                                                         ["severity": threshold.rawValue, "days": String(model.hardBlocks.substantiatedWithinDays)])))
        }
        let refused = evidence.visits.filter { v in
            let age = v.visitedOn.days(until: date)
            return v.outcome == .accessRefused && age >= 0 && age <= model.hardBlocks.accessRefusedWithinDays
        }
        if !refused.isEmpty {
            blocks.append(HardBlock(rule: "hardBlocks.accessRefusedWithinDays", evidenceIds: refused.map(\.id).sorted(by: UUID.inTextOrder),
                                    because: Explanation("hardBlocks.accessRefusedWithinDays", ["days": String(model.hardBlocks.accessRefusedWithinDays)])))
        }
        return blocks
    }

    // MARK: Coverage

    /// The last visit of each kind on or before `date`, the signals known and open, and whether any
    /// visit lies within `coverage.visitWithinDays`. From 1.1.0 (`countsRefusedVisits: false`) a visit
    /// where access was refused is no look at the school: it is neither a last visit nor coverage.
    func coverage(_ evidence: RiskEvidence, date: LocalDate) -> Coverage {
        let refusedCount = model.coverage.countsRefusedVisits ?? true
        var last: [VisitKind: LocalDate] = [:]
        for v in evidence.visits where v.visitedOn <= date && (refusedCount || v.outcome != .accessRefused) {
            last[v.kind] = max(last[v.kind] ?? v.visitedOn, v.visitedOn)
        }
        let known = evidence.signals.filter { $0.receivedOn <= date }
        let recent = last.values.contains { $0.days(until: date) <= model.coverage.visitWithinDays }
        return Coverage(lastVisitByKind: last, signalsKnown: known.count, signalsOpen: known.filter { !$0.status.isConcluded }.count,
                        sufficient: recent)
    }
}
