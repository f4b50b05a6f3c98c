import DubbelslotCore
import Foundation
import Yams

/// A risk-model file of the repository, decoded and validated.
func modelFile(_ path: String) -> RiskModel {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        url.deleteLastPathComponent()
    }
    let text = try! String(contentsOf: url.appendingPathComponent(path), encoding: .utf8)
    let model = try! YAMLDecoder().decode(RiskModel.self, from: text)
    try! model.validate()
    return model
}

/// The risk model as shipped in `config/risk-model.yaml` (1.1.0): the properties are checked on the real weights.
let shippedModel: RiskModel = modelFile("config/risk-model.yaml")

/// Risk model 1.0.0 as published before 1.1.0 (`config/risk-models/1.0.0.yaml`): its answers must not change.
let model100: RiskModel = modelFile("config/risk-models/1.0.0.yaml")

let today = LocalDate(iso8601: "2026-11-29")!
let schoolId = UUID(uuidString: "00000000-0000-4000-8000-000000000001")!

func decision(_ status: QualityMarkStatus, _ from: String, _ until: String? = nil, location: UUID? = nil) -> QualityMarkDecision {
    QualityMarkDecision(id: UUID(), schoolId: schoolId, locationId: location, status: status,
                        validDuring: DateRange(from: LocalDate(iso8601: from)!, until: until.map { LocalDate(iso8601: $0)! })!,
                        decidedOn: LocalDate(iso8601: from)!, reference: nil, reason: nil, objection: nil,
                        recordedAt: Date(timeIntervalSince1970: 0), recordedBy: "test")
}

func visit(_ kind: VisitKind = .classroom, _ outcome: VisitOutcome = .compliant, on date: LocalDate) -> SupervisionVisit {
    SupervisionVisit(id: UUID(), schoolId: schoolId, locationId: nil, kind: kind, announced: false, visitedOn: date, outcome: outcome,
                     findings: [], recordedAt: Date(timeIntervalSince1970: 0), recordedBy: "test")
}

func signal(_ severity: SignalSeverity = .medium, _ status: SignalStatus = .received, municipality: String = "GM0363",
            category: SignalCategory = .lessonsNotGiven, receivedOn date: LocalDate, id: UUID = UUID(), duplicateOf: UUID? = nil) -> SignalFact {
    SignalFact(id: id, municipalityCode: MunicipalityCode(municipality)!, schoolId: schoolId, category: category, severity: severity,
               status: status, receivedAt: date.startInstant().addingTimeInterval(3600 * 10), duplicateOf: duplicateOf)
}

/// Random but reproducible evidence for one school, drawn from `seed`.
func randomEvidence(seed: UInt64) -> RiskEvidence {
    var rng = SeededGenerator(seed: seed)
    let municipalities = ["GM0363", "GM0599", "GM0518", "GM0344", "GM0014"]
    var signals: [SignalFact] = []
    for _ in 0..<Int(rng.next() % 12) {
        signals.append(signal(SignalSeverity.allCases.randomElement(using: &rng)!, SignalStatus.allCases.randomElement(using: &rng)!,
                              municipality: municipalities.randomElement(using: &rng)!, receivedOn: today.adding(days: -Int(rng.next() % 1500)),
                              id: rng.uuid()))
    }
    var visits: [SupervisionVisit] = []
    for _ in 0..<Int(rng.next() % 5) {
        visits.append(SupervisionVisit(id: rng.uuid(), schoolId: schoolId, locationId: nil, kind: VisitKind.allCases.randomElement(using: &rng)!,
                                       announced: false, visitedOn: today.adding(days: -Int(rng.next() % 1500)),
                                       outcome: VisitOutcome.allCases.randomElement(using: &rng)!, findings: [],
                                       recordedAt: Date(timeIntervalSince1970: 0), recordedBy: "test"))
    }
    var decisions: [QualityMarkDecision] = []
    var from = today.adding(days: -2000)
    for _ in 0..<Int(rng.next() % 4) {
        let until = from.adding(days: 30 + Int(rng.next() % 900))
        decisions.append(QualityMarkDecision(id: rng.uuid(), schoolId: schoolId, status: QualityMarkStatus.allCases.randomElement(using: &rng)!,
                                             validDuring: DateRange(from: from, until: until)!, decidedOn: from, reference: nil, reason: nil,
                                             objection: nil, recordedAt: Date(timeIntervalSince1970: 0), recordedBy: "test"))
        from = until
    }
    var pairs: [SignalPair] = []
    for _ in 0..<Int(rng.next() % 6) where signals.count >= 2 {
        pairs.append(SignalPair(signals.randomElement(using: &rng)!.id, signals.randomElement(using: &rng)!.id))
    }
    return RiskEvidence(schoolId: schoolId, decisions: decisions, visits: visits, signals: signals, corroborations: pairs)
}

/// A CSV table of `header` and `rows`, the records numbered from line 2 as in a file.
func table(_ header: [String], _ rows: [[String]]) -> CSVTable {
    CSVTable(header: header, records: rows.enumerated().map { i, r in
        CSVRecord(line: i + 2, values: Dictionary(uniqueKeysWithValues: zip(header, r)))
    })
}
