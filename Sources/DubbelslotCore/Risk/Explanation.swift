import Foundation

/// Why a lock is in its state, or where a contribution's points or a hard block come from: the rule
/// and its parameters as data, rendered into words only when shown (in English or Dutch).
///
/// `rule` is the `config/risk-model.yaml` key for contributions and hard blocks (for example
/// `signals.severityPoints.high`), and a `qualityMark.*` id for lock 1's reasons. Parameters are
/// strings as they appear in the text: dates ISO 8601 (`2026-03-01`), counts and days as integers,
/// points as Swift prints a `Double` (`16.0`). Optional parameters change the wording; a model before
/// 1.1.0 never sets them, so its English texts stay byte for byte what they were.
public struct Explanation: Hashable, Sendable {
    /// The rule's key: a `config/risk-model.yaml` key (`signals.severityPoints.high`) or a `qualityMark.*` id.
    public let rule: String
    /// The rule's parameters as they appear in the text (ISO 8601 dates, integer counts and days).
    public let parameters: [String: String]

    /// An explanation of `rule` with its parameters; nothing is rendered until ``text(_:)``.
    public init(_ rule: String, _ parameters: [String: String] = [:]) {
        self.rule = rule
        self.parameters = parameters
    }

    /// The explanation in words.
    public func text(_ language: TextLanguage = .english) -> String {
        ExplanationText.render(self, language)
    }
}

/// The languages explanations are written in. The web pages, the report's HTML and Markdown, and
/// API clients sending `Accept-Language: nl` get Dutch; everyone else English.
public enum TextLanguage: String, Hashable, Sendable, CaseIterable {
    /// English (`en`), the default.
    case english = "en"
    /// Dutch (`nl`).
    case dutch = "nl"

    /// The language an `Accept-Language` header (RFC 9110 §12.5.4) asks for: Dutch when `nl` (or a
    /// `nl-*` tag) has a higher weight than `en` and is not refused with `q=0`; English otherwise.
    public init(acceptLanguage header: String?) {
        self = .english
        guard let header, header.utf8.count <= 1_000 else { return }
        var best: (weight: Double, language: TextLanguage)?
        for item in header.split(separator: ",").prefix(50) {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased() else { continue }
            var weight = 1.0
            for p in parts.dropFirst() where p.hasPrefix("q=") { weight = Double(p.dropFirst(2)) ?? 0 }
            let language: TextLanguage? =
                tag == "nl" || tag.hasPrefix("nl-") ? .dutch : tag == "en" || tag.hasPrefix("en-") || tag == "*" ? .english : nil
            guard let language, weight > 0 else { continue }
            if best == nil || weight > best!.weight { best = (weight, language) }
        }
        self = best?.language ?? .english
    }
}

