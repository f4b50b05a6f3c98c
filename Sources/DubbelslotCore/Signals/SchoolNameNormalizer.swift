import Foundation

/// Normalises school names the same way for a municipality's report and for the register, so that
/// `taalschool t hooft bv` and `Taalschool 't Hooft B.V.` meet (matching a reported school to the register).
///
/// Steps: every letter folded to what a Dutch clerk types (``LatinFolding``: the ligature `Ĳ` becomes
/// `ij`, `Café` → `cafe`, `Yıldız Kılıç` → `yildiz kilic`, `Møller` → `moller`), apostrophes dropped (`'t` → `t`), every other non-letter or digit a
/// space, dotted and plain legal-form words removed (`B.V.`, `BV`, `N.V.`, `V.O.F.`, `Stichting`, …),
/// spaces collapsed. Letters outside the Latin script are dropped, so a name only in Arabic script
/// normalises to the empty string, which never matches anything.
public enum SchoolNameNormalizer {
    /// Legal-form words, after folding and with dots removed (Dutch Handelsregister rechtsvormen).
    public static let legalFormWords: Set<String> = ["bv", "nv", "vof", "cv", "stichting", "vereniging", "cooperatie", "ua", "ba"]

    /// The normalised form; empty when nothing Latin remains.
    public static func normalize(_ name: String) -> String {
        // ASCII has nothing to decompose and no diacritics or widths to fold: lowercasing is the whole
        // fold, without Foundation's bridging (the fold was a third of an import's CPU).
        let folded = name.utf8.allSatisfy({ $0 < 0x80 }) ? name.lowercased() : LatinFolding.fold(name)
        var cleaned = ""
        for scalar in folded.unicodeScalars {
            switch scalar {
            case "'", "\u{2019}", "\u{2018}", "`", "\u{00B4}":
                continue  // 't Hooft → t hooft
            case ".":
                cleaned.append(".")  // kept for now: B.V. must become one word
            case "a"..."z", "0"..."9":
                cleaned.unicodeScalars.append(scalar)
            default:
                cleaned.append(" ")
            }
        }
        // Join dotted abbreviations ("b.v." → "bv") and treat other dots as spaces.
        let words = cleaned.split(separator: " ").flatMap { word -> [String] in
            let parts = word.split(separator: ".", omittingEmptySubsequences: true)
            if parts.count > 1 && parts.allSatisfy({ $0.count <= 3 }) { return [parts.joined()] }
            return parts.map(String.init)
        }
        return words.filter { !legalFormWords.contains($0) }.joined(separator: " ")
    }

}
