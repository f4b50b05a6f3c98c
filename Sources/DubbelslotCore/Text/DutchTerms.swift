/// Dutch words for the domain's codes, shared by the web pages, the explanations of the risk model
/// and the risk report. Terms follow the glossary (shared/GLOSSARY.md) and the quality-mark body's
/// own wording (Keurmerk Inburgeren: schorsing, intrekking, vervallen).
public enum DutchTerms {
    /// `(code, Dutch)` per quality-mark status.
    public static let markStatuses: [(String, String)] = [
        ("aspirant", "aspirant"), ("grantedFixedTerm", "verleend (bepaalde tijd)"), ("grantedIndefinite", "verleend (onbepaalde tijd)"),
        ("suspended", "geschorst"), ("withdrawn", "ingetrokken"), ("notGranted", "niet verleend"), ("lapsed", "vervallen"),
        ("stopped", "gestopt"),
    ]

    /// `(code, Dutch)` per signal status.
    public static let signalStatuses: [(String, String)] = [
        ("received", "ontvangen"), ("triaged", "beoordeeld (triage)"), ("underInvestigation", "in onderzoek"),
        ("substantiated", "gegrond"), ("unfounded", "ongegrond"), ("inconclusive", "niet vast te stellen"),
    ]

    /// `(code, Dutch)` per signal category (modus operandi).
    public static let categories: [(String, String)] = [
        ("lessonsNotGiven", "Lessen niet gegeven"), ("kickbacks", "Terugbetalingen aan inburgeraars"),
        ("inducements", "Lokmiddelen (laptops, bonnen, geld)"), ("attendanceFalsified", "Presentie vervalst"),
        ("examFraud", "Examenfraude"), ("onaDossierFraud", "Fraude met ONA-dossier"), ("poorTeaching", "Ondermaats onderwijs"),
        ("inspectionGaming", "Toezicht misleid"), ("financialIrregularities", "Financiële onregelmatigheden"),
        ("conflictOfInterest", "Belangenverstrengeling"), ("other", "Anders"),
    ]

    /// `(code, Dutch)` per signal severity.
    public static let severities: [(String, String)] = [("low", "laag"), ("medium", "middel"), ("high", "hoog")]

    /// `(code, Dutch)` per visit kind.
    public static let visitKinds: [(String, String)] = [
        ("classroom", "Toezicht in de klas"), ("financial", "Financieel toezicht"), ("resultsAudit", "Resultaatonderzoek"),
        ("clientAudit", "Klantonderzoek"), ("newEntrant", "Toets nieuwe aanbieder"), ("followUp", "Herbezoek"),
    ]

    /// `(code, Dutch)` per visit outcome.
    public static let outcomes: [(String, String)] = [
        ("compliant", "Voldoet"), ("minorFindings", "Kleine tekortkomingen"), ("majorFindings", "Ernstige tekortkomingen"),
        ("accessRefused", "Toegang geweigerd"),
    ]

    /// The Dutch word for `code` in `pairs`, or `code` itself when it has none.
    public static func word(_ code: String, in pairs: [(String, String)]) -> String { pairs.first { $0.0 == code }?.1 ?? code }

    static let months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]

    /// `2026-03` → `maart 2026`; anything else unchanged.
    public static func month(_ iso: String) -> String {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard iso.count == 7, parts.count == 2, (1...12).contains(parts[1]) else { return iso }
        return "\(months[parts[1] - 1]) \(parts[0])"
    }

    /// `2026-03-01` → `1 maart 2026`; anything else unchanged.
    public static func date(_ iso: String) -> String {
        let parts = iso.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]) else { return iso }
        return "\(parts[2]) \(months[parts[1] - 1]) \(parts[0])"
    }
}
