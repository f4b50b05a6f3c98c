public import Foundation

/// The risk model as a pure function: `(evidence, model, request) -> Assessment`.
///
/// Same inputs, same output, whatever the order of the evidence; no clock is read (the date comes
/// with the request). The rules are those of shared/DESIGN.md, "The risk model"; every number comes
/// from ``RiskModel`` (`config/risk-model.yaml`).
public struct RiskAssessor: Sendable {
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
                                   reasons: ["The education route falls outside the quality mark; the education inspectorate supervises it."])
        }
        // Sorted so that the answer does not depend on the order the store returned them in.
        let sorted = decisions.sorted { a, b in
            if a.validDuring.from != b.validDuring.from { return a.validDuring.from < b.validDuring.from }
            if a.recordedAt != b.recordedAt { return a.recordedAt < b.recordedAt }
            return a.id.uuidString < b.id.uuidString  // only on a tie: formatting a UUID is not cheap
        }
        let inForce = sorted.last { $0.validDuring.contains(request.date) }
        var reasons: [String] = []
        var state: LockState
        switch inForce?.status {
        case nil:
            state = .closed
            reasons.append("No quality-mark decision is in force on \(request.date).")
        case .grantedIndefinite?, .grantedFixedTerm?:
            state = .open
            reasons.append("Quality mark \(inForce!.status.rawValue) in force on \(request.date) (since \(inForce!.validDuring.from)).")
        case .aspirant?:
            state = .attention
            reasons.append("Only an aspirant mark is in force on \(request.date): not all norms have been judged yet.")
        case let status?:
            state = .closed
            reasons.append("The quality mark is \(status.rawValue) on \(request.date) (since \(inForce!.validDuring.from)).")
        }
        var covers: Bool?
        if let period = request.contractPeriod {
            let gap = firstUncoveredDay(of: period, holding: sorted.filter { $0.status.holdsMark })
            covers = gap == nil
            if let gap {
                if state == .open { state = .attention }
                let lastDay = period.until.map { $0.adding(days: -1).description } ?? "open-ended"
                reasons.append("The quality mark does not cover the whole contract period \(period.from)–\(lastDay): no granted mark on \(gap).")
            }
        }
        return QualityMarkLock(state: state, decisionInForce: inForce, coversContractPeriod: covers, reasons: reasons)
    }

    /// The first day of `period` on which no granted mark is in force, or `nil` when it is covered throughout.
    private func firstUncoveredDay(of period: DateRange, holding: [QualityMarkDecision]) -> LocalDate? {
        var cursor = period.from
        while period.until.map({ cursor < $0 }) ?? true {
            guard let covering = holding.first(where: { $0.validDuring.contains(cursor) }) else { return cursor }
            guard let end = covering.validDuring.until else { return nil }
            cursor = end
        }
        return nil
    }

    // MARK: Lock 2

    func oversightLock(_ evidence: RiskEvidence, date: LocalDate, coverage: Coverage) -> OversightLock {
        var contributions = signalContributions(evidence.signals, date: date)
        if let c = corroboration(evidence, date: date) { contributions.append(c) }
        contributions += visitContributions(evidence.visits, date: date)
        contributions += historyContributions(evidence.decisions, date: date)
        // The tie-break key is built once per contribution, not in every comparison: formatting UUIDs
        // (snprintf underneath) inside the comparator was a tenth of a ranking's CPU (issue 7, perf).
        contributions = contributions
            .map { (contribution: $0, key: $0.evidenceIds.map(\.uuidString).joined()) }
            .sorted { a, b in
                if a.contribution.points != b.contribution.points { return a.contribution.points > b.contribution.points }
                return (a.contribution.rule, a.key) < (b.contribution.rule, b.key)
            }
            .map(\.contribution)
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
        let state: LockState =
            if !blocks.isEmpty || band == .critical { .closed }
            else if band == .low { .open }
            else { .attention }
        return OversightLock(state: state, score: score, band: band, contributions: contributions, hardBlocks: blocks)
    }

    private func decay(ageDays: Int, halfLifeDays: Double) -> Double {
        pow(0.5, Double(max(0, ageDays)) / halfLifeDays)
    }

    private func rounded(_ points: Double) -> Double { (points * 100).rounded() / 100 }

    private func signalContributions(_ signals: [FraudSignal], date: LocalDate) -> [Contribution] {
        signals.compactMap { s in
            let received = LocalDate(instant: s.receivedAt)
            let age = received.days(until: date)
            guard age >= 0, age <= model.signals.windowDays else { return nil }
            let base = model.severityPoints(s.severity) ?? 0
            let factor = model.statusFactor(s.status)
            let points = rounded(base * factor * decay(ageDays: age, halfLifeDays: model.signals.halfLifeDays))
            guard points > 0 else { return nil }
            return Contribution(
                kind: .signal, rule: "signals.severityPoints.\(s.severity.rawValue)", points: points, evidenceIds: [s.id],
                evidenceDate: received,
                // No reference or reporter: every buyer reads this, most may not read the signal itself
                // (issue 4, "Signal visibility"); those who may follow `evidenceIds`.
                explanation: "\(s.severity.rawValue.capitalized)-severity \(s.category.rawValue) signal, \(s.status.rawValue), received \(received) (\(age) days before): \(base) × \(factor) × decay.")
        }
    }

    /// Corroboration: signals linked as corroborating form groups (connected components); the group with
    /// the most distinct reporting municipalities earns `pointsPerAdditionalMunicipality` for each beyond
    /// the first, capped at `maxPoints`. Unfounded signals and signals outside the window take no part,
    /// so they can neither add a municipality nor bridge two groups.
    private func corroboration(_ evidence: RiskEvidence, date: LocalDate) -> Contribution? {
        let counted = evidence.signals.filter { s in
            let age = LocalDate(instant: s.receivedAt).days(until: date)
            return age >= 0 && age <= model.corroboration.windowDays && model.statusFactor(s.status) > 0
        }
        let byId = Dictionary(counted.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var parent: [UUID: UUID] = Dictionary(uniqueKeysWithValues: byId.keys.map { ($0, $0) })
        func root(_ id: UUID) -> UUID {
            var r = id
            while parent[r]! != r { r = parent[r]! }
            return r
        }
        for pair in evidence.corroborations where byId[pair.first] != nil && byId[pair.second] != nil {
            let (a, b) = (root(pair.first), root(pair.second))
            // Union by the smaller id: the grouping is then independent of the pairs' order.
            if a != b { if a.uuidString < b.uuidString { parent[b] = a } else { parent[a] = b } }
        }
        let groups = Dictionary(grouping: counted, by: { root($0.id) }).values
        let best = groups.max { a, b in
            let (ma, mb) = (Set(a.map(\.municipalityCode)).count, Set(b.map(\.municipalityCode)).count)
            if ma != mb { return ma < mb }
            return a.map(\.id.uuidString).min()! > b.map(\.id.uuidString).min()!
        }
        guard let best else { return nil }
        let municipalities = Set(best.map(\.municipalityCode))
        guard municipalities.count >= 2 else { return nil }
        let points = rounded(min(model.corroboration.maxPoints,
                                 model.corroboration.pointsPerAdditionalMunicipality * Double(municipalities.count - 1)))
        guard points > 0 else { return nil }
        return Contribution(
            kind: .corroboration, rule: "corroboration.pointsPerAdditionalMunicipality", points: points,
            evidenceIds: best.map(\.id).sorted { $0.uuidString < $1.uuidString },
            evidenceDate: best.map { LocalDate(instant: $0.receivedAt) }.max()!,
            explanation: "\(municipalities.count) different municipalities reported this school, linked as corroborating by an inspector.")
    }

    private func visitContributions(_ visits: [SupervisionVisit], date: LocalDate) -> [Contribution] {
        var result: [Contribution] = []
        for v in visits {
            let age = v.visitedOn.days(until: date)
            guard age >= 0, age <= model.visits.windowDays else { continue }
            let d = decay(ageDays: age, halfLifeDays: model.visits.halfLifeDays)
            let (rule, base): (String, Double) =
                switch v.outcome {
                case .compliant: ("", 0)
                case .minorFindings: ("visits.minorFindings", model.visits.minorFindings)
                case .majorFindings: ("visits.majorFindings", model.visits.majorFindings)
                case .accessRefused: ("visits.accessRefused", model.visits.accessRefused)
                }
            let points = rounded(base * d)
            if points > 0 {
                result.append(Contribution(kind: .visit, rule: rule, points: points, evidenceIds: [v.id], evidenceDate: v.visitedOn,
                                           explanation: "\(v.kind.rawValue) visit on \(v.visitedOn): \(v.outcome.rawValue) (\(v.findings.count) findings)."))
            }
            if v.kind == .financial && v.outcome == .majorFindings {
                let extra = rounded(model.visits.financialMajorFindingsExtra * d)
                if extra > 0 {
                    result.append(Contribution(kind: .visit, rule: "visits.financialMajorFindingsExtra", points: extra, evidenceIds: [v.id],
                                               evidenceDate: v.visitedOn, explanation: "Financial supervision on \(v.visitedOn) found major deviations."))
                }
            }
        }
        return result
    }

    private func historyContributions(_ decisions: [QualityMarkDecision], date: LocalDate) -> [Contribution] {
        decisions.compactMap { d in
            let (rule, base): (String, Double)
            switch d.status {
            case .suspended: (rule, base) = ("qualityMark.suspension", model.qualityMark.suspension)
            case .withdrawn: (rule, base) = ("qualityMark.withdrawal", model.qualityMark.withdrawal)
            default: return nil
            }
            let age = d.validDuring.from.days(until: date)
            guard age >= 0, age <= model.qualityMark.windowDays else { return nil }
            let points = rounded(base * decay(ageDays: age, halfLifeDays: model.qualityMark.halfLifeDays))
            guard points > 0 else { return nil }
            return Contribution(kind: .qualityMarkHistory, rule: rule, points: points, evidenceIds: [d.id], evidenceDate: d.validDuring.from,
                                explanation: "Quality mark \(d.status.rawValue) from \(d.validDuring.from).")
        }
    }

    private func hardBlocks(_ evidence: RiskEvidence, date: LocalDate) -> [HardBlock] {
        var blocks: [HardBlock] = []
        let threshold = SignalSeverity(rawValue: model.hardBlocks.substantiatedSeverityAtLeast) ?? .high
        let substantiated = evidence.signals.filter { s in
            let age = LocalDate(instant: s.receivedAt).days(until: date)
            return s.status == .substantiated && s.severity >= threshold && age >= 0 && age <= model.hardBlocks.substantiatedWithinDays
        }
        if !substantiated.isEmpty {
            blocks.append(HardBlock(rule: "hardBlocks.substantiatedSeverityAtLeast", evidenceIds: substantiated.map(\.id).sorted { $0.uuidString < $1.uuidString },
                                    explanation: "A substantiated signal of \(threshold.rawValue) severity or worse within \(model.hardBlocks.substantiatedWithinDays) days."))
        }
        let refused = evidence.visits.filter { v in
            let age = v.visitedOn.days(until: date)
            return v.outcome == .accessRefused && age >= 0 && age <= model.hardBlocks.accessRefusedWithinDays
        }
        if !refused.isEmpty {
            blocks.append(HardBlock(rule: "hardBlocks.accessRefusedWithinDays", evidenceIds: refused.map(\.id).sorted { $0.uuidString < $1.uuidString },
                                    explanation: "Access was refused to a supervision visit within \(model.hardBlocks.accessRefusedWithinDays) days."))
        }
        return blocks
    }

    // MARK: Coverage

    func coverage(_ evidence: RiskEvidence, date: LocalDate) -> Coverage {
        var last: [VisitKind: LocalDate] = [:]
        for v in evidence.visits where v.visitedOn <= date {
            last[v.kind] = max(last[v.kind] ?? v.visitedOn, v.visitedOn)
        }
        let known = evidence.signals.filter { LocalDate(instant: $0.receivedAt) <= date }
        let recent = last.values.contains { $0.days(until: date) <= model.coverage.visitWithinDays }
        return Coverage(lastVisitByKind: last, signalsKnown: known.count, signalsOpen: known.filter { !$0.status.isConcluded }.count,
                        sufficient: recent)
    }
}
