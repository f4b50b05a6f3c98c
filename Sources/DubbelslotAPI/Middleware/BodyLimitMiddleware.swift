import Foundation
import HTTPTypes
import Hummingbird

/// Refuses request bodies larger than the limit with a 413 problem before any handler reads them
/// (docs/decisions/0019-bad-input-and-safe-errors.md).
///
/// A declared `Content-Length` over the limit is refused at once; a body without one is collected up
/// to the limit, so a chunked upload cannot exceed it either. Limits: 1 MiB for JSON, 5 MiB for
/// `text/csv` (the batch intake).
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    static var jsonLimit: Int { BodyLimits.json }
    static var csvLimit: Int { BodyLimits.csv }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post || request.method == .put || request.method == .patch else { return try await next(request, context) }
        let isCSV = request.headers[.contentType]?.lowercased().hasPrefix("text/csv") ?? false
        let limit = isCSV ? Self.csvLimit : Self.jsonLimit
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Problem(.payloadTooLarge, detail: "Send at most \(limit / 1024 / 1024) MiB in one request.")
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch {
            throw Problem(.payloadTooLarge, detail: "Send at most \(limit / 1024 / 1024) MiB in one request.")
        }
        return try await next(request, context)
    }
}

/// The request body limits in bytes: 1 MiB for JSON, 5 MiB for `text/csv` (some ten thousand signals).
enum BodyLimits {
    static let json = 1024 * 1024
    static let csv = 5 * 1024 * 1024
}
