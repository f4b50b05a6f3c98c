import CMallocTrim
import Hummingbird

/// Gives freed memory back to the operating system (glibc's `malloc_trim(0)`) once a response of at
/// least ``threshold`` bytes has been written, instead of at the next round of ``MemoryTrimService``.
///
/// Building a large answer (a risk report's quality-mark changes: 8.9 MB of JSON from 20,000 decisions
/// at 1,000× volume) leaves the rows, the generated types and the encoder's buffers freed but
/// resident for up to five seconds. The buffers themselves are mapped on their own and returned when
/// freed (``MemoryTrimService/fixMmapThreshold(_:)``); what stays is the small allocations around
/// them. Trimming walks glibc's arenas once, which costs milliseconds: after a response of a megabyte
/// it is lost in the time the answer took (docs/decisions/0023).
struct TrimAfterLargeResponseMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Responses from this many bytes on (declared `Content-Length`) are followed by a trim; 1 MiB.
    static var threshold: Int { 1 << 20 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard let length = response.body.contentLength, length >= Self.threshold else { return response }
        let body = response.body
        response.body = ResponseBody(contentLength: length) { writer in
            defer { _ = dubbelslot_malloc_trim() }
            try await body.write(writer)
        }
        return response
    }
}
