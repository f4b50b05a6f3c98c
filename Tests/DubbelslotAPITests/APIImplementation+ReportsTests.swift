import DubbelslotCore
import DubbelslotReport
import DubbelslotStore
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

extension APITests {
    /// `dubbelslot-report`'s sections (docs/decisions/0017-risk-report-as-an-api-client.md) over a real service on a real
    /// port, through the client generated from `openapi.yaml`, on a dataset whose answers were worked out by hand; and
    /// its formats.
    @Suite struct APIImplementationReportsTests {
        static func instant(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

        static func signal(_ api: APIHarness, _ school: School?, from m: Municipality, _ category: SignalCategory, received: String) async throws -> FraudSignal {
            try await api.store.signals.record(
                NewSignal(municipalityCode: m.code, schoolId: school?.id, reportedSchoolName: school?.name ?? "Onbekend", reportedKvkNumber: nil,
                          reportedPlace: m.name, category: category, severity: .medium, observedFrom: LocalDate(iso8601: "2025-10-01")!,
                          observedUntil: nil, summary: "Melding voor het rapport.", source: .ownCaseWork, receivedAt: instant(received)),
                actor: APIFixtures.actor)
        }

        static func mark(_ api: APIHarness, _ school: School, _ status: QualityMarkStatus, _ from: String, _ until: String?) async throws {
            try await APIFixtures.mark(api.store, school, status, from: LocalDate(iso8601: from)!, until: until.map { LocalDate(iso8601: $0)! })
        }

        /// The hand-worked dataset (period 2026-01-01 up to 2026-07-01, Europe/Amsterdam):
        /// - A (930): kickbacks from Amsterdam (10 Feb, Q1), kickbacks from Rotterdam (15 Apr, Q2), examFraud
        ///   from Utrecht (20 May, Q2); mark granted until 1 Mar, suspended 1 Mar–1 Apr, granted again from
        ///   1 Apr; one classroom visit on 29 Jun 2025; a location in Amstelveen never visited.
        /// - B (931): two lessonsNotGiven from Amsterdam (1 and 2 Mar); mark withdrawn from 30 Jun.
        /// - C (932): lessonsNotGiven from Rotterdam at 00:30 on 1 Jan local (still 31 Dec in UTC: Q1
        ///   2026), inducements from Amstelveen at 23:59 on 30 Jun local; a signal at 00:30 on 1 Jul local
        ///   (30 Jun in UTC) is outside the period; mark lapsed from 1 Jul (outside).
        /// - D (933): mark granted since 2020, classroom visit 2021 (over 48 months), financial visit 15 Jan 2026.
        struct Dataset { let a, b, c, d: School; let firstOfA: FraudSignal }

        static func seed(_ api: APIHarness) async throws -> Dataset {
            let a = try await APIFixtures.school(api.store, 930, locationsIn: [APIFixtures.amstelveen])
            let b = try await APIFixtures.school(api.store, 931)
            let c = try await APIFixtures.school(api.store, 932, in: APIFixtures.rotterdam)
            let d = try await APIFixtures.school(api.store, 933, in: APIFixtures.utrecht)
            let firstOfA = try await signal(api, a, from: APIFixtures.amsterdam, .kickbacks, received: "2026-02-10T09:00:00Z")
            _ = try await signal(api, a, from: APIFixtures.rotterdam, .kickbacks, received: "2026-04-15T09:00:00Z")
            _ = try await signal(api, a, from: APIFixtures.utrecht, .examFraud, received: "2026-05-20T09:00:00Z")
            _ = try await signal(api, b, from: APIFixtures.amsterdam, .lessonsNotGiven, received: "2026-03-01T09:00:00Z")
            _ = try await signal(api, b, from: APIFixtures.amsterdam, .lessonsNotGiven, received: "2026-03-02T09:00:00Z")
            _ = try await signal(api, c, from: APIFixtures.rotterdam, .lessonsNotGiven, received: "2025-12-31T23:30:00Z")
            _ = try await signal(api, c, from: APIFixtures.amstelveen, .inducements, received: "2026-06-30T21:59:00Z")
            _ = try await signal(api, c, from: APIFixtures.utrecht, .other, received: "2026-06-30T22:30:00Z")
            // Triaged two working days after receipt (Tuesday 10 Feb → Thursday 12 Feb).
            _ = try await api.store.signals.transition(firstOfA.id, to: .triaged, expectedVersion: 1, note: "Ontvankelijk.",
                                                       actor: APIFixtures.actor, at: instant("2026-02-12T09:00:00Z"))
            try await mark(api, a, .grantedFixedTerm, "2025-01-01", "2026-03-01")
            try await mark(api, a, .suspended, "2026-03-01", "2026-04-01")
            try await mark(api, a, .grantedFixedTerm, "2026-04-01", "2028-01-01")
            try await mark(api, b, .grantedIndefinite, "2024-01-01", "2026-06-30")
            try await mark(api, b, .withdrawn, "2026-06-30", nil)
            try await mark(api, c, .grantedFixedTerm, "2024-07-01", "2026-07-01")
            try await mark(api, c, .lapsed, "2026-07-01", nil)
            try await mark(api, d, .grantedIndefinite, "2020-01-01", nil)
            try await APIFixtures.visit(api.store, a, .classroom, on: LocalDate(iso8601: "2025-06-29")!)
            try await APIFixtures.visit(api.store, d, .classroom, on: LocalDate(iso8601: "2021-01-01")!)
            try await APIFixtures.visit(api.store, d, .financial, on: LocalDate(iso8601: "2026-01-15")!)
            return Dataset(a: a, b: b, c: c, d: d, firstOfA: firstOfA)
        }

        static func parameters(_ sections: [RiskReport.Section] = RiskReport.Section.allCases, top: Int = 20) -> RiskReport.Parameters {
            RiskReport.Parameters(from: "2026-01-01", to: "2026-07-01", top: top, sections: sections, generatedAt: "2026-11-30T00:00:00Z")
        }

        @Test func everySectionOnAHandWorkedDataset() async throws {
            try await withLiveAPI { api, url in
                let data = try await Self.seed(api)
                let report = try await ReportFetcher(serverURL: url, token: api.token(.analyst)).report(Self.parameters())
                #expect(report.missing.isEmpty)

                // 2. Across municipalities: A (three) before C (two); B's two signals are one municipality's.
                let across = try #require(report.acrossMunicipalities)
                #expect(across.map(\.name) == [data.a.name, data.c.name])
                #expect(across[0].municipalities == ["GM0344", "GM0363", "GM0599"] && across[0].signals == 3)
                #expect(across[0].categories.map { "\($0.key)=\($0.count)" } == ["kickbacks=2", "examFraud=1"])
                #expect(across[0].statuses.map { "\($0.key)=\($0.count)" } == ["received=2", "triaged=1"])
                #expect(across[1].municipalities == ["GM0362", "GM0599"])

                // 3. Modus operandi: seven signals; the 00:30 local ones fall on the local date.
                let mo = try #require(report.modusOperandi)
                #expect(mo.signals == 7 && mo.areaBy == "province")
                #expect(Set(mo.byCategoryQuarter.map { "\($0.key) \($0.category) \($0.count)" })
                    == ["2026-Q1 kickbacks 1", "2026-Q1 lessonsNotGiven 3", "2026-Q2 kickbacks 1", "2026-Q2 examFraud 1", "2026-Q2 inducements 1"])
                #expect(Set(mo.byCategoryArea.map { "\($0.key) \($0.category) \($0.count)" })
                    == ["PV27 kickbacks 1", "PV27 lessonsNotGiven 2", "PV27 inducements 1", "PV28 kickbacks 1", "PV28 lessonsNotGiven 1", "PV26 examFraud 1"])

                // 4. Supervision coverage on 30 June: holders A, C and D (B's mark ended that day).
                let coverage = try #require(report.supervisionCoverage)
                #expect(coverage.date == "2026-06-30" && coverage.markHolders == 3)
                #expect(coverage.withoutClassroomVisit48Months.map(\.name) == [data.c.name, data.d.name])
                #expect(coverage.withoutVisit12Months.map(\.name) == [data.a.name, data.c.name], "A's last visit is 12 months and a day old")
                #expect(coverage.withoutClassroomVisit48Months.last?.lastClassroomVisitOn == "2021-01-01")
                #expect(coverage.locationsNeverVisited.map(\.name) == [data.a.name])
                #expect(coverage.locationsNeverVisited.first?.municipalityCode == "GM0362")

                // 5. Quality-mark changes taking effect in the period, by start date.
                let changes = try #require(report.qualityMarkChanges)
                #expect(changes.map { "\($0.validFrom) \($0.name) \($0.status)" } == [
                    "2026-03-01 \(data.a.name) suspended", "2026-04-01 \(data.a.name) grantedFixedTerm", "2026-06-30 \(data.b.name) withdrawn"])

