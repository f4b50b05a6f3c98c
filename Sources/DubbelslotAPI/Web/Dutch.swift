import DubbelslotCore
import Foundation

/// Dutch words for the domain's codes, and Dutch wording of the API's validation rules, for the pages.
enum Dutch {
    static func role(_ role: Role) -> String {
        switch role {
        case .buyer: "inkoper"
        case .signaller: "signaleerder"
        case .inspector: "inspecteur"
        case .analyst: "analist"
        case .admin: "beheerder"
        }
    }

    /// Lock state with its word (never colour alone).
    static func lock(_ state: String) -> String {
        switch state {
        case "open": "Open"
        case "attention": "Aandacht"
        case "closed": "Dicht"
        case "notApplicable": "Niet van toepassing"
        default: state
        }
    }

    static func verdict(_ verdict: String) -> String {
        switch verdict {
        case "clear": "Vrij"
        case "caution": "Let op"
        case "blocked": "Geblokkeerd"
        default: verdict
        }
    }

    static func band(_ band: String) -> String {
        switch band {
        case "low": "laag"
        case "elevated": "verhoogd"
        case "high": "hoog"
        case "critical": "kritiek"
        case "insufficientData": "onvoldoende gegevens"
        default: band
        }
    }

    static let routes: [(String, String)] = [("b1Route", "B1-route"), ("zRoute", "Z-route"), ("educationRoute", "Onderwijsroute")]

    static func route(_ code: String) -> String { routes.first { $0.0 == code }?.1 ?? code }

    static let markStatuses = DutchTerms.markStatuses

    static func markStatus(_ code: String) -> String { markStatuses.first { $0.0 == code }?.1 ?? code }

    static let signalStatuses = DutchTerms.signalStatuses

    static func signalStatus(_ code: String) -> String { signalStatuses.first { $0.0 == code }?.1 ?? code }

    static let categories = DutchTerms.categories

    static func category(_ code: String) -> String { categories.first { $0.0 == code }?.1 ?? code }

    static let severities = DutchTerms.severities

    static func severity(_ code: String) -> String { severities.first { $0.0 == code }?.1 ?? code }

    static let sources: [(String, String)] = [
        ("ownCaseWork", "Eigen casuswerk"), ("learnerComplaint", "Klacht van inburgeraar"), ("staffReport", "Melding van medewerker"),
        ("duo", "DUO"), ("otherAuthority", "Andere overheid"), ("media", "Media"), ("other", "Anders"),
    ]

    static let visitKinds = DutchTerms.visitKinds

    static func visitKind(_ code: String) -> String { visitKinds.first { $0.0 == code }?.1 ?? code }

    static let outcomes = DutchTerms.outcomes

    static func outcome(_ code: String) -> String { outcomes.first { $0.0 == code }?.1 ?? code }

    static let decisions: [(String, String)] = [("proceed", "Doorgaan"), ("doNotProceed", "Niet doorgaan"), ("deferred", "Uitgesteld")]

    static func decision(_ code: String) -> String { decisions.first { $0.0 == code }?.1 ?? code }

