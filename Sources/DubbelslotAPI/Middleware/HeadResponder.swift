import HTTPTypes
public import Hummingbird

/// Answers `HEAD` wherever `GET` is answered (RFC 9110 §9.3.2): the request goes to the router as a
/// `GET`, and the response keeps its status and every header field, `Content-Length` included, but
/// sends no content.
///
/// A responder around the router, not a router middleware: Hummingbird resolves the route before any
/// router middleware runs, so a middleware that changes the method comes too late.
public struct HeadResponder<Base: HTTPResponder>: HTTPResponder {
    /// The request context of the responder it wraps.
    public typealias Context = Base.Context
    let base: Base

    /// - Parameter base: the router's responder (`router.buildResponder()`).
    public init(base: Base) {
        self.base = base
    }

    /// `request` as it is, or, for `HEAD`, as a `GET` whose response keeps its head and drops its content.
    /// - Throws: what the router throws.
    public func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .head else { return try await base.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response = try await base.respond(to: Request(head: head, body: request.body), context: context)
        let length = response.body.contentLength
        response.body = ResponseBody(contentLength: length) { writer in try await writer.finish(nil) }
        if let length { response.headers[.contentLength] = String(length) }
        return response
    }
}
