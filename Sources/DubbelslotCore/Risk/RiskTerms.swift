public import Foundation

/// One risk term: the part of a fact's contribution that depends neither on the model nor on the
/// business date, as the store keeps it (`risk_terms`, sql/0039) with the fact's system period.
///
/// Design: docs/decisions/0020-risk-terms-as-a-candidate-bound.md.
public struct RiskTerm: Hashable, Sendable {
    /// What kind of fact gives the points.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A fraud signal.
        case signal
        /// A supervision visit.
        case visit
        /// A quality-mark decision; only suspensions and withdrawals carry points.
        case decision
    }

    /// The signal's, visit's or decision's id.
    public let evidenceId: UUID
    /// The school the fact is about.
    public let schoolId: UUID
    /// Signal, visit or decision.
    public let kind: Kind
    /// What the model's points are looked up by: ``RiskTerms/signalKey(severity:status:)`` and its siblings.
    public let key: String
    /// The fact's business date: a signal's day of receipt (Europe/Amsterdam), a visit's day, the first
    /// day of a decision's period.
    public let anchorDate: LocalDate
    /// The reporting municipality of a signal; `nil` for visits and decisions.
    public let municipalityCode: MunicipalityCode?

    /// A term as the store keeps it or ``RiskTerms/terms(of:)`` derives it.
    public init(evidenceId: UUID, schoolId: UUID, kind: Kind, key: String, anchorDate: LocalDate, municipalityCode: MunicipalityCode?) {
        self.evidenceId = evidenceId
        self.schoolId = schoolId
        self.kind = kind
        self.key = key
        self.anchorDate = anchorDate
        self.municipalityCode = municipalityCode
    }
}

/// A model's numbers in the shape a ranking sums risk terms by, in SQL: points before decay per term
/// key, and each kind's half-life and window.
///
/// The sum is a candidate bound, never shown (``Ranking/topByScore(_:top:batch:assess:)``): every
/// score shown comes from ``RiskAssessor``.
public struct RiskTermWeights: Hashable, Sendable {
    /// The keys with points, and their points at full weight (a financial visit with major findings
    /// carries both of its contributions).
    public let keys: [String]
    /// The points at full weight of each of ``keys``, in the same order (0–100 scale).
    public let basePoints: [Double]
    /// Signal keys whose status counts towards corroboration (status factor above 0).
    public let corroboratingKeys: [String]
    /// Half-life and window (days) of signals, visits and quality-mark decisions.
    public let signalHalfLifeDays: Double, signalWindowDays: Int
    /// Half-life and window (days) of visits (`visits.*` of the model).
    public let visitHalfLifeDays: Double, visitWindowDays: Int
    /// Half-life and window (days) of quality-mark suspensions and withdrawals (`qualityMark.*`).
    public let decisionHalfLifeDays: Double, decisionWindowDays: Int
    /// Corroboration: its window (days), its cap, and the most points one additional municipality can
    /// earn (unlinked and linked together).
    public let corroborationWindowDays: Int
    /// The cap on corroboration points (`corroboration.maxPoints`).
    public let corroborationMaxPoints: Double
    /// `pointsPerAdditionalMunicipality` plus `linkedPointsPerAdditionalMunicipality` (0 when absent).
    public let corroborationPointsPerMunicipality: Double
}

/// The rules that turn facts into terms and a model into term weights: one place, shared by
/// ``RiskAssessor``, the store's ranking bound and `dubbelslot risk verify`.
public enum RiskTerms {
    /// `signal/<severity>/<status>`, the raw values as stored (sql/0039 builds the same text).
    public static func signalKey(severity: SignalSeverity, status: SignalStatus) -> String {
        "signal/\(severity.rawValue)/\(status.rawValue)"
    }

    /// `visit/<kind>/<outcome>`.
    public static func visitKey(kind: VisitKind, outcome: VisitOutcome) -> String {
        "visit/\(kind.rawValue)/\(outcome.rawValue)"
    }

    /// `decision/<status>`.
    public static func decisionKey(status: QualityMarkStatus) -> String {
        "decision/\(status.rawValue)"
    }

