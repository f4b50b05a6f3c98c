/// What an upsert (import) did, counted in input records.
public struct ImportSummary: Sendable, Equatable, CustomStringConvertible {
    /// Records that did not exist before.
    public var inserted: Int
    /// Records that existed and were changed.
    public var updated: Int
    /// Records that existed with the same values.
    public var unchanged: Int

    /// A summary; all counts start at 0.
    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
    }

    /// `N inserted, N updated, N unchanged`.
    public var description: String { "\(inserted) inserted, \(updated) updated, \(unchanged) unchanged" }

    /// The counts as audit-entry details (`inserted`, `updated`, `unchanged`).
    var auditDetails: [String: String] {
        ["inserted": String(inserted), "updated": String(updated), "unchanged": String(unchanged)]
    }
}