                // 6. Response times per municipality: Amsterdam received three, one triaged in 2 working days.
                let times = try #require(report.responseTimes)
                let byCode = Dictionary(uniqueKeysWithValues: times.municipalities.map { ($0.municipalityCode, $0) })
                #expect(byCode.mapValues(\.received) == ["GM0363": 3, "GM0599": 2, "GM0344": 1, "GM0362": 1])
                #expect(byCode["GM0363"]?.receivedToTriagedMedian == 2 && byCode["GM0363"]?.openPastTriageNorm == 2)

                // 1. Highest risk on 30 June: B, withdrawn that very day (25 points, no decay yet) with two
                // signals, above A (a suspension of 1 March, 121 days old, and three signals); C has two
                // signals only; D nothing. On 31 December none had points, so each change is its score.
                let top = try #require(report.highestRisk)
                #expect(report.modelVersion == "1.0.0")
                #expect(top.map(\.name) == [data.b.name, data.a.name, data.c.name, data.d.name])
                #expect(top[0].topContributions.first?.rule == "qualityMark.withdrawal" && top[0].topContributions.first?.points == 25)
                #expect(top[1].topContributions.first?.rule == "qualityMark.suspension" && top[1].topContributions.count == 3)
                for school in top {
                    #expect(school.previousScore == 0 && school.change == school.score)
                    #expect(school.topContributions.map(\.points) == school.topContributions.map(\.points).sorted(by: >))
                }
                #expect(top[3].score == 0 && top[3].topContributions.isEmpty)

