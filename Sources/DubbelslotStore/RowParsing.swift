import DubbelslotCore
import PostgresNIO

/// Turns a stored text into a Core value, or throws ``StoreError/corruptRow(_:)`` naming the column.
///
/// Used for enum columns (`init(rawValue:)`) and identifier columns (`KvKNumber.init`), whose
/// `CHECK` constraints make a failure here a sign of data written outside this code.
@inline(__always)
func parse<T>(_ text: String, _ make: (String) -> T?, column: StaticString) throws -> T {
    guard let value = make(text) else {
        throw StoreError.corruptRow("\(column) holds a value this version does not know")
    }
    return value
}

/// As ``parse(_:_:column:)`` for a nullable column: `nil` stays `nil`.
@inline(__always)
func parseIfPresent<T>(_ text: String?, _ make: (String) -> T?, column: StaticString) throws -> T? {
    guard let text else { return nil }
    return try parse(text, make, column: column)
}

/// A set of routes from a `text[]` column.
func parseRoutes(_ texts: [String], column: StaticString) throws -> Set<Route> {
    Set(try texts.map { try parse($0, Route.init(rawValue:), column: column) })
}

extension Set<Route> {
    /// The routes as a sorted `text[]` value, so that equal sets store equal arrays.
    var sortedRawValues: [String] { map(\.rawValue).sorted() }
}

extension PostgresRowSequence {
    /// The first row, after reading the whole result, so that the connection is free for the next statement.
    func firstRow() async throws -> PostgresRow? { try await collect().first }
}
