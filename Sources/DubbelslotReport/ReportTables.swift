public import DubbelslotCore
import Foundation

/// One cell of a report table.
public enum ReportCell: Sendable, Equatable {
    /// Text as it is.
    case text(String)
    /// A whole number.
    case int(Int)
    /// A number shown with `decimals` digits after the separator.
    case number(Double, decimals: Int)
    /// No value: blank in CSV, `–` in the other text formats.
    case empty
}

/// One table of the report: what every text format (table, CSV, Markdown, HTML) lays out.
public struct ReportTable: Sendable, Equatable {
    /// The section the table shows.
    public let section: RiskReport.Section
    /// The table's title, in the language asked for.
    public let title: String
    /// The column headings, in the language asked for.
    public let columns: [String]
    /// The rows, each with one cell per column; empty when the section found nothing.
    public let rows: [[ReportCell]]
}

extension RiskReport {
    /// The report's tables, in section order; an asked-for section that is empty still has its
    /// table (with no rows), so a reader sees it was looked at.
    ///
    /// - Parameter language: Dutch titles, columns and explanations for the HTML and Markdown formats
    ///   (read by people at municipalities and the inspectorate); English for the table, CSV and JSON.
    public func tables(language: TextLanguage = .english) -> [ReportTable] {
        let nl = language == .dutch
        func w(_ english: String, _ dutch: String) -> String { nl ? dutch : english }
        // Codes in Dutch words where people read the report (shared/GLOSSARY.md; DutchTerms).
        func word(_ code: String, _ pairs: [(String, String)]) -> String { nl ? DutchTerms.word(code, in: pairs) : code }
        let bands = [("low", "laag"), ("elevated", "verhoogd"), ("high", "hoog"), ("critical", "kritiek"), ("insufficientData", "onvoldoende gegevens")]
        let verdicts = [("clear", "vrij"), ("caution", "let op"), ("blocked", "geblokkeerd")]
        func counts(_ items: [KeyCount], _ pairs: [(String, String)]) -> String { items.map { "\(word($0.key, pairs)) \($0.count)" }.joined(separator: ", ") }
        func contributions(_ items: [Contribution]) -> String {
            items.map { c in
                guard nl, let p = c.parameters else { return "\(c.rule) \(Self.format(c.points, 1))" }
                return "\(Explanation(c.rule, p).text(.dutch)) (\(Self.format(c.points, 1, comma: true)) punten)"
            }.joined(separator: "; ")
        }
        var result: [ReportTable] = []
        func n(_ value: Double?, _ decimals: Int = 1) -> ReportCell { value.map { .number($0, decimals: decimals) } ?? .empty }
        func t(_ value: String?) -> ReportCell { value.map(ReportCell.text) ?? .empty }
        for section in parameters.sections {
            switch section {
            case .highestRisk:
                guard let items = highestRisk else { continue }
                result.append(ReportTable(
                    section: section, title: w("Highest risk (top \(parameters.top), model \(modelVersion ?? "?"))", "Hoogste risico (top \(parameters.top), model \(modelVersion ?? "?"))"),
                    columns: nl ? ["#", "School", "KvK", "Zetel", "Score", "Band", "Oordeel", "Verandering", "Grootste bijdragen", "Dekking", "Signalen"]
                        : ["#", "School", "KvK", "Seat", "Score", "Band", "Verdict", "Change", "Largest contributions", "Coverage", "Signals"],
                    rows: items.enumerated().map { i, s in
                        [.int(i + 1), .text(s.name), .text(s.kvkNumber), .text(s.municipalityCode), n(s.score), .text(word(s.band, bands)), .text(word(s.verdict, verdicts)),
                         n(s.change), .text(contributions(s.topContributions)),
                         .text(s.coverageSufficient ? w("sufficient", "voldoende") : w("insufficient", "onvoldoende")), .int(s.signalsKnown)]
                    }))
            case .acrossMunicipalities:
                guard let items = acrossMunicipalities else { continue }
                result.append(ReportTable(
                    section: section, title: w("Reported by two or more municipalities", "Gemeld door twee of meer gemeenten"),
                    columns: nl ? ["School", "Gemeenten", "Signalen", "Categorieën", "Statussen"] : ["School", "Municipalities", "Signals", "Categories", "Statuses"],
                    rows: items.map { [.text($0.name), .text($0.municipalities.joined(separator: " ")), .int($0.signals),
                                       .text(counts($0.categories, DutchTerms.categories)), .text(counts($0.statuses, DutchTerms.signalStatuses))] }))
            case .modusOperandi:
                guard let m = modusOperandi else { continue }
                result.append(ReportTable(section: section, title: w("Signals by category and quarter", "Signalen per categorie en kwartaal"),
                                          columns: nl ? ["Categorie", "Kwartaal", "Signalen"] : ["Category", "Quarter", "Signals"],
                                          rows: m.byCategoryQuarter.map { [.text(word($0.category, DutchTerms.categories)), .text($0.key), .int($0.count)] }))
                result.append(ReportTable(section: section, title: nl ? "Signalen per categorie en \(m.areaBy == "region" ? "arbeidsmarktregio" : "provincie")" : "Signals by category and \(m.areaBy)",
                                          columns: nl ? ["Categorie", m.areaBy == "region" ? "Regio" : "Provincie", "Signalen"]
                                              : ["Category", m.areaBy == "region" ? "Region" : "Province", "Signals"],
                                          rows: m.byCategoryArea.map { [.text(word($0.category, DutchTerms.categories)), .text($0.key), .int($0.count)] }))
            case .supervisionCoverage:
                guard let c = supervisionCoverage else { continue }
                let gapColumns = nl ? ["School", "Zetel", "Laatste toezicht in de klas", "Laatste bezoek"] : ["School", "Seat", "Last classroom visit", "Last visit"]
                func gaps(_ items: [CoverageGap]) -> [[ReportCell]] {
                    items.map { [.text($0.name), .text($0.municipalityCode), t($0.lastClassroomVisitOn), t($0.lastVisitOn)] }
                }
                result.append(ReportTable(section: section, title: w("Mark holders without a classroom visit in 48 months (of \(c.markHolders), on \(c.date))",
                                                                              "Keurmerkhouders zonder toezicht in de klas in 48 maanden (van \(c.markHolders), op \(c.date))"),
                                          columns: gapColumns, rows: gaps(c.withoutClassroomVisit48Months)))
                result.append(ReportTable(section: section, title: w("Mark holders without any visit in 12 months (on \(c.date))", "Keurmerkhouders zonder enig bezoek in 12 maanden (op \(c.date))"),
                                          columns: gapColumns, rows: gaps(c.withoutVisit12Months)))
                result.append(ReportTable(section: section, title: w("Locations never visited", "Vestigingen nooit bezocht"),
                                          columns: nl ? ["School", "Gemeente", "Adres"] : ["School", "Municipality", "Address"],
                                          rows: c.locationsNeverVisited.map { [.text($0.name), .text($0.municipalityCode), t($0.address)] }))
            case .qualityMarkChanges:
                guard let items = qualityMarkChanges else { continue }
                result.append(ReportTable(section: section, title: w("Quality-mark decisions taking effect", "Keurmerkbesluiten die ingaan"),
                                          columns: nl ? ["School", "Status", "Van", "Tot", "Besloten"] : ["School", "Status", "From", "Until", "Decided"],
                                          rows: items.map { [.text($0.name), .text(nl ? DutchTerms.word($0.status, in: DutchTerms.markStatuses) : $0.status), .text($0.validFrom), t($0.validUntil), .text($0.decidedOn)] }))
            case .responseTimes:
                guard let r = responseTimes else { continue }
                result.append(ReportTable(
                    section: section,
                    title: w("Response times in working days (norms: triage \(r.triageNormWorkingDays), conclusion \(r.conclusionNormWorkingDays))",
                             "Reactietijden in werkdagen (normen: triage \(r.triageNormWorkingDays), afronding \(r.conclusionNormWorkingDays))"),
                    columns: nl ? ["Gemeente", "Ontvangen", "Triage mediaan", "Triage p90", "Afronding mediaan", "Afronding p90", "Open na triagenorm", "Open na afrondingsnorm"]
                        : ["Municipality", "Received", "Triage median", "Triage p90", "Conclusion median", "Conclusion p90", "Open past triage", "Open past conclusion"],
                    rows: r.municipalities.map { [.text($0.municipalityCode), .int($0.received), n($0.receivedToTriagedMedian, 0), n($0.receivedToTriagedP90, 0),
                                                  n($0.receivedToConcludedMedian, 0), n($0.receivedToConcludedP90, 0), .int($0.openPastTriageNorm),
                                                  .int($0.openPastConclusionNorm)] }))
            }
        }
        return result
    }

    /// A number with `decimals` digits after a point (or a comma for Dutch Excel).
    static func format(_ value: Double, _ decimals: Int, comma: Bool = false) -> String {
        var text = String(format: "%.\(decimals)f", value)
        if text.hasPrefix("-0") && Double(text) == 0 { text.removeFirst() }
        return comma ? text.replacingOccurrences(of: ".", with: ",") : text
    }
}
