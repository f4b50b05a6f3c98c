import DubbelslotStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The outermost Hummingbird middleware: unknown routes, wrong methods and any error that escaped
/// the OpenAPI layer become `application/problem+json`; every response gets security headers and
/// `API-Version` (the contract's `info.version`, NL GOV API-57).
struct RouterProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let apiVersion: String
    /// The contract's paths and their methods: a known path asked with another method is a 405 with `Allow`.
    var routes: [RouteMethods] = []

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && !allowed(request).isEmpty && !allowed(request).contains(request.method) {
            let route = RouteMethods(segments: [], methods: allowed(request))
            response = Self.response(Problem(.methodNotAllowed, detail: "\(request.uri.path) takes \(route.allow)."))
            response.headers[.allow] = route.allow
        } catch let error as HTTPError {
            let kind: Problem.Kind =
                switch error.status {
                case .notFound: .notFound
                case .methodNotAllowed: .methodNotAllowed
                case .contentTooLarge: .payloadTooLarge
                case .unsupportedMediaType: .unsupportedMediaType
                case .badRequest: .validation
                default: .internal
                }
            response = Self.response(Problem(kind, detail: kind == .notFound ? "No such resource: \(request.uri.path)." : kind.title + "."))
        } catch let problem as Problem {
            response = Self.response(problem)
        } catch where StoreError.isDatabaseOutage(error) {
            context.logger.warning("database unavailable", metadata: ["error": "\(String(reflecting: error))"])
            response = Self.response(.databaseUnavailable)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            response = Self.response(Problem(.internal, detail: "An unexpected error occurred; it has been logged."))
        }
        // OpenAPIRuntime writes header values URI-encoded (`"2"` leaves as `%222%22`); an ETag is the quoted
        // string itself (RFC 9110 §8.8.3), so that a client can send it back as `If-Match` unchanged.
        if let tag = response.headers[.eTag], tag.contains("%"), let plain = tag.removingPercentEncoding { response.headers[.eTag] = plain }
        response.headers[.init("API-Version")!] = apiVersion
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        // The web pages (/app) set their own policy: their stylesheet from 'self', forms to 'self' only.
        if response.headers[.init("Content-Security-Policy")!] == nil {
            response.headers[.init("Content-Security-Policy")!] = "default-src 'none'; frame-ancestors 'none'"
        }
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    /// The methods the contract has for the request's path (empty for a path it does not know).
    func allowed(_ request: Request) -> Set<HTTPRequest.Method> {
        // The most specific paths only, as the router resolves them: `/v1/signals/batch` is that path,
        // not `/v1/signals/{id}` with the id "batch" (whose GET would answer 404).
        let matching = routes.filter { $0.matches(request.uri.path[...]) }
        let fewest = matching.map(\.parameterCount).min()
        return matching.filter { $0.parameterCount == fewest }.reduce(into: Set()) { $0.formUnion($1.methods) }
    }

    static func response(_ problem: Problem) -> Response {
        Response(status: problem.httpStatus, headers: problem.httpHeaderFields, body: .init(byteBuffer: ByteBuffer(bytes: problem.jsonData)))
    }
}
