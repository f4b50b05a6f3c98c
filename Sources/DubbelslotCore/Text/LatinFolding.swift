import Foundation

/// What a Dutch clerk types for a Latin letter: `ı` → `i`, `ł` → `l`, `ø` → `o`, `æ` → `ae`,
/// `ß` → `ss`, `œ` → `oe`, `đ` → `d`, `þ` → `th`, `é` → `e`, `Ĳ` → `ij`, full-width `Ａ` → `a`.
///
/// The one fold behind school-name matching and the register's name keys (``SchoolNameNormalizer``)
/// and, through `fold_text` in `sql/`, behind search: a test compares the two over every Latin letter.
///
/// Built once from Unicode's own data for Latin-1 Supplement, Latin Extended-A and -B, Latin Extended
/// Additional, IPA Extensions (the small forms of Extended-B capitals such as `ə`, `ʒ`, `ɨ`), the Latin
/// ligatures and the full-width forms: a letter whose
/// compatibility decomposition is ASCII plus combining marks folds to that ASCII (Unicode Standard
/// Annex #15); the others (a stroke, a bar, a hook, a dotless or turned form: no decomposition) to the
/// base letter their Unicode name gives ("LATIN SMALL LETTER O WITH STROKE" → `o`), and the few
/// with a name of their own (`ß`, `þ`, `ð`, `ŋ`, `ĸ`, `ə`, `ʒ`…) as listed in ``namedLetters``.
/// Tone letters, clicks and glottal stops have no letter to type and fold to a space.
public enum LatinFolding {
    /// Letters whose Unicode name is a word rather than a base letter, with what is typed for them.
    public static let namedLetters: [String: String] = [
        "SHARP S": "ss", "THORN": "th", "ETH": "d", "KRA": "k", "ENG": "n", "SCHWA": "e", "EZH": "z", "YOGH": "gh",
        "WYNN": "w", "HWAIR": "hv", "IOTA": "i", "UPSILON": "u", "LAMBDA": "l", "DELTA": "d", "ALPHA": "a", "GAMMA": "g",
        "ESH": "sh", "YR": "yr", "OMEGA": "o", "CHI": "x", "BETA": "b", "PHI": "f", "TAILLESS PHI": "f", "TRESILLO": "tr",
        "CUATRILLO": "cu", "RUM ROTUNDA": "r", "ET": "et", "CON": "con", "IS": "is", "UM": "um",
    ]

    /// Words that change a letter's form but not what is typed for it.
    static let formWords = ["TURNED ", "REVERSED ", "INVERTED ", "DOTLESS ", "OPEN ", "CLOSED ", "MIDDLE-WELSH ", "SMALL CAPITAL ",
                            "SMALL ", "SCRIPT ", "LONG ", "BARRED ", "SIDEWAYS ", "INSULAR ", "BROKEN ", "CAPITAL ", "VISIGOTHIC ",
                            "BLACKLETTER ", "DOUBLE ", "ARCHAIC ", "ANGLICANA ", "LENIS ", "EGYPTOLOGICAL ", "AFRICAN "]

    /// The ranges the table covers, by Unicode block.
    static let ranges: [ClosedRange<UInt32>] = [
        0x00C0...0x024F, 0x0250...0x02AF, 0x1E00...0x1EFF, 0xFB00...0xFB06, 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A,
    ]

    /// Every non-ASCII scalar of ``ranges`` that folds to something, with its lower-case ASCII fold.
    public static let table: [Unicode.Scalar: String] = {
        var table: [Unicode.Scalar: String] = [:]
        for range in ranges {
            for value in range {
                if let scalar = Unicode.Scalar(value), let folded = derive(scalar) { table[scalar] = folded }
            }
        }
        return table
    }()

    /// The lower-case ASCII letters and digits typed for `scalar`: itself lower-cased when ASCII, from
    /// ``table`` otherwise; `nil` for a combining mark, a letter of another script or anything else.
    @inline(__always)
    public static func fold(_ scalar: Unicode.Scalar) -> String? {
        if scalar.isASCII { return String(Character(scalar).lowercased()) }
        return table[scalar]
    }

    /// The fold of a whole text: every scalar folded (ASCII punctuation and spaces stay as they are),
    /// combining marks dropped, anything else (a dash, another script) a space.
    public static func fold(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if let folded = fold(scalar) {
                result += folded
            } else if scalar.properties.generalCategory != .nonspacingMark {
                result += " "
            }
        }
        return result
    }

    static func derive(_ scalar: Unicode.Scalar) -> String? {
        // Compatibility decomposition, combining marks dropped (é → e, Ĳ → IJ, ﬁ → fi, Ａ → A).
        let decomposed = String(scalar).decomposedStringWithCompatibilityMapping.unicodeScalars
            .filter { $0.properties.generalCategory != .nonspacingMark }
        if !decomposed.isEmpty, decomposed.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }) {
            return String(String.UnicodeScalarView(decomposed)).lowercased()
        }
        guard scalar.properties.isAlphabetic, var name = scalar.properties.name else { return nil }
        var matched = false
        for prefix in ["LATIN SMALL LETTER ", "LATIN CAPITAL LETTER ", "LATIN SMALL LIGATURE ", "LATIN CAPITAL LIGATURE ", "LATIN LETTER ",
                       "MODIFIER LETTER SMALL ", "MODIFIER LETTER CAPITAL "] where name.hasPrefix(prefix) {
            name.removeFirst(prefix.count)
            matched = true
            break
        }
        guard matched else { return nil }
        for cut in [" WITH ", " PRECEDED BY ", " DIGRAPH", " BAR", " REVERSED", " ROTUNDA"] where !(cut == " ROTUNDA" && name == "RUM ROTUNDA") {
            if let range = name.range(of: cut) { name = String(name[..<range.lowerBound]) }
        }
        if let named = namedLetters[name] { return named }
        var stripped = true
        while stripped {
            stripped = false
            for word in formWords where name.hasPrefix(word) {
                name.removeFirst(word.count)
                stripped = true
            }
        }
        if let named = namedLetters[name] { return named }
        // "LATIN LETTER TWO WITH STROKE", the tone letters: numbers, not letters to type.
        guard !["TWO", "FIVE", "SIX", "TONE"].contains(where: { name.hasPrefix($0) }) else { return nil }
        guard (1...3).contains(name.count), name.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else { return nil }
        return name.lowercased()
    }
}