    /// A signal's points at full weight: `severityPoints[severity] × statusFactor[status]`
    /// (shared/DESIGN.md, "The risk model").
    public static func signalBasePoints(severity: SignalSeverity, status: SignalStatus, model: RiskModel) -> Double {
        (model.severityPoints(severity) ?? 0) * model.statusFactor(status)
    }

    /// A visit outcome's points at full weight, with the rule that names them; `nil` for `compliant`.
    public static func visitOutcomePoints(_ outcome: VisitOutcome, model: RiskModel) -> (rule: String, points: Double)? {
        switch outcome {
        case .compliant: nil
        case .minorFindings: ("visits.minorFindings", model.visits.minorFindings)
        case .majorFindings: ("visits.majorFindings", model.visits.majorFindings)
        case .accessRefused: ("visits.accessRefused", model.visits.accessRefused)
        }
    }

    /// A decision's history points at full weight, with their rule; `nil` for statuses other than
    /// suspended and withdrawn.
    public static func decisionHistoryPoints(_ status: QualityMarkStatus, model: RiskModel) -> (rule: String, points: Double)? {
        switch status {
        case .suspended: ("qualityMark.suspension", model.qualityMark.suspension)
        case .withdrawn: ("qualityMark.withdrawal", model.qualityMark.withdrawal)
        default: nil
        }
    }

    /// The terms of `evidence`: what `risk_terms` must hold for it (a signal per non-duplicate signal,
    /// a visit per visit, a decision per decision that is not rectified; the evidence is already read so).
    public static func terms(of evidence: RiskEvidence) -> Set<RiskTerm> {
        var terms = Set<RiskTerm>()
        for s in evidence.signals where s.duplicateOf == nil {
            terms.insert(RiskTerm(evidenceId: s.id, schoolId: evidence.schoolId, kind: .signal,
                                  key: signalKey(severity: s.severity, status: s.status), anchorDate: s.receivedOn,
                                  municipalityCode: s.municipalityCode))
        }
        for v in evidence.visits {
            terms.insert(RiskTerm(evidenceId: v.id, schoolId: evidence.schoolId, kind: .visit,
                                  key: visitKey(kind: v.kind, outcome: v.outcome), anchorDate: v.visitedOn, municipalityCode: nil))
        }
        for d in evidence.decisions {
            terms.insert(RiskTerm(evidenceId: d.id, schoolId: evidence.schoolId, kind: .decision,
                                  key: decisionKey(status: d.status), anchorDate: d.validDuring.from, municipalityCode: nil))
        }
        return terms
    }

    /// The weights of `model` for every key with points.
    public static func weights(for model: RiskModel) -> RiskTermWeights {
        var keys: [String] = [], points: [Double] = [], corroborating: [String] = []
        for severity in SignalSeverity.allCases {
            for status in SignalStatus.allCases {
                let key = signalKey(severity: severity, status: status)
                let p = signalBasePoints(severity: severity, status: status, model: model)
                if p > 0 { keys.append(key); points.append(p) }
                if model.statusFactor(status) > 0 { corroborating.append(key) }
            }
        }
        for kind in VisitKind.allCases {
            for outcome in VisitOutcome.allCases {
                var p = visitOutcomePoints(outcome, model: model)?.points ?? 0
                if kind == .financial && outcome == .majorFindings { p += model.visits.financialMajorFindingsExtra }
                if p > 0 { keys.append(visitKey(kind: kind, outcome: outcome)); points.append(p) }
            }
        }
        for status in QualityMarkStatus.allCases {
            if let p = decisionHistoryPoints(status, model: model)?.points, p > 0 {
                keys.append(decisionKey(status: status)); points.append(p)
            }
        }
        let c = model.corroboration
        return RiskTermWeights(
            keys: keys, basePoints: points, corroboratingKeys: corroborating,
            signalHalfLifeDays: model.signals.halfLifeDays, signalWindowDays: model.signals.windowDays,
            visitHalfLifeDays: model.visits.halfLifeDays, visitWindowDays: model.visits.windowDays,
            decisionHalfLifeDays: model.qualityMark.halfLifeDays, decisionWindowDays: model.qualityMark.windowDays,
            corroborationWindowDays: c.windowDays, corroborationMaxPoints: c.maxPoints,
            corroborationPointsPerMunicipality: c.pointsPerAdditionalMunicipality + (c.linkedPointsPerAdditionalMunicipality ?? 0))
    }
}
