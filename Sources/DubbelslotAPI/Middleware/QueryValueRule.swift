import DubbelslotCore

/// The rule a typed query parameter of the contract sets on its value: a whole number within bounds
/// (`type: integer` with `minimum`/`maximum`) or one of an enum's values.
///
/// ``OpenAPIProblemMiddleware`` checks these before the generated decoder runs, so a bad value is a
/// 400 naming the parameter and the rule, as the handlers' own checks name theirs
/// (docs/decisions/0019-bad-input-and-safe-errors.md); the decoder would fail without either, and
/// it does not check bounds at all.
enum QueryValueRule: Sendable, Equatable {
    /// Decimal digits only (no sign, no spaces), within `range`.
    case integer(ClosedRange<Int>)
    /// Exactly one of `values`, in the contract's order.
    case oneOf([String])

    /// The rule of a parameter's schema, or `nil` for a schema left a plain string.
    init?(schema: [String: Any]) {
        if let values = schema["enum"] as? [String], !values.isEmpty {
            self = .oneOf(values)
        } else if schema["type"] as? String == "integer" {
            self = .integer((schema["minimum"] as? Int ?? Int.min)...(schema["maximum"] as? Int ?? Int.max))
        } else {
            return nil
        }
    }

    /// The rule as a ``FieldError`` names it: `must be a whole number from 1 to 200`, `must be
    /// province or region`, `must be one of b1Route, educationRoute, zRoute`.
    var text: String {
        switch self {
        case .integer(let range): InputRules.wholeNumberRule(range)
        case .oneOf(let values) where values.count == 2: "must be \(values[0]) or \(values[1])"
        case .oneOf(let values): "must be one of " + values.joined(separator: ", ")
        }
    }

    /// Whether `value` (percent-decoded) keeps the rule.
    func admits(_ value: String) -> Bool {
        switch self {
        case .integer(let range):
            !value.isEmpty && value.allSatisfy { $0.isASCII && $0.isNumber } && Int(value).map(range.contains) == true
        case .oneOf(let values):
            values.contains(value)
        }
    }

    /// The broken rules of the parameters in `items` that `rules` covers, one per parameter, in the
    /// order of the query.
    static func errors(in items: [(name: String, value: String?)], rules: [String: QueryValueRule]) -> [FieldError] {
        var named = Set<String>()
        return items.compactMap { item in
            guard let rule = rules[item.name], !rule.admits(item.value ?? ""), named.insert(item.name).inserted else { return nil }
            return FieldError(field: item.name, rule: rule.text)
        }
    }
}