                // --top and an area: only Noord-Holland's seats (A and B), the first of them.
                var one = Self.parameters([.highestRisk, .qualityMarkChanges, .acrossMunicipalities], top: 1)
                one.province = "PV27"
                let narrowed = try await ReportFetcher(serverURL: url, token: api.token(.analyst)).report(one)
                #expect(narrowed.highestRisk?.map(\.name) == [data.b.name])
                #expect(narrowed.qualityMarkChanges?.allSatisfy { $0.name != data.c.name } == true)
                // In Noord-Holland A was reported by Amsterdam alone and C by Amstelveen alone.
                #expect(narrowed.acrossMunicipalities?.isEmpty == true)
            }
        }

        @Test func aBuyerIsRefusedClearlyAndAnUnreachableServiceSaysSo() async throws {
            try await withLiveAPI { api, url in
                let fetcher = ReportFetcher(serverURL: url, token: api.token(.buyer))
                await #expect(throws: ReportError.refused(status: 403, message: "Not allowed for this token: The role buyer may not use getRiskRanking.")) {
                    _ = try await fetcher.report(Self.parameters([.highestRisk]))
                }
                // Parameters the service refuses (400) end the report at once: they are wrong for every section.
                var wrongArea = Self.parameters()
                wrongArea.province = "Noord-Holland"
                do {
                    _ = try await ReportFetcher(serverURL: url, token: api.token(.analyst)).report(wrongArea)
                    Issue.record("a bad province was accepted")
                } catch let error as ReportError {
                    guard case .refused(400, let message) = error, message.contains("province") else { Issue.record("\(error)"); return }
                }
                let bad = ReportFetcher(serverURL: url, token: "dbs_nonsense")
                do {
                    _ = try await bad.report(Self.parameters([.qualityMarkChanges]))
                    Issue.record("an unknown token was accepted")
                } catch let error as ReportError {
                    guard case .refused(401, _) = error else { Issue.record("\(error)"); return }
                }
            }
            let nowhere = ReportFetcher(serverURL: URL(string: "http://127.0.0.1:9")!, token: "x")
            do {
                _ = try await nowhere.report(Self.parameters([.qualityMarkChanges]))
                Issue.record("no error from a closed port")
            } catch let error as ReportError {
                guard case .unreachable = error else { Issue.record("\(error)"); return }
            }
        }

        /// A report with hostile names, for the formats (built from its JSON form: the document the
        /// `json` format writes is also what the report types read).
        static func hostileReport() -> RiskReport {
            let names = ["=HYPERLINK(\"x\")", "+31 20 123 4567", "@SUM(A1)", "-2+3", "\tTab", "Taalschool \"Voorbeeld\"; B.V., <b>"]
            let schools: [[String: Any]] = names.enumerated().map { i, name in
                ["schoolId": "id-\(i)", "name": name, "kvkNumber": "0000000\(i)", "municipalityCode": "GM0363", "score": 12.25 + Double(i),
                 "band": "low", "verdict": "caution", "previousScore": 10, "change": 2.3, "coverageSufficient": true, "signalsKnown": 2,
                 "topContributions": [["rule": "signals.severityPoints.high", "points": 8.5, "explanation": "x",
                                       "parameters": ["severity": "high", "category": "examFraud", "status": "underInvestigation",
                                                      "received": "2026-06-01", "ageDays": "10", "base": "16.0", "factor": "0.75"]]]]
            }
            let document: [String: Any] = [
                "parameters": ["from": "2026-01-01", "to": "2026-07-01", "top": 20, "sections": RiskReport.Section.allCases.map(\.rawValue),
                               "generatedAt": "2026-11-30T00:00:00Z"],
                "modelVersion": "1.0.0", "missing": [String: String](), "highestRisk": schools,
                "modusOperandi": ["signals": 3, "areaBy": "province",
                                  "byCategoryQuarter": [["category": "kickbacks", "key": "2026-Q1", "count": 2], ["category": "examFraud", "key": "2026-Q2", "count": 1]],
                                  "byCategoryArea": [["category": "kickbacks", "key": "PV27", "count": 3]]],
                "responseTimes": ["triageNormWorkingDays": 10, "conclusionNormWorkingDays": 65, "municipalities": [
                    ["municipalityCode": "GM0363", "received": 3, "receivedToTriagedMedian": 2, "receivedToTriagedP90": 4, "receivedToConcludedMedian": 30,
                     "receivedToConcludedP90": 70, "openPastTriageNorm": 1, "openPastConclusionNorm": 0]]],
            ]
            return try! JSONDecoder().decode(RiskReport.self, from: try! JSONSerialization.data(withJSONObject: document))
        }

        @Test func csvCellsAreFormulaSafeAndTheExcelVariantIsDutch() throws {
            let report = Self.hostileReport()
            let csv = String(decoding: try ReportRenderer.render(report, as: .csv), as: UTF8.self)
            for dangerous in ["=HYPERLINK", "+31 20", "@SUM", "-2+3", "\tTab"] {
                #expect(csv.contains("'\(dangerous)"), "not neutralised: \(dangerous)")
                #expect(!csv.contains(",\(dangerous)") && !csv.contains(",\"\(dangerous)"), "raw: \(dangerous)")
            }
            #expect(csv.contains("\"Taalschool \"\"Voorbeeld\"\"; B.V., <b>\""), "RFC 4180 quoting")
            #expect(csv.hasPrefix("section,table,#,School"))
            #expect(csv.contains(",12.3,") || csv.contains(",12.2,"), "decimal point in plain CSV")

            let excel = try ReportRenderer.render(report, as: .csv, excel: true)
            #expect(Array(excel.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 byte-order mark")
            let text = String(decoding: excel.dropFirst(3), as: UTF8.self)
            #expect(text.hasPrefix("section;table;#;School"))
            #expect(text.contains("\r\n"))
            #expect(text.contains(";13,3;") || text.contains(";13,2;"), "decimal comma")
            #expect(text.contains(";'=HYPERLINK(\"\"x\"\")") || text.contains(";\"'=HYPERLINK(\"\"x\"\")\""))
        }

        @Test func jsonFollowsItsSchema() async throws {
            try await withLiveAPI { api, url in
                _ = try await Self.seed(api)
                let report = try await ReportFetcher(serverURL: url, token: api.token(.analyst)).report(Self.parameters())
                let document = try JSONValue.parse(try ReportRenderer.render(report, as: .json))
                let schema = try JSONValue.parse(try ReportRenderer.jsonSchema())
                let errors = SchemaCheck(root: schema).errors(document, schema, at: "$")
                #expect(errors.isEmpty, "\(errors)")
                #expect(document.object?["highestRisk"]?.array?.isEmpty == false)
                // The check is real: a wrong document fails it.
                var broken = try #require(document.object)
                broken["highestRisk"] = .array([.object(["schoolId": .number(1)])])
                #expect(!SchemaCheck(root: schema).errors(.object(broken), schema, at: "$").isEmpty)
            }
        }

        @Test func htmlIsOneSelfContainedParsableFile() throws {
            let html = String(decoding: try ReportRenderer.render(Self.hostileReport(), as: .html), as: UTF8.self)
            #expect(!html.lowercased().contains("http"), "no references out")
            #expect(!html.lowercased().contains("<script"))
            #expect(html.contains("<svg") && html.contains("Signalen per kwartaal per categorie") && html.contains("Scoreverdeling"))
            #expect(html.contains("<html lang=\"nl\">") && html.contains("Hoogste risico"), "HTML is for Dutch readers")
            #expect(html.contains("&lt;b&gt;") && !html.contains("<b>"), "names are escaped")
            let parser = XMLParser(data: Data(html.utf8))
            #expect(parser.parse(), "\(String(describing: parser.parserError))")
            let markdown = String(decoding: try ReportRenderer.render(Self.hostileReport(), as: .markdown), as: UTF8.self)
            #expect(markdown.contains("| # | School | KvK | Zetel |"))
            #expect(markdown.contains("Signaal met ernst hoog (examenfraude), in onderzoek, ontvangen 1 juni 2026 (10 dagen eerder): 16,0 × 0,75 × afname met de tijd. (8,5 punten)"),
                    "explanations in Dutch from their parameters")
            let english = String(decoding: try ReportRenderer.render(Self.hostileReport(), as: .table, width: 400), as: UTF8.self)
            #expect(english.contains("signals.severityPoints.high 8.5"), "the terminal table keeps the rule ids")
            let table = String(decoding: try ReportRenderer.render(Self.hostileReport(), as: .table), as: UTF8.self)
            #expect(table.split(separator: "\n").allSatisfy { $0.count <= 100 }, "readable at 100 columns")
        }
    }
}

