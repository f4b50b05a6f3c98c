/// One broken rule in an input: which field, which rule, and (for files) which line.
///
/// The value itself is never repeated, so that an error can be shown and logged safely.
public struct FieldError: Hashable, Sendable, Error, CustomStringConvertible {
    /// The field's name as the client sent it (`kvkNumber`, `validFrom`), or a CSV column name.
    public let field: String
    /// The rule in words, for example "must be exactly 8 digits (KvK number)".
    public let rule: String
    /// The 1-based line of a file, for imports; `nil` for request bodies.
    public let line: Int?

    /// An error naming `field` and `rule`; pass `line` for a file.
    public init(field: String, rule: String, line: Int? = nil) {
        self.field = field
        self.rule = rule
        self.line = line
    }

    /// `line N, column F: rule` for files, `F: rule` otherwise; never the value.
    public var description: String {
        if let line { return "line \(line), column \(field): \(rule)" }
        return "\(field): \(rule)"
    }
}

/// A set of broken rules found while validating one input; thrown as a whole, never one at a time.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    /// Every broken rule found, in the order checked.
    public let errors: [FieldError]

    /// A failure made of `errors`, which should not be empty.
    public init(_ errors: [FieldError]) { self.errors = errors }

    /// One error per line, as ``FieldError/description`` gives them.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
