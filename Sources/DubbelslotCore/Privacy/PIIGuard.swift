/// Finds personal data in free text that Dubbelslot must not store (DESIGN.md, "Roles";
/// docs/decisions/0013-pii-guard-and-retention.md).
///
/// Kinds: a BSN-like number (9 digits passing the 11-test of the Wet algemene bepalingen
/// burgerservicenummer, art. 1), an IBAN with a valid ISO 13616 mod-97 checksum, an e-mail address,
/// and a Dutch phone number (`06…`, `0xx…` with 10 digits, or `+31`/`0031` and 9 digits). Text that
/// merely looks similar (8 digits, a failing 11-test, a failing IBAN checksum) passes. The finding
/// names the kind only, never the value.
public enum PIIGuard {
    /// A kind of personal data.
    public enum Kind: String, Sendable, CaseIterable {
        /// A 9-digit number passing the 11-test (citizen service number).
        case bsn
        /// An IBAN with a valid ISO 13616 mod-97 checksum.
        case iban
        /// An e-mail address.
        case email
        /// A Dutch phone number, national or with `+31`/`0031`.
        case phoneNumber

        /// How the kind is named in error messages.
        public var label: String {
            switch self {
            case .bsn: "a BSN (citizen service number)"
            case .iban: "an IBAN (bank account number)"
            case .email: "an e-mail address"
            case .phoneNumber: "a phone number"
            }
        }
    }

    /// The expressions, built once: a regex literal written inside a function is parsed again at every
    /// call, which made the guard most of an import's time (100,000 names took about 140 s).
    enum Patterns {
        /// Parts bounded as RFC 5321 §4.5.3.1 bounds them (local part 64, label 63, 127 labels), so a long run of
        /// letters before or after an `@` costs linear time, not a backtracking scan from every position.
        nonisolated(unsafe) static let email = /[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(\.[A-Za-z0-9\-]{1,63}){0,126}\.[A-Za-z]{2,63}/
        /// Runs of digits, allowing single spaces, dots or hyphens between groups ("1112.22.333").
        nonisolated(unsafe) static let digitRun = /(?:^|[^0-9A-Za-z])([0-9](?:[ .\-]?[0-9]){8,})(?![0-9])/
        nonisolated(unsafe) static let iban = /(?:^|[^A-Z0-9])([A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]){11,30})/
        /// +31 or 0031, an optional (0), then 9 digits in groups.
        nonisolated(unsafe) static let internationalPhone = /(?:^|[^0-9])(?:\+31|0031)[ \-]?(?:\(0\))?[1-9](?:[ \-]?[0-9]){8}(?![0-9])/
        /// 10 digits starting 0[1-9], with spaces, dashes, dots or the area code in brackets between any of them.
        nonisolated(unsafe) static let nationalPhone = /(?:^|[^0-9A-Za-z+])\(?0[1-9](?:(?: ?[\-.)] ?| )?[0-9]){8}(?![0-9])/
        nonisolated(unsafe) static let date = /[0-9]{2}-[0-9]{2}-[0-9]{4}/
    }

    /// The kinds of personal data found in `text`, in ``Kind`` order; empty when none.
    public static func scan(_ text: String) -> [Kind] {
        var found: [Kind] = []
        // A BSN and a phone number need at least 9 digits, an IBAN its 2 check digits, an e-mail address
        // an @: most names and places skip most expressions.
        let digits = text.utf8.reduce(0) { $0 + ($1 >= 48 && $1 <= 57 ? 1 : 0) }
        if digits >= 9 && containsBSN(text) { found.append(.bsn) }
        if digits >= 2 && containsIBAN(text) { found.append(.iban) }
        if text.contains("@") && text.contains(Patterns.email) { found.append(.email) }
        if digits >= 9 && containsPhoneNumber(text) { found.append(.phoneNumber) }
        return found
    }

    /// The field error for `field` when its text holds personal data, else `nil`.
    public static func check(_ text: String?, field: String) -> FieldError? {
        guard let text, let kind = scan(text).first else { return nil }
        return FieldError(field: field, rule: "must not contain personal data: it looks like it holds \(kind.label)")
    }

    /// The 11-test: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a positive multiple of 11.
    public static func passesElevenTest(_ digits: [Int]) -> Bool {
        guard digits.count == 9 else { return false }
        var sum = 0
        for (i, d) in digits.enumerated() { sum += (i == 8 ? -1 : 9 - i) * d }
        return sum > 0 && sum % 11 == 0
    }

    static func containsBSN(_ text: String) -> Bool {
        // Runs of digits, allowing single spaces, dots or hyphens between groups ("1112.22.333").
        for match in text.matches(of: Patterns.digitRun) {
            let digits = match.output.1.compactMap { (c: Character) in c.wholeNumberValue }
            if digits.count == 9 && passesElevenTest(digits) { return true }
        }
        return false
    }

    static func containsIBAN(_ text: String) -> Bool {
        let upper = text.uppercased()
        // The expression needs two letters and two digits in a row somewhere: most text has none.
        let bytes = Array(upper.utf8)
        func letter(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
        func digit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        guard bytes.count >= 4,
              (0...(bytes.count - 4)).contains(where: { letter(bytes[$0]) && letter(bytes[$0 + 1]) && digit(bytes[$0 + 2]) && digit(bytes[$0 + 3]) })
        else { return false }
        for match in upper.matches(of: Patterns.iban) {
            let compact = String(match.output.1.filter { $0 != " " })
            // A spaced IBAN may run into the next word: cut it at its country's length where known.
            let candidate = ibanLengths[String(compact.prefix(2))].map { String(compact.prefix($0)) } ?? compact
            if candidate.count >= 15 && mod97(candidate) == 1 { return true }
        }
        return false
    }

    /// IBAN lengths of the countries whose accounts Dutch schools and learners most often use (SWIFT IBAN registry).
    static let ibanLengths: [String: Int] = [
        "NL": 18, "BE": 16, "DE": 22, "FR": 27, "GB": 22, "ES": 24, "IT": 27, "LU": 20, "AT": 20, "PL": 28, "TR": 26, "MA": 28,
        "PT": 25, "IE": 22, "CH": 21, "DK": 18, "SE": 24, "NO": 15, "FI": 18,
    ]

    /// ISO 13616: move the first four characters to the end, letters to 10…35, remainder modulo 97.
    static func mod97(_ iban: String) -> Int {
        let rearranged = iban.dropFirst(4) + iban.prefix(4)
        var remainder = 0
        for c in rearranged {
            if let d = c.wholeNumberValue {
                remainder = (remainder * 10 + d) % 97
            } else if let ascii = c.asciiValue, (65...90).contains(ascii) {
                remainder = (remainder * 100 + Int(ascii) - 55) % 97
            } else {
                return -1
            }
        }
        return remainder
    }

    static func containsPhoneNumber(_ text: String) -> Bool {
        // International: +31 or 0031, an optional (0), then 9 digits in groups.
        if text.contains(Patterns.internationalPhone) { return true }
        // National: 10 digits starting 0[1-9], written with spaces, dashes, dots or the area code in
        // brackets between any of them ("06 12 34 56 78", "(020) 123 45 67", "020 - 123 45 67").
        for match in text.matches(of: Patterns.nationalPhone) {
            // A date written dd-mm-yyyy (and a period of two) is not a number to call.
            if String(match.output).contains(Patterns.date) { continue }
            return true
        }
        return false
    }
}
