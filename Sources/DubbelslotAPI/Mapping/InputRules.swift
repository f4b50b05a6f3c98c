import DubbelslotCore
import DubbelslotStore
import Foundation

/// Collects the broken rules of one request, so that a client hears about all of them at once.
///
/// Each `require…` returns the parsed value or `nil`, having recorded a ``FieldError`` naming the
/// field and the rule. `throwIfAny()` ends validation with a 400 ``Problem`` listing them all.
struct InputRules {
    private(set) var errors: [FieldError] = []

    /// Adds errors found by a rule set of Core (``SchoolFieldRules``, …).
    mutating func add(_ found: [FieldError]) { errors += found }

    mutating func fail(_ field: String, _ rule: String) { errors.append(FieldError(field: field, rule: rule)) }

    mutating func date(_ text: String?, _ field: String) -> LocalDate? {
        guard let text else { return nil }
        guard let d = LocalDate(iso8601: text) else { fail(field, "must be an existing date written YYYY-MM-DD (ISO 8601)"); return nil }
        return d
    }

    /// An ISO 8601 / RFC 3339 instant with `Z` or an offset, not in the future: with or without
    /// seconds and fractions (`2026-03-01T12:00:00+01:00`, `2026-03-01T12:00+01:00`,
    /// `2026-03-01T11:00:00.123456Z`), `T`/`Z` in either case, and a space where a URL's `+` was
    /// decoded as one. A bare date is refused with an example of the right form.
    mutating func instant(_ text: String?, _ field: String, now: Date = Date()) -> Date? {
        guard let text else { return nil }
        let example = "e.g. 2026-03-01T12:00:00+01:00 or 2026-03-01T11:00Z (in a URL, send + as %2B)"
        if LocalDate(iso8601: text) != nil {
            fail(field, "must be an instant with a time and an offset, not a date: \(example)"); return nil
        }
        guard let instant = RFC3339.instant(text) else {
            fail(field, "must be an ISO 8601 instant with Z or an offset, \(example)"); return nil
        }
        guard instant <= now else { fail(field, "must not be in the future"); return nil }
        return instant
    }

    /// The area filter of a report: `province` (`PVnn`), `region` (`AMnn`), `municipality` (`GMnnnn`).
    mutating func area(province: String?, region: String?, municipality: String?) -> AreaFilter {
        var area = AreaFilter()
        if let province {
            if let p = ProvinceCode(province) { area.province = p } else { fail("province", ProvinceCode.rule) }
        }
        if let region {
            if region.count == 4, region.hasPrefix("AM"), region.dropFirst(2).allSatisfy(\.isASCII), region.dropFirst(2).allSatisfy(\.isNumber) {
                area.region = region
            } else {
                fail("region", "must be AM followed by 2 digits (labour-market region)")
            }
        }
        area.municipality = self.municipality(municipality, "municipality")
        return area
    }

    mutating func requiredDate(_ text: String, _ field: String) -> LocalDate? { date(text, field) }

    /// The parsed values of rules that record a failure whenever they return `nil`, once every rule
    /// has run: `let (from, to) = try rules.checked(from, to)` instead of force unwraps.
    ///
    /// - Throws: the 400 ``Problem`` of ``throwIfAny()`` listing every broken rule; otherwise, if a
    ///   value is still `nil`, ``UncheckedValue`` (a 500, logged): a rule returned `nil` without
    ///   saying why, a fault of ours and never of the request.
    func checked<each T>(_ values: repeat (each T)?) throws -> (repeat each T) {
        try throwIfAny()
        return (repeat try Self.present(each values))
    }

    private static func present<T>(_ value: T?) throws -> T {
        guard let value else { throw UncheckedValue(type: "\(T.self)") }
        return value
    }

    mutating func uuid(_ text: String?, _ field: String) -> UUID? {
        guard let text else { return nil }
        guard let id = UUID(strict: text) else { fail(field, "must be a UUID"); return nil }
        return id
    }

    mutating func kvk(_ text: String?, _ field: String) -> KvKNumber? {
        guard let text else { return nil }
        guard let k = KvKNumber(text) else { fail(field, KvKNumber.rule); return nil }
        return k
    }

