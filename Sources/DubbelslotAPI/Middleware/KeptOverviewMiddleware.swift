import DubbelslotCore
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Answers `GET /v1/schools/{id}/overview` without query parameters from the bytes
/// ``KeptOverviews`` keeps, when they hold and need nothing withheld for the caller
/// (``APIImplementation/keptOverviewAnswer(schoolId:acceptLanguage:)``); every other request goes on
/// to the handler. Decoding a kept overview and encoding the answer again was over half of the
/// server's time on such a request at 1,000× volume (perf: JSONEncoder 33 %, JSONDecoder 19 %; a
/// whole overview there is some 50 kB). Runs after ``AuthMiddleware`` (the caller is known and
/// allowed) and ``ReadRoutingMiddleware`` (its reads go where the handler's would).
struct KeptOverviewMiddleware: ServerMiddleware {
    let api: APIImplementation

    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        guard operationID == "getSchoolOverview", request.method == .get, let path = request.path, !path.contains("?"),
              let idText = metadata.pathParameters["id"], let id = UUID(strict: String(idText)),
              let bytes = try await api.keptOverviewAnswer(schoolId: id, acceptLanguage: request.headerFields[.acceptLanguage])
        else { return try await next(request, body, metadata) }
        var response = HTTPResponse(status: .ok)
        response.headerFields[.contentType] = "application/json; charset=utf-8"
        return (response, HTTPBody(bytes))
    }
}
