import DubbelslotCore
import DubbelslotOpenAPI
import Foundation

// Core → contract. Every enum of the contract has exactly the raw values of its Core twin
// (a test walks all cases), so the conversions below cannot fail.

extension RawRepresentable where RawValue == String {
    /// The same case in another enum with the same raw values.
    func converted<T: RawRepresentable>(to type: T.Type = T.self) -> T where T.RawValue == String {
        guard let value = T(rawValue: rawValue) else { preconditionFailure("\(T.self) lacks the case \(rawValue)") }
        return value
    }
}

extension UUID {
    /// Lower-case text form, as in every JSON document we serve.
    var text: String { uuidString.lowercased() }
}

extension Components.Schemas.Municipality {
    init(_ m: Municipality) {
        self.init(code: m.code.rawValue, name: m.name, provinceCode: m.provinceCode.rawValue, provinceName: m.provinceName,
                  labourMarketRegion: m.labourMarketRegion)
    }
}

extension Components.Schemas.School {
    init(_ s: School) {
        self.init(id: s.id.text, name: s.name, tradeNames: s.tradeNames, kvkNumber: s.kvkNumber.rawValue,
                  municipalityCode: s.municipalityCode.rawValue, routes: s.routes.map { $0.converted() }.sorted { $0.rawValue < $1.rawValue },
                  isFictional: s.isFictional,
                  locations: s.locations.map {
                      .init(id: $0.id.text, vestigingsnummer: $0.vestigingsnummer?.rawValue, municipalityCode: $0.municipalityCode.rawValue, address: $0.address)
                  },
                  recordedAt: s.recordedAt)
    }
}

extension Components.Schemas.SchoolSummary {
    init(_ s: School) {
        self.init(id: s.id.text, name: s.name, kvkNumber: s.kvkNumber.rawValue, municipalityCode: s.municipalityCode.rawValue, isFictional: s.isFictional)
    }
}

extension Components.Schemas.QualityMarkDecision {
    init(_ d: QualityMarkDecision) {
        // `declaredUntil` only when a later decision cut the period short: otherwise it says nothing new
        // (and a decision's JSON stays what it was before decisions could supersede).
        self.init(id: d.id.text, schoolId: d.schoolId.text, locationId: d.locationId?.text,
                  declaredUntil: d.endedBy == nil ? nil : d.declaredUntil?.description, endedBy: d.endedBy?.text,
                  rectification: d.rectification.map { .init(reason: $0.reason, recordedAt: $0.recordedAt, recordedBy: $0.recordedBy) },
                  status: d.status.converted(), validFrom: d.validDuring.from.description,
                  validUntil: d.validDuring.until?.description, decidedOn: d.decidedOn.description, reference: d.reference,
                  reason: d.reason, objection: d.objection, recordedAt: d.recordedAt, recordedBy: d.recordedBy)
    }
}

extension Components.Schemas.SupervisionVisit {
    init(_ v: SupervisionVisit) {
        self.init(id: v.id.text, schoolId: v.schoolId.text, locationId: v.locationId?.text, kind: v.kind.converted(), announced: v.announced,
                  visitedOn: v.visitedOn.description, outcome: v.outcome.converted(),
                  findings: v.findings.map { .init(id: $0.id.text, normCode: $0.normCode, severity: $0.severity.converted(), note: $0.note) },
                  recordedAt: v.recordedAt, recordedBy: v.recordedBy)
    }
}

extension Components.Schemas.FraudSignal {
    /// - Parameter version: the signal's version (its ETag), on single-signal answers.
    init(_ s: FraudSignal, version: Int? = nil) {
        self.init(id: s.id.text, reference: s.reference, municipalityCode: s.municipalityCode.rawValue, schoolId: s.schoolId?.text,
                  reportedSchoolName: s.reportedSchoolName, reportedKvkNumber: s.reportedKvkNumber?.rawValue, reportedPlace: s.reportedPlace,
                  category: s.category.converted(), severity: s.severity.converted(), observedFrom: s.observedFrom.description,
                  observedUntil: s.observedUntil?.description, summary: s.summary, source: s.source.converted(), status: s.status.converted(),
                  receivedAt: s.receivedAt, recordedAt: s.recordedAt, version: version, caseReference: s.caseReference,
                  reportedVestigingsnummer: s.reportedVestigingsnummer?.rawValue, duplicateOf: s.duplicateOf?.text)
    }
}

