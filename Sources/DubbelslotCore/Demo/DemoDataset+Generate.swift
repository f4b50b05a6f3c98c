public import Foundation

extension DemoDataset {
    /// The actor recorded on every generated fact.
    public static let actor = "demo-data"

    /// Generates the dataset.
    ///
    /// - Parameters:
    ///   - seed: the generator's seed; the same seed and anchor always give the same dataset.
    ///   - anchor: the last business date of the history (usually today); history reaches about 4 years back.
    ///   - municipalities: the real municipalities to spread schools over (at least one).
    ///   - schoolCount: number of fictional schools; defaults to 230.
    ///   - signalCount: number of signals over the last two years; defaults to 390.
    public static func generate(seed: UInt64, anchor: LocalDate, municipalities: [MunicipalityCode],
                                schoolCount: Int = 230, signalCount: Int = 390) -> DemoDataset {
        precondition(!municipalities.isEmpty, "need at least one municipality")
        var rng = SeededGenerator(seed: seed)
        let codes = municipalities.sorted()
        // The four largest cities get more schools, as in reality; the CBS codes are stable.
        let big: Set<String> = ["GM0363", "GM0599", "GM0518", "GM0344"]
        let weightedCodes = codes.map { ($0, big.contains($0.rawValue) ? 12.0 : 1.0) }
        let recordedAt = anchor.startInstant()

        var schools: [DemoSchool] = []
        let kinds = ["Taalschool", "Taalinstituut", "Inburgeringscentrum", "Taalhuis", "Leerhuis"]
        for i in 1...schoolCount {
            let seat = rng.weighted(weightedCodes)
            let number = String(format: "%03d", i)
            let kind = kinds[Int(rng.next() % UInt64(kinds.count))]
            let name = "\(kind) Voorbeeld \(number) B.V."
            var routes: Set<Route> = [.b1Route]
            if Double.random(in: 0..<1, using: &rng) < 0.55 { routes.insert(.zRoute) }
            if Double.random(in: 0..<1, using: &rng) < 0.2 { routes.insert(.educationRoute) }
            var locations = [SchoolLocation(id: rng.uuid(), vestigingsnummer: Vestigingsnummer(String(format: "0000%08d", i * 10 + 1)),
                                            municipalityCode: seat, address: "Voorbeeldstraat \(i), 9999 ZZ Nergensveld")]
            if Double.random(in: 0..<1, using: &rng) < 0.3 {
                let other = rng.weighted(weightedCodes)
                locations.append(SchoolLocation(id: rng.uuid(), vestigingsnummer: Vestigingsnummer(String(format: "0000%08d", i * 10 + 2)),
                                                municipalityCode: other, address: "Proefplein \(i), 9999 ZY Nergensveld"))
            }
            schools.append(DemoSchool(id: rng.uuid(), name: name, tradeNames: ["\(kind) \(number)"],
                                      kvkNumber: KvKNumber(String(format: "%08d", i))!, municipalityCode: seat,
                                      routes: routes, locations: locations))
        }

        var decisions: [QualityMarkDecision] = []
        var visits: [SupervisionVisit] = []
        let historyStart = anchor.adding(days: -4 * 365)
        // Which schools get suspended / withdrawn (about 40 and 20), and which never got past aspirant.
        var order = Array(schools.indices)
        order.shuffle(using: &rng)
        let suspendedSet = Set(order.prefix(40))
        let withdrawnSet = Set(order.dropFirst(40).prefix(20))
        let aspirantSet = Set(order.dropFirst(60).prefix(12))
        for (index, school) in schools.enumerated() {
            let start = historyStart.adding(days: Int(rng.next() % 400))
            func decision(_ status: QualityMarkStatus, _ from: LocalDate, _ until: LocalDate?, _ reason: String?) {
                let decidedOn = min(from.adding(days: -Int(rng.next() % 20)), anchor)
                decisions.append(QualityMarkDecision(
                    id: rng.uuid(), schoolId: school.id, status: status, validDuring: DateRange(from: from, until: until)!,
                    decidedOn: decidedOn, reference: "BOW-DEMO-\(String(format: "%05d", decisions.count + 1))",
                    reason: reason, objection: nil, recordedAt: min(decidedOn.startInstant(), recordedAt), recordedBy: actor))
            }
            if aspirantSet.contains(index) {
                decision(.aspirant, anchor.adding(days: -Int(rng.next() % 300) - 10), nil, "New entrant: not all norms judged yet.")
            } else if suspendedSet.contains(index) {
                let sFrom = anchor.adding(days: -Int(rng.next() % 700) - 30)
                let sUntil = sFrom.adding(days: 60 + Int(rng.next() % 120))
                decision(.grantedIndefinite, start, sFrom, nil)
                decision(.suspended, sFrom, sUntil, "Lighter violation found at supervision (fictional).")
                if sUntil <= anchor { decision(.grantedIndefinite, sUntil, nil, "Suspension lifted after follow-up visit.") }
                else { decision(.grantedIndefinite, sUntil, nil, "Planned end of suspension.") }
            } else if withdrawnSet.contains(index) {
                let wFrom = anchor.adding(days: -Int(rng.next() % 700) - 30)
                decision(.grantedFixedTerm, start, wFrom, nil)
                decision(.withdrawn, wFrom, nil, "Withdrawn after financial supervision (fictional).")
            } else if Double.random(in: 0..<1, using: &rng) < 0.25 {
                // A fixed-term mark, some ending within the next year (a buyer's contract may outlast it).
                decision(.grantedFixedTerm, start, anchor.adding(days: 60 + Int(rng.next() % 700)), nil)
            } else {
                decision(.grantedIndefinite, start, nil, nil)
            }
            // Visits: most schools have a classroom visit in the last 4 years; a tenth none at all (coverage gaps).
            let visitCount = Double.random(in: 0..<1, using: &rng) < 0.1 ? 0 : 1 + Int(rng.next() % 4)
            for _ in 0..<visitCount {
                let kind = rng.weighted([(VisitKind.classroom, 5.0), (.financial, 2), (.resultsAudit, 2), (.clientAudit, 1), (.followUp, 1)])
                let on = anchor.adding(days: -Int(rng.next() % 1400))
                let troubled = suspendedSet.contains(index) || withdrawnSet.contains(index)
                let outcome = rng.weighted([(VisitOutcome.compliant, troubled ? 2.0 : 8), (.minorFindings, 3), (.majorFindings, troubled ? 3.0 : 0.5),
                                            (.accessRefused, troubled ? 0.6 : 0.05)])
                var findings: [Finding] = []
                if outcome == .minorFindings || outcome == .majorFindings {
                    for f in 0..<(1 + Int(rng.next() % 3)) {
                        findings.append(Finding(id: rng.uuid(), normCode: "\(1 + f).\(1 + Int(rng.next() % 6))",
                                                severity: outcome == .majorFindings && f == 0 ? .major : .minor,
                                                note: "Fictional finding for demonstration."))
                    }
                }
                visits.append(SupervisionVisit(id: rng.uuid(), schoolId: school.id, locationId: school.locations.first?.id, kind: kind,
                                               announced: Double.random(in: 0..<1, using: &rng) < 0.5, visitedOn: on, outcome: outcome,
                                               findings: findings, recordedAt: min(on.adding(days: 1).startInstant(), recordedAt), recordedBy: actor))
            }
        }

        // Signals: about 100 schools concerned, troubled schools more often.
        let concerned = Array(order.prefix(60)) + Array(order.dropFirst(72).prefix(40))
        let categories: [(SignalCategory, Double)] = [
            (.inducements, 108), (.lessonsNotGiven, 96), (.attendanceFalsified, 45), (.kickbacks, 30), (.examFraud, 20),
            (.poorTeaching, 30), (.financialIrregularities, 25), (.onaDossierFraud, 10), (.inspectionGaming, 8),
            (.conflictOfInterest, 8), (.other, 10),
        ]
        var signals: [DemoSignal] = []
        for _ in 0..<signalCount {
            let schoolIndex = concerned[Int(Double(concerned.count) * pow(Double.random(in: 0..<1, using: &rng), 1.6))]
            let school = schools[schoolIndex]
            let reporter = Double.random(in: 0..<1, using: &rng) < 0.6 ? school.municipalityCode : rng.weighted(weightedCodes)
            let receivedDay = anchor.adding(days: -Int(rng.next() % 730))
            let receivedAt = receivedDay.startInstant().addingTimeInterval(Double(8 * 3600 + Int(rng.next() % 36000)))
            let category = rng.weighted(categories)
            let severity = rng.weighted([(SignalSeverity.low, 3.0), (.medium, 5), (.high, 2)])
            let age = receivedDay.days(until: anchor)
            let final: SignalStatus =
                age < 14 ? .received
                : age < 45 ? rng.weighted([(SignalStatus.triaged, 2.0), (.underInvestigation, 1)])
                : rng.weighted([(SignalStatus.substantiated, 3.0), (.unfounded, 3), (.inconclusive, 2), (.underInvestigation, 1)])
            var transitions = [Transition(from: nil, to: .received, at: receivedAt, note: "Received from the municipality.")]
            var at = receivedAt
            for step in path(to: final) {
                at = at.addingTimeInterval(Double(86400 * (2 + Int(rng.next() % 20))))
                transitions.append(Transition(from: transitions.last!.to, to: step, at: at, note: "Demo triage step."))
            }
            let observedFrom = receivedDay.adding(days: -Int(rng.next() % 180) - 1)
            let signal = FraudSignal(
                id: rng.uuid(), reference: "", municipalityCode: reporter, schoolId: school.id, reportedSchoolName: school.name,
                reportedKvkNumber: Double.random(in: 0..<1, using: &rng) < 0.7 ? school.kvkNumber : nil,
                reportedPlace: nil, category: category, severity: severity, observedFrom: observedFrom, observedUntil: receivedDay,
                summary: "Fictional demonstration signal (\(category.rawValue)) about a fictional school.",
                source: rng.weighted([(SignalSource.learnerComplaint, 4.0), (.staffReport, 2), (.ownCaseWork, 3), (.duo, 1), (.otherAuthority, 1)]),
                status: final, receivedAt: receivedAt, recordedAt: receivedAt, recordedBy: actor)
            signals.append(DemoSignal(signal: signal, transitions: transitions))
        }
        signals.sort { ($0.signal.receivedAt, $0.signal.id.uuidString) < ($1.signal.receivedAt, $1.signal.id.uuidString) }
        // Link each school's same-category signals from other municipalities to the first one, as an inspector would.
        var corroborations: [SignalPair] = []
        let groups = Dictionary(grouping: signals.map(\.signal)) { "\($0.schoolId!.uuidString)|\($0.category.rawValue)" }
        for key in groups.keys.sorted() {
            let group = groups[key]!
            guard let first = group.first else { continue }
            for other in group.dropFirst() where other.municipalityCode != first.municipalityCode {
                corroborations.append(SignalPair(first.id, other.id))
            }
        }
        return DemoDataset(seed: seed, anchor: anchor, schools: schools, decisions: decisions, visits: visits, signals: signals,
                           corroborations: corroborations)
    }

    /// The statuses a signal passes after `received` to reach `final`.
    private static func path(to final: SignalStatus) -> [SignalStatus] {
        switch final {
        case .received: []
        case .triaged: [.triaged]
        case .underInvestigation: [.triaged, .underInvestigation]
        case .substantiated, .unfounded, .inconclusive: [.triaged, .underInvestigation, final]
        }
    }
}
