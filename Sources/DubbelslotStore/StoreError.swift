/// An error of the store layer that callers are expected to handle.
///
/// PostgreSQL's integrity errors are mapped to these (see ``StoreError/translating(_:logger:)``):
/// `23505` unique violation → ``duplicate(field:)``, `23P01` exclusion violation →
/// ``overlappingPeriod``, `23503` foreign-key violation → ``unknownReference(field:)``.
/// Every other database error is passed on unchanged. The description never contains database
/// detail or values, so it may be shown to a client (shared/STYLE.md §7).
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of error, for switching on.
    public enum Kind: Hashable, Sendable {
        /// ``StoreError/duplicate(field:)``.
        case duplicate
        /// ``StoreError/overlappingPeriod``.
        case overlappingPeriod
        /// ``StoreError/unknownReference(field:)``.
        case unknownReference
        /// ``StoreError/notFound``.
        case notFound
        /// ``StoreError/corruptRow(_:)``.
        case corruptRow
        /// ``StoreError/migration(_:)``.
        case migration
    }

    private enum Value: Hashable, Sendable {
        case duplicate(field: String)
        case overlappingPeriod
        case unknownReference(field: String)
        case notFound
        case corruptRow(String)
        case migration(String)
    }

    private let value: Value

    private init(_ value: Value) { self.value = value }

    /// A value that must be unique is already taken (SQLSTATE `23505`).
    ///
    /// - Parameter field: the API field name of the value, for example `kvkNumber` or `vestigingsnummer`.
    public static func duplicate(field: String) -> StoreError { .init(.duplicate(field: field)) }

    /// The period overlaps another quality-mark decision of the same school (SQLSTATE `23P01`).
    ///
    /// A school's decisions never overlap (exclusion constraint `quality_mark_decisions_no_overlap`).
    public static var overlappingPeriod: StoreError { .init(.overlappingPeriod) }

    /// A referenced thing does not exist (SQLSTATE `23503`).
    ///
    /// - Parameter field: the API field name of the reference, for example `municipalityCode`,
    ///   `schoolId` or `locationId`.
    public static func unknownReference(field: String) -> StoreError { .init(.unknownReference(field: field)) }

    /// The thing asked for does not exist.
    public static var notFound: StoreError { .init(.notFound) }

    /// A row holds a value the code does not know, for example an enum text written by a newer version.
    ///
    /// - Parameter detail: which table and column, and the rule broken; never the row's values.
    public static func corruptRow(_ detail: String) -> StoreError { .init(.corruptRow(detail)) }

    /// The database schema is not what this build expects (see ``MigrationError`` for the details).
    ///
    /// - Parameter detail: what is wrong and what to do about it.
    public static func migration(_ detail: String) -> StoreError { .init(.migration(detail)) }

    /// The kind of error.
    public var kind: Kind {
        switch value {
        case .duplicate: .duplicate
        case .overlappingPeriod: .overlappingPeriod
        case .unknownReference: .unknownReference
        case .notFound: .notFound
        case .corruptRow: .corruptRow
        case .migration: .migration
        }
    }

    /// The API field the error is about, for ``Kind/duplicate`` and ``Kind/unknownReference``; else `nil`.
    public var field: String? {
        switch value {
        case .duplicate(let field), .unknownReference(let field): field
        default: nil
        }
    }

    /// What went wrong and what to do, in English; safe to show a client (no database detail, no values).
    public var description: String {
        switch value {
        case .duplicate(let field):
            "\(field) is already taken: another record has the same value. Look that record up instead of creating a new one."
        case .overlappingPeriod:
            "The period overlaps another quality-mark decision of the same school. End the earlier decision first or choose a period that does not overlap."
        case .unknownReference(let field):
            "\(field) refers to something that does not exist. Check the value, or create the referenced record first."
        case .notFound:
            "Not found."
        case .corruptRow(let detail):
            "A stored row cannot be read (\(detail)). The database holds data this version does not understand; check for a newer version or a manual edit."
        case .migration(let detail):
            "The database schema does not match this version: \(detail)"
        }
    }
}