extension Components.Schemas.DoubleLockOverview {
    /// - Parameter language: the language of every reason and explanation; their rules and parameters
    ///   are the same in both.
    init(_ a: Assessment, school: School, signals: SignalAggregate, asOf: Date, inputDigest: String,
         replies: [Components.Schemas.SchoolReply], language: TextLanguage = .english) {
        let period = a.request.contractPeriod
        // Parameters are sent only when there are any: an overview's JSON is then what it was before
        // explanations carried them wherever nothing changed.
        func parameters(_ e: Explanation) -> Components.Schemas.Contribution.ParametersPayload? {
            e.parameters.isEmpty ? nil : .init(additionalProperties: e.parameters)
        }
        self.init(
            asOf: asOf, inputDigest: inputDigest, replies: replies,
            school: .init(school), signals: .init(signals), date: a.request.date.description, route: a.request.route?.converted(),
            contractFrom: period?.from.description, contractTo: period?.until?.adding(days: -1).description,
            locationId: a.request.locationId?.text,
            modelVersion: a.modelVersion, verdict: a.verdict.converted(),
            qualityMark: .init(state: a.qualityMark.state.converted(), reasons: a.qualityMark.because.map { $0.text(language) },
                               reasonDetails: a.qualityMark.because.map { .init(rule: $0.rule, parameters: .init(additionalProperties: $0.parameters)) },
                               decisionInForce: a.qualityMark.decisionInForce.map(Components.Schemas.QualityMarkDecision.init),
                               coversContractPeriod: a.qualityMark.coversContractPeriod,
                               locations: a.qualityMark.locations.isEmpty ? nil : a.qualityMark.locations.map {
                                   .init(locationId: $0.locationId.text, state: $0.state.converted(),
                                         decisionInForce: $0.decisionInForce.map(Components.Schemas.QualityMarkDecision.init),
                                         coversContractPeriod: $0.coversContractPeriod)
                               }),
            oversight: .init(state: a.oversight.state.converted(), score: a.oversight.score, band: a.oversight.band.converted(),
                             contributions: a.oversight.contributions.map {
                                 .init(kind: $0.kind.converted(), rule: $0.rule, points: $0.points, evidenceIds: $0.evidenceIds.map(\.text),
                                       evidenceDate: $0.evidenceDate.description, explanation: $0.because.text(language),
                                       parameters: parameters($0.because))
                             },
                             hardBlocks: a.oversight.hardBlocks.map {
                                 .init(rule: $0.rule, evidenceIds: $0.evidenceIds.map(\.text), explanation: $0.because.text(language),
                                       parameters: parameters($0.because).map { .init(additionalProperties: $0.additionalProperties) })
                             }),
            coverage: .init(a.coverage))
    }
}

extension Components.Schemas.SignalAggregate {
    init(_ a: DubbelslotCore.SignalAggregate) {
        func counts<K: RawRepresentable<String>>(_ items: [(K, Int)]) -> [Components.Schemas.KeyCount] {
            items.map { .init(key: $0.0.rawValue, count: $0.1) }
        }
        self.init(date: a.date.description, total: a.total, reportingMunicipalities: a.reportingMunicipalities,
                  byCategory: counts(a.byCategory), bySeverity: counts(a.bySeverity), byStatus: counts(a.byStatus),
                  byMonth: a.byMonth.map { .init(key: $0.0, count: $0.1) })
    }
}

extension Components.Schemas.Coverage {
    init(_ c: Coverage) {
        let last = c.lastVisitByKind
        self.init(lastVisitByKind: .init(classroom: last[.classroom]?.description, financial: last[.financial]?.description,
                                         resultsAudit: last[.resultsAudit]?.description, clientAudit: last[.clientAudit]?.description,
                                         newEntrant: last[.newEntrant]?.description, followUp: last[.followUp]?.description),
                  signalsKnown: c.signalsKnown, signalsOpen: c.signalsOpen, sufficient: c.sufficient)
    }
}

extension Components.Schemas.OverviewItem {
    init(_ a: Assessment, school: School) {
        self.init(school: .init(school), verdict: a.verdict.converted(), score: a.oversight.score, band: a.oversight.band.converted(),
                  qualityMarkState: a.qualityMark.state.converted(), oversightState: a.oversight.state.converted(),
                  coverageSufficient: a.coverage.sufficient)
    }
}
