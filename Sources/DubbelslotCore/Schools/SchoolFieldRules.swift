import Foundation

/// The field rules of a school, one set for every way in: the API (`createSchool`), the register's
/// CSV import (`dubbelslot import schools`) and anything later. Each check returns field errors that
/// name the field (`tradeNames[3]`) and the rule; the caller adds the line of a CSV record.
///
/// - A name (registered or trade name, a location's address): not blank, at most
///   ``maximumNameCharacters`` characters, no control characters, no personal data (``PIIGuard``).
/// - At most ``maximumTradeNames`` trade names (the Handelsregister lists a handful at most) and
///   ``maximumLocations`` locations.
public enum SchoolFieldRules {
    /// Longest registered name, trade name or address, in characters.
    public static let maximumNameCharacters = 200
    /// Most trade names a school may have.
    public static let maximumTradeNames = 20
    /// Most locations a school may have.
    public static let maximumLocations = 200

    /// The errors of one name-like text (already trimmed; `nil` or empty when left out).
    public static func nameErrors(_ text: String?, field: String, required: Bool = true) -> [FieldError] {
        guard let text, !text.isEmpty else { return required ? [FieldError(field: field, rule: "is required and must not be blank")] : [] }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return [FieldError(field: field, rule: "must not contain control characters")]
        }
        if text.count > maximumNameCharacters { return [FieldError(field: field, rule: "must be at most \(maximumNameCharacters) characters")] }
        return PIIGuard.check(text, field: field).map { [$0] } ?? []
    }

    /// The errors of a list of trade names: their number, then each as ``nameErrors(_:field:required:)``
    /// with its index (`tradeNames[0]`).
    public static func tradeNameErrors(_ names: [String]) -> [FieldError] {
        var errors: [FieldError] = []
        if names.count > maximumTradeNames { errors.append(FieldError(field: "tradeNames", rule: "must hold at most \(maximumTradeNames) names")) }
        for (i, name) in names.prefix(maximumTradeNames).enumerated() { errors += nameErrors(name, field: "tradeNames[\(i)]") }
        return errors
    }
}