    /// Options for a `<select>`, with the chosen one marked.
    static func options(_ pairs: [(String, String)], selected: String?) -> [[String: Any]] {
        pairs.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == selected] }
    }

    /// A rule of the API (English, as in problem+json) in Dutch; unknown rules keep their text.
    static func rule(_ rule: String) -> String {
        if rule.hasPrefix("must not contain personal data") {
            let kind = rule.contains("BSN") ? "een BSN (burgerservicenummer)"
                : rule.contains("IBAN") ? "een IBAN (rekeningnummer)"
                : rule.contains("e-mail") ? "een e-mailadres" : rule.contains("phone") ? "een telefoonnummer" : "persoonsgegevens"
            return "Geen persoonsgegevens: de tekst lijkt \(kind) te bevatten. Haal dat weg; noem nooit wie het betreft."
        }
        if rule.hasPrefix("is required when the decision") { return "Geef een reden: uw besluit wijkt af van het oordeel." }
        if rule.hasPrefix("is required") { return "Vul dit veld in." }
        if rule == "must be a UUID" { return "Geen geldige verwijzing: kies een waarde uit de lijst." }
        if rule.hasPrefix("must name one of the school's locations") { return "Deze vestiging hoort niet bij deze school." }
        if rule.hasPrefix("must not be before contractFrom") { return "Mag niet voor de begindatum liggen." }
        if rule.hasPrefix("must be an existing date") { return "Vul een bestaande datum in (JJJJ-MM-DD)." }
        if rule.hasPrefix("must be at most") { return "Te lang: " + rule.replacingOccurrences(of: "must be at most", with: "ten hoogste").replacingOccurrences(of: "characters", with: "tekens") + "." }
        if rule.hasPrefix("must be one of") { return "Kies een van de mogelijkheden." }
        if rule.hasPrefix("must not be in the future") || rule.contains("not after today") { return "Mag niet in de toekomst liggen." }
        if rule.contains("after observedFrom") || rule.contains("after validFrom") || rule.contains("must be after") { return "Moet na de begindatum liggen." }
        if rule.contains("existing") || rule.contains("must name") { return "Bestaat niet." }
        if rule.contains("must not overlap") { return "Deze periode overlapt een ander besluit over deze school." }
        if let previous = rule.firstMatch(of: /^must be a status the lifecycle allows after (\w+)/)?.1 {
            let status = QualityMarkStatus(rawValue: String(previous))
            let allowed = QualityMarkLifecycle.allowed(after: status).map { markStatus($0.rawValue) }.joined(separator: ", ")
            let after = status.map { "een besluit ‘\(markStatus($0.rawValue))’" } ?? "geen geldend besluit (een nieuwe aanvraag)"
            return "Dit besluit kan niet volgen op \(after). Mogelijk: \(allowed)."
        }
        if rule.hasPrefix("must not be the first day of a decision") {
            return "Op deze dag begint al een besluit over hetzelfde (school of locatie). Klopt dat besluit niet, rectificeer het dan."
        }
        if rule.hasPrefix("must be on or before the first day of the next decision") {
            return "De periode loopt door in een later besluit; laat dit besluit eindigen op of voor de eerste dag daarvan."
        }
        if rule.hasPrefix("must be a decision that is not rectified") {
            return "Dit besluit is al gerectificeerd of door een later besluit beëindigd; rectificeer eerst dat latere besluit."
        }
        if rule.contains("8 digits") || rule.contains("KvK") { return "Een KvK-nummer heeft precies 8 cijfers." }
        if rule.contains("GM") { return "Een gemeentecode is GM gevolgd door 4 cijfers." }
        if rule.hasPrefix("must be a norm code of the quality-mark handbook") {
            return "Geen bestaande normcode: een norm uit het handboek is genummerd als hoofdstuk.norm, bijvoorbeeld 4.2 of 4.2.1."
        }
        if rule.hasPrefix("must not contain control characters") { return "Bevat een onzichtbaar stuurteken; typ de tekst opnieuw." }
        if rule.hasPrefix("must not be null") { return "Vul dit veld in of laat het helemaal weg." }
        if rule.hasPrefix("must hold at most") { return "Te veel: " + rule.replacingOccurrences(of: "must hold at most", with: "ten hoogste") + "." }
        if rule.hasPrefix("must be a whole number") { return "Vul een heel getal in." }
        if rule.hasPrefix("must be well-formed") || rule.hasPrefix("must be a JSON") { return "Het formulier kon niet worden gelezen; probeer het opnieuw." }
        if rule.hasPrefix("must be unique") { return "Dit bestaat al." }
        if rule.hasPrefix("must not be reused with a different body") {
            return "dit formulier is al verstuurd, met andere gegevens. Open de pagina opnieuw om nog een inkoopcheck vast te leggen."
        }
        if rule.hasPrefix("is not a known field") { return "Dit veld hoort niet bij dit formulier." }
        // A rule this page has no words for yet: a Dutch sentence, never the English rule on a Dutch page.
        return "Deze waarde is niet toegestaan."
    }

    /// The Dutch label of an API field named in an error (`findings[1].note` → `bevinding 2, toelichting`).
    static func field(_ field: String) -> String {
        let labels = [
            "reportedSchoolName": "naam van de school", "reportedKvkNumber": "KvK-nummer", "reportedPlace": "plaats",
            "reportedVestigingsnummer": "vestigingsnummer", "category": "soort", "severity": "ernst", "observedFrom": "waargenomen vanaf",
            "observedUntil": "waargenomen tot", "summary": "samenvatting", "source": "bron", "caseReference": "zaaknummer",
            "visitedOn": "bezoekdatum", "kind": "soort bezoek", "outcome": "uitkomst", "locationId": "vestiging", "normCode": "norm",
            "note": "toelichting", "status": "status", "validFrom": "geldig vanaf", "validUntil": "geldig tot", "decidedOn": "besluitdatum",
            "reason": "reden", "decision": "besluit", "contractFrom": "contract vanaf", "contractTo": "contract tot en met", "date": "peildatum",
            "route": "route", "to": "nieuwe status", "name": "naam", "tradeNames": "handelsnamen", "municipalityCode": "gemeente",
            "kvkNumber": "KvK-nummer", "findings": "bevindingen", "file": "bestand", "body": "formulier", "Idempotency-Key": "let op",
        ]
        if let match = field.firstMatch(of: /^(\w+)\[(\d+)\]\.?(\w*)$/), let index = Int(match.2) {
            let what = match.1 == "findings" ? "bevinding" : labels[String(match.1)] ?? String(match.1)
            return "\(what) \(index + 1)" + (match.3.isEmpty ? "" : ", " + (labels[String(match.3)] ?? String(match.3)))
        }
        return labels[field] ?? field
    }

    /// One sentence for a problem that is not about one field.
    static func problem(_ problem: Problem) -> String {
        if !problem.errors.isEmpty { return problem.errors.map { "\(field($0.field).capitalizedFirst): \(rule($0.rule))" }.joined(separator: " ") }
        switch problem.kind {
        case .preconditionFailed: return "Iemand anders heeft dit signaal intussen gewijzigd. Open het opnieuw en beslis opnieuw."
        case .conflict: return "Deze stap past niet bij de huidige stand van zaken."
        default: return problem.detail
        }
    }

    /// `2026-03-01` → `1 maart 2026`.
    static func date(_ iso: String) -> String { DutchTerms.date(iso) }

    /// `1 signaal`, `2 signalen`: a count with its noun in the right number.
    static func signals(_ n: Int) -> String { "\(n) \(n == 1 ? "signaal" : "signalen")" }

    /// A score with a decimal comma, as Dutch readers write it.
    static func number(_ value: Double, decimals: Int = 1) -> String {
        String(format: "%.\(decimals)f", value).replacingOccurrences(of: ".", with: ",")
    }
}

extension String {
    /// The string with its first letter upper-case (`bevinding 2` → `Bevinding 2`).
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
