import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// The page templates (`Web/Templates/*.mustache`, swift-mustache) and the stylesheet, loaded once.
///
/// Every value is HTML-escaped by `{{name}}`; templates never use the unescaped `{{{…}}}` form.
struct Pages: Sendable {
    let library: MustacheLibrary
    /// `Web/Templates/app.css`, served at `/app/static/app.css`.
    let stylesheet: String

    /// The policy of every page: styles only from the service itself, forms post only to it, no scripts.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// - Throws: ``SettingsError`` when the bundled templates are missing or do not parse.
    init() throws {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw SettingsError("the web page templates are missing from the bundle")
        }
        var templates: [String: MustacheTemplate] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            do {
                templates[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
            } catch {
                throw SettingsError("web template \(name) does not parse: \(error)")
            }
        }
        library = MustacheLibrary(templates: templates)
        stylesheet = try String(contentsOf: directory.appendingPathComponent("app.css"), encoding: .utf8)
    }

    /// The page `name` rendered with `context` as `text/html`.
    func html(_ name: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let text = library.render(context, withTemplate: name) ?? "<!doctype html><html lang=\"nl\"><title>Fout</title><h1>Pagina ontbreekt</h1></html>"
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers[.init("Content-Security-Policy")!] = Self.contentSecurityPolicy
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
