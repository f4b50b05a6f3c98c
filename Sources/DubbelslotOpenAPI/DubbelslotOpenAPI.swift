public import Foundation

/// The HTTP contract of Dubbelslot: `openapi.yaml` in this target is the single source from which the
/// generator makes the server stubs, and which the service serves at `/v1/openapi.json`.
public enum OpenAPIContract {
    /// The bundled `openapi.yaml`.
    public static var yamlURL: URL {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            fatalError("openapi.yaml is missing from the DubbelslotOpenAPI bundle: the package is broken")
        }
        return url
    }
}