/// The wording of every ``Explanation``, in English and Dutch, in one place.
enum ExplanationText {
    static func render(_ e: Explanation, _ language: TextLanguage) -> String {
        let p = e.parameters
        let nl = language == .dutch
        func v(_ key: String) -> String { p[key] ?? "" }
        func date(_ key: String) -> String { nl ? DutchTerms.date(v(key)) : v(key) }
        func mark(_ key: String) -> String { nl ? DutchTerms.word(v(key), in: DutchTerms.markStatuses) : v(key) }
        switch e.rule {
        case "qualityMark.notApplicable":
            return nl ? "De onderwijsroute valt buiten het keurmerk; de Inspectie van het Onderwijs houdt er toezicht op."
                : "The education route falls outside the quality mark; the education inspectorate supervises it."
        case "qualityMark.noDecision":
            var text = nl ? "Op \(date("date")) is geen keurmerkbesluit van kracht." : "No quality-mark decision is in force on \(v("date"))."
            if p["lastValidDay"] != nil {
                text += nl ? " Het laatste besluit (\(mark("lastStatus"))) gold tot en met \(date("lastValidDay"))."
                    : " The last decision (\(v("lastStatus"))) was in force through \(v("lastValidDay"))."
            }
            return text
        case "qualityMark.held":
            if p["validThrough"] != nil {
                return nl ? "Keurmerk \(mark("status")) van kracht op \(date("date")) (sinds \(date("since")), geldig tot en met \(date("validThrough")))."
                    : "Quality mark \(v("status")) in force on \(v("date")) (since \(v("since")), valid through \(v("validThrough")))."
            }
            return nl ? "Keurmerk \(mark("status")) van kracht op \(date("date")) (sinds \(date("since")))."
                : "Quality mark \(v("status")) in force on \(v("date")) (since \(v("since")))."
        case "qualityMark.aspirant":
            return nl ? "Op \(date("date")) geldt alleen een aspirant-keurmerk: nog niet alle normen zijn beoordeeld."
                : "Only an aspirant mark is in force on \(v("date")): not all norms have been judged yet."
        case "qualityMark.notHeld":
            return nl ? "Het keurmerk is op \(date("date")) \(mark("status")) (sinds \(date("since")))."
                : "The quality mark is \(v("status")) on \(v("date")) (since \(v("since")))."
        case "qualityMark.contractNotCovered", "qualityMark.locationContractNotCovered":
            let last = p["contractLast"].map { nl ? DutchTerms.date($0) : $0 } ?? (nl ? "onbepaalde tijd" : "open-ended")
            let location = e.rule == "qualityMark.locationContractNotCovered"
            var text = nl
                ? (location ? "Het keurmerk dekt op locatie \(v("location")) niet de hele contractperiode \(date("contractFrom"))–\(last): "
                            : "Het keurmerk dekt niet de hele contractperiode \(date("contractFrom"))–\(last): ")
                : (location ? "At location \(v("location")) the quality mark does not cover the whole contract period \(v("contractFrom"))–\(last): "
                            : "The quality mark does not cover the whole contract period \(v("contractFrom"))–\(last): ")
            if p["lastValidDay"] != nil {
                text += nl ? "het keurmerk geldt tot en met \(date("lastValidDay")), geen verleend keurmerk vanaf \(date("firstUncovered"))."
                    : "the mark is valid through \(v("lastValidDay")), no granted mark from \(v("firstUncovered"))."
            } else {
                text += nl ? "geen verleend keurmerk op \(date("firstUncovered"))." : "no granted mark on \(v("firstUncovered"))."
            }
            return text
        case "qualityMark.location":
            return nl ? "Locatie \(v("location")): het keurmerk is daar op \(date("date")) \(mark("status")) (sinds \(date("since"))); locaties zonder eigen besluit volgen het keurmerk van de school."
                : "Location \(v("location")): the quality mark is \(v("status")) there on \(v("date")) (since \(v("since"))); locations without decisions of their own follow the school's mark."
        case "signals.openAttentionSeverityAtLeast":
            let n = Int(v("count")) ?? 0
            return nl ? "\(n) \(n == 1 ? "signaal" : "signalen") met ernst \(DutchTerms.word(v("severity"), in: DutchTerms.severities)) of hoger \(n == 1 ? "is" : "zijn") nog open (ontvangen, beoordeeld of in onderzoek): kijk eerst zelf voordat u contracteert."
                : "\(n) signal\(n == 1 ? "" : "s") of \(v("severity")) severity or worse still open (received, triaged or under investigation): look before contracting."
        case "corroboration.pointsPerAdditionalMunicipality":
            let linked = v("linked") == "true"
            return nl ? "\(v("municipalities")) verschillende gemeenten meldden deze school\(linked ? ", door een inspecteur als bevestigend gekoppeld" : "")."
                : "\(v("municipalities")) different municipalities reported this school\(linked ? ", linked as corroborating by an inspector" : "")."
        case "corroboration.linkedPointsPerAdditionalMunicipality":
            return nl ? "Een inspecteur koppelde meldingen van \(v("municipalities")) gemeenten als elkaar bevestigend."
                : "An inspector linked the reports of \(v("municipalities")) municipalities as corroborating each other."
        case "visits.financialMajorFindingsExtra":
            return nl ? "Financieel toezicht op \(date("visitedOn")) vond ernstige tekortkomingen."
                : "Financial supervision on \(v("visitedOn")) found major deviations."
        case "hardBlocks.substantiatedSeverityAtLeast":
            return nl ? "Een gegrond signaal met ernst \(DutchTerms.word(v("severity"), in: DutchTerms.severities)) of hoger binnen \(v("days")) dagen."
                : "A substantiated signal of \(v("severity")) severity or worse within \(v("days")) days."
        case "hardBlocks.accessRefusedWithinDays":
            return nl ? "Bij een toezichtbezoek binnen \(v("days")) dagen werd de toegang geweigerd."
                : "Access was refused to a supervision visit within \(v("days")) days."
        default:
            break
        }
        if e.rule == "signals.severityPoints" && p["receivedMonth"] != nil {
            // Signals the reader may not open, one term per month: no severity, no day, no age.
            let n = Int(v("count")) ?? 0
            return nl ? "\(n) \(n == 1 ? "signaal" : "signalen") die u niet kunt inzien, ontvangen in \(DutchTerms.month(v("receivedMonth"))), samen geteld."
                : "\(n) signal\(n == 1 ? "" : "s") you may not read, received in \(v("receivedMonth")), counted together."
        }
        if e.rule.hasPrefix("signals.severityPoints.") {
            if nl {
                return "Signaal met ernst \(DutchTerms.word(v("severity"), in: DutchTerms.severities)) (\(DutchTerms.word(v("category"), in: DutchTerms.categories).lowercased())), \(DutchTerms.word(v("status"), in: DutchTerms.signalStatuses)), ontvangen \(date("received")) (\(v("ageDays")) dagen eerder): \(v("base").replacingOccurrences(of: ".", with: ",")) × \(v("factor").replacingOccurrences(of: ".", with: ",")) × afname met de tijd."
            }
            return "\(v("severity").capitalized)-severity \(v("category")) signal, \(v("status")), received \(v("received")) (\(v("ageDays")) days before): \(v("base")) × \(v("factor")) × decay."
        }
        if e.rule.hasPrefix("visits.") {
            if nl {
                return "\(DutchTerms.word(v("kind"), in: DutchTerms.visitKinds)) op \(date("visitedOn")): \(DutchTerms.word(v("outcome"), in: DutchTerms.outcomes).lowercased()) (\(v("findings")) \(v("findings") == "1" ? "bevinding" : "bevindingen"))."
            }
            return "\(v("kind")) visit on \(v("visitedOn")): \(v("outcome")) (\(v("findings")) findings)."
        }
        if e.rule.hasPrefix("qualityMark.") {
            // A location's decision names the location (a school-wide one says nothing more, as in 1.0.0).
            if p["location"] != nil {
                return nl ? "Keurmerk op locatie \(v("location")) \(mark("status")) vanaf \(date("from"))."
                    : "Quality mark at location \(v("location")) \(v("status")) from \(v("from"))."
            }
            return nl ? "Keurmerk \(mark("status")) vanaf \(date("from"))." : "Quality mark \(v("status")) from \(v("from"))."
        }
        // A rule this build has no words for: its id and parameters, so nothing is hidden.
        return ([e.rule] + p.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
    }
}