    mutating func municipality(_ text: String?, _ field: String) -> MunicipalityCode? {
        guard let text else { return nil }
        guard let m = MunicipalityCode(text) else { fail(field, MunicipalityCode.rule); return nil }
        return m
    }

    mutating func vestigingsnummer(_ text: String?, _ field: String) -> Vestigingsnummer? {
        guard let text else { return nil }
        guard let v = Vestigingsnummer(text) else { fail(field, Vestigingsnummer.rule); return nil }
        return v
    }

    mutating func text(_ value: String?, _ field: String, max: Int, required: Bool = false) -> String? {
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let trimmed, !trimmed.isEmpty else {
            if required { fail(field, "is required and must not be blank") }
            return nil
        }
        // PostgreSQL text cannot hold NUL, and no field of ours needs control characters but line breaks and tabs.
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !["\n", "\r", "\t"].contains($0) }) {
            fail(field, "must not contain control characters")
            return nil
        }
        if trimmed.count > max { fail(field, "must be at most \(max) characters"); return nil }
        return trimmed
    }

    /// A name (of a school, a place) that may hold no personal data either.
    mutating func name(_ value: String?, _ field: String, max: Int, required: Bool = false) -> String? {
        freeText(value, field, max: max, required: required)
    }

    /// Free text that may hold no personal data (PII guard: BSN, IBAN, e-mail, phone number); the
    /// error names the kind found, never the value.
    mutating func freeText(_ value: String?, _ field: String, max: Int, required: Bool = false) -> String? {
        guard let text = text(value, field, max: max, required: required) else { return nil }
        if let error = PIIGuard.check(text, field: field) { errors.append(error); return nil }
        return text
    }

    mutating func enumValue<T: RawRepresentable & CaseIterable>(_ text: String?, _ field: String, as type: T.Type) -> T? where T.RawValue == String {
        guard let text else { return nil }
        guard let v = T(rawValue: text) else {
            fail(field, "must be one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        return v
    }

    /// A query text as the contract's enum `T`, for callers that pass query texts to a handler
    /// themselves (the web pages): another value is the same 400 naming `field` that
    /// ``OpenAPIProblemMiddleware`` gives a request to the API.
    ///
    /// - Returns: `nil` for `nil`.
    /// - Throws: a validation ``Problem`` naming `field` and the allowed values.
    static func contractEnum<T: RawRepresentable & CaseIterable>(_ text: String?, _ field: String, as type: T.Type = T.self) throws -> T?
        where T.RawValue == String {
        var rules = InputRules()
        let value = rules.enumValue(text, field, as: T.self)
        try rules.throwIfAny()
        return value
    }

    /// Page size, 1–200 (the contract's `limit`); `nil` gives the default 50. The contract types it
    /// as an integer and ``OpenAPIProblemMiddleware`` refuses anything but decimal digits in range
    /// first; the range is checked here again because the generated decoder does not check it.
    mutating func limit(_ value: Int?) -> Int {
        wholeNumber(value, "limit", in: 1...200) ?? 50
    }

    /// `value` if it lies in `range`; otherwise `nil`, having recorded the rule under `field`.
    mutating func wholeNumber(_ value: Int?, _ field: String, in range: ClosedRange<Int>) -> Int? {
        guard let value else { return nil }
        guard range.contains(value) else { fail(field, Self.wholeNumberRule(range)); return nil }
        return value
    }

    /// The rule of a whole number within bounds: `must be a whole number from 1 to 200`.
    static func wholeNumberRule(_ range: ClosedRange<Int>) -> String {
        "must be a whole number from \(range.lowerBound) to \(range.upperBound)"
    }

    func throwIfAny() throws {
        if !errors.isEmpty { throw Problem.validation(errors) }
    }
}

/// A value ``InputRules/checked(_:)`` found missing although no rule was broken: a handler read a
/// value no rule vouched for. ``OpenAPIProblemMiddleware`` answers it as any unexpected error (500,
/// cause logged).
struct UncheckedValue: Error, CustomStringConvertible {
    /// The Swift type of the missing value.
    let type: String
    var description: String { "a \(type) no input rule vouched for was missing" }
}

/// Today in Europe/Amsterdam, the default business date.
func todayInAmsterdam() -> LocalDate { LocalDate(instant: Date()) }
