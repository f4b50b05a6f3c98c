import DubbelslotCore
import Foundation

/// Rules every JSON request body follows before the generated decoder reads it.
///
/// - No member is `null`: no request schema of the contract is nullable, and the generated decoder
///   would read `"locationId": null` as a member left out, so a client that meant "no location" and
///   one that sent a broken value could not be told apart. Leave the member out instead.
/// - Objects and arrays nest at most ``maximumDepth`` levels (the deepest request schema has three),
///   so a hostile body cannot make any later step recurse without bound.
///
/// Both are checked in one walk over JSONSerialization's tree, linear in the body.
enum JSONBodyRules {
    /// The deepest nesting of objects and arrays accepted.
    static let maximumDepth = 16

    /// The first rule `data` breaks, as a field error with the member's JSON path
    /// (`findings[0].norm`); `nil` when it breaks none or is not JSON at all (the decoder then says so).
    static func firstViolation(in data: Data) -> FieldError? {
        // Nesting first, by a scan of the bytes (strings skipped): JSONSerialization refuses deep
        // documents itself, which the decoder would then call ill-formed.
        if nestingExceedsLimit(data) { return tooDeep("") }
        guard let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        return walk(root, path: "", depth: 0)
    }

    private static func walk(_ value: Any, path: String, depth: Int) -> FieldError? {
        switch value {
        case let object as [String: Any]:
            guard depth < maximumDepth else { return tooDeep(path) }
            // Sorted, so the same body always names the same member first.
            for key in object.keys.sorted() {
                let member = path.isEmpty ? key : "\(path).\(key)"
                let child = object[key]!
                if child is NSNull { return FieldError(field: member, rule: "must not be null: leave the member out or give a value") }
                if let error = walk(child, path: member, depth: depth + 1) { return error }
            }
        case let array as [Any]:
            guard depth < maximumDepth else { return tooDeep(path) }
            for (index, child) in array.enumerated() {
                let element = "\(path.isEmpty ? "body" : path)[\(index)]"
                if child is NSNull { return FieldError(field: element, rule: "must not be null") }
                if let error = walk(child, path: element, depth: depth + 1) { return error }
            }
        default:
            break
        }
        return nil
    }

    /// Whether objects and arrays nest deeper than ``maximumDepth`` anywhere in `data`; one pass,
    /// brackets inside strings (with their escapes) not counted.
    static func nestingExceedsLimit(_ data: Data) -> Bool {
        var depth = 0, inString = false, escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximumDepth { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return false
    }

    private static func tooDeep(_ path: String) -> FieldError {
        FieldError(field: path.isEmpty ? "body" : path, rule: "must not nest objects and arrays more than \(maximumDepth) levels deep")
    }
}
