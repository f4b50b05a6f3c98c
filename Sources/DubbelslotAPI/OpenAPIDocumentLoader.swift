import DubbelslotOpenAPI
import Foundation
import HTTPTypes
import OpenAPIRuntime
import Yams

/// Converts the bundled `openapi.yaml` to the JSON served at `/v1/openapi.json` (Yams parses, Foundation encodes),
/// so the served document is the very file the generator compiled.
enum OpenAPIDocumentLoader {
    /// - Returns: the document, and its `info.version` for the `API-Version` header of every response.
    static func load() throws -> (document: OpenAPIObjectContainer, version: String) {
        let yaml = try String(contentsOf: OpenAPIContract.yamlURL, encoding: .utf8)
        guard let object = try Yams.load(yaml: yaml) else { throw SettingsError("openapi.yaml is empty") }
        guard let version = ((object as? [String: Any])?["info"] as? [String: Any])?["version"] as? String else {
            throw SettingsError("openapi.yaml has no info.version")
        }
        let json = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return (try JSONDecoder().decode(OpenAPIObjectContainer.self, from: json), version)
    }

    /// The query parameters each operation declares, by `operationId` (path-level and `$ref`
    /// parameters included), so that rules on query values apply to the parameters an operation has
    /// and an unknown one is ignored, as the generated server ignores it.
    static func queryParameters() throws -> [String: Set<String>] {
        try queryParameterLists().mapValues { Set($0.map(\.name)) }
    }

    /// The required query parameters of each operation, by `operationId`, in the contract's order.
    /// The generated server names a missing one only when the request has no query at all; with
    /// another parameter present its decoder fails without a name.
    static func requiredQueryParameters() throws -> [String: [String]] {
        try queryParameterLists().mapValues { $0.filter(\.required).map(\.name) }.filter { !$0.value.isEmpty }
    }

    /// The query parameters of each operation whose schema is not a plain string (an integer with
    /// bounds, an enum), by `operationId` and parameter name, so that ``OpenAPIProblemMiddleware``
    /// names a bad value as the handlers' own checks do; the generated decoder's error says neither
    /// the parameter nor the rule, and it ignores `minimum`/`maximum`.
    static func queryValueRules() throws -> [String: [String: QueryValueRule]] {
        try queryParameterLists().mapValues { parameters in
            Dictionary(parameters.compactMap { p in p.schema.flatMap(QueryValueRule.init(schema:)).map { (p.name, $0) } },
                       uniquingKeysWith: { first, _ in first })
        }.filter { !$0.value.isEmpty }
    }

    /// Each operation's query parameters in the contract's order: path-level first, then its own,
    /// each with its schema (a `$ref` to `components/schemas` resolved).
    private static func queryParameterLists() throws -> [String: [(name: String, required: Bool, schema: [String: Any]?)]] {
        let yaml = try String(contentsOf: OpenAPIContract.yamlURL, encoding: .utf8)
        guard let root = (try Yams.load(yaml: yaml)) as? [String: Any], let paths = root["paths"] as? [String: Any] else { return [:] }
        let components = (root["components"] as? [String: Any]) ?? [:]
        let shared = (components["parameters"] as? [String: Any]) ?? [:]
        let schemas = (components["schemas"] as? [String: Any]) ?? [:]
        func resolved(_ object: Any?, in table: [String: Any]) -> [String: Any]? {
            guard let o = object as? [String: Any] else { return nil }
            if let ref = o["$ref"] as? String { return table[String(ref.split(separator: "/").last ?? "")] as? [String: Any] }
            return o
        }
        func query(_ list: Any?) -> [(name: String, required: Bool, schema: [String: Any]?)] {
            ((list as? [Any]) ?? []).compactMap { resolved($0, in: shared) }.filter { $0["in"] as? String == "query" }.compactMap { p in
                (p["name"] as? String).map { ($0, p["required"] as? Bool ?? false, resolved(p["schema"], in: schemas)) }
            }
        }
        var result: [String: [(name: String, required: Bool, schema: [String: Any]?)]] = [:]
        for case let item as [String: Any] in paths.values {
            let common = query(item["parameters"])
            for method in ["get", "post", "put", "patch", "delete"] {
                guard let operation = item[method] as? [String: Any], let id = operation["operationId"] as? String else { continue }
                result[id] = common + query(operation["parameters"])
            }
        }
        return result
    }

    /// The contract's paths with the methods each has, for 405 with `Allow` (RFC 9110 §15.5.6) on a
    /// known path asked with a method it does not have.
    static func routes() throws -> [RouteMethods] {
        let yaml = try String(contentsOf: OpenAPIContract.yamlURL, encoding: .utf8)
        guard let paths = ((try Yams.load(yaml: yaml)) as? [String: Any])?["paths"] as? [String: Any] else { return [] }
        let known: [String: HTTPRequest.Method] = ["get": .get, "post": .post, "put": .put, "patch": .patch, "delete": .delete]
        return paths.map { path, item in
            let methods = ((item as? [String: Any]) ?? [:]).keys.compactMap { known[$0] }
            return RouteMethods(segments: path.split(separator: "/").map(String.init), methods: Set(methods))
        }
    }
}

/// One path of the contract (`/v1/schools/{id}`, split at `/`) and the methods it has.
struct RouteMethods: Sendable {
    let segments: [String]
    let methods: Set<HTTPRequest.Method>

    /// How many segments are `{name}` parameters: fewer is more specific.
    var parameterCount: Int { segments.filter { $0.hasPrefix("{") }.count }

    /// Whether `path` (without its query) is this path, a `{name}` segment standing for any one segment.
    func matches(_ path: Substring) -> Bool {
        let parts = path.split(separator: "/")
        guard parts.count == segments.count else { return false }
        return zip(parts, segments).allSatisfy { part, segment in segment.hasPrefix("{") || part == segment }
    }

    /// The `Allow` header's value: the methods in a fixed order, `HEAD` wherever `GET` is (``HeadResponder``).
    var allow: String {
        let order: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete]
        return order.filter { methods.contains($0) || ($0 == .head && methods.contains(.get)) }.map(\.rawValue).joined(separator: ", ")
    }
}
