import DubbelslotOpenAPI
import Foundation
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
}