/// A JSON value, decoded strictly (a boolean is never a number).
indirect enum JSONValue: Decodable, Equatable {
    case bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue]), null

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    static func parse(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }

    var object: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var number: Double? { if case .number(let d) = self { d } else { nil } }
    var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
}

/// The subset of JSON Schema 2020-12 that `report.schema.json` uses: type, required, properties,
/// additionalProperties, items, enum, minItems, maxItems, minimum, maximum, pattern, `$ref` to `$defs`.
struct SchemaCheck {
    let root: JSONValue

    func errors(_ value: JSONValue, _ schemaValue: JSONValue, at path: String) -> [String] {
        guard let schema = schemaValue.object else { return [] }
        if let ref = schema["$ref"]?.string, ref.hasPrefix("#/$defs/"), let def = root.object?["$defs"]?.object?[String(ref.dropFirst(8))] {
            return errors(value, def, at: path)
        }
        if let type = schema["type"]?.string {
            let ok: Bool
            switch (type, value) {
            case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("number", .number): ok = true
            case ("integer", .number(let d)): ok = d == d.rounded()
            default: ok = false
            }
            if !ok { return ["\(path): not \(type)"] }
        }
        var found: [String] = []
        if let options = schema["enum"]?.array?.compactMap(\.string), let s = value.string, !options.contains(s) { found.append("\(path): \(s) not in enum") }
        if let pattern = schema["pattern"]?.string, let s = value.string, s.range(of: pattern, options: .regularExpression) == nil {
            found.append("\(path): \(s) does not match \(pattern)")
        }
        if let n = value.number {
            if let min = schema["minimum"]?.number, n < min { found.append("\(path): below \(min)") }
            if let max = schema["maximum"]?.number, n > max { found.append("\(path): above \(max)") }
        }
        if let object = value.object {
            for key in schema["required"]?.array?.compactMap(\.string) ?? [] where object[key] == nil { found.append("\(path).\(key): required") }
            let properties = schema["properties"]?.object ?? [:]
            for (key, item) in object {
                if let sub = properties[key] {
                    found += errors(item, sub, at: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"], case .object = additional {
                    found += errors(item, additional, at: "\(path).\(key)")
                } else if schema["additionalProperties"] == .bool(false) {
                    found.append("\(path).\(key): not allowed")
                }
            }
        }
        if let array = value.array {
            if let min = schema["minItems"]?.number, Double(array.count) < min { found.append("\(path): fewer than \(min) items") }
            if let max = schema["maxItems"]?.number, Double(array.count) > max { found.append("\(path): more than \(max) items") }
            if let items = schema["items"] {
                for (i, item) in array.enumerated() { found += errors(item, items, at: "\(path)[\(i)]") }
            }
        }
        return found
    }
}
