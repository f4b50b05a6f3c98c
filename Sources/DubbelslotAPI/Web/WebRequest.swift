import DubbelslotCore
import DubbelslotStore
import Foundation
import HTTPTypes
import Hummingbird

/// One request of a signed-in page: the session's principal, the form fields (POST) and the query.
struct WebRequest {
    let controller: WebController
    let request: Request
    let session: WebSessionRepository.Session
    let sessionId: String
    let form: [String: String]

    var principal: TokenPrincipal { session.principal }

    /// Calls an API handler as this session's token: the ``AccessPolicy`` grant for `operationID`
    /// (403 when the role lacks it) with the same ``Principal`` task-locals the API binds.
    func call<T>(_ operationID: String, _ work: () async throws -> T) async throws -> T {
        try await AuthMiddleware.withGrant(principal, operationID: operationID, municipalities: controller.store.municipalities, work)
    }

    /// Whether the role may use `operationID` (to show or hide links and forms).
    func may(_ operationID: String) -> Bool { AccessPolicy.allows(principal.role, operationID) }

    /// A query parameter, trimmed; `nil` when absent or blank.
    ///
    /// Read as a browser's GET form sends it (application/x-www-form-urlencoded, WHATWG URL standard):
    /// `+` is a space and `%2B` a plus, so "uut V" typed in the search field is found.
    func query(_ name: String) -> String? {
        let raw = request.uri.query ?? ""
        for pair in raw.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.first.map({ $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }) == name else { continue }
            let encoded = parts.count > 1 ? String(parts[1]) : ""
            guard let value = encoded.replacingOccurrences(of: "+", with: " ").removingPercentEncoding?.trimmingCharacters(in: .whitespaces),
                  !value.isEmpty else { return nil }
            return value
        }
        return nil
    }

    /// A form field, trimmed; `nil` when absent or blank.
    func field(_ name: String) -> String? {
        guard let value = form[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// The page `name` inside the layout, with the navigation this role may use.
    func render(_ name: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        var all = context
        all["csrf"] = session.csrfToken
        all["who"] = "\(Dutch.role(principal.role))\(principal.municipalityCode.map { " · \($0.rawValue)" } ?? "") · \(principal.label)"
        var nav: [[String: Any]] = []
        func item(_ href: String, _ label: String, _ op: String) {
            if may(op) { nav.append(["href": href, "label": label, "current": request.uri.path == href]) }
        }
        item("/app/zoeken", "Zoeken", "listSchools")
        item("/app/vergelijken", "Vergelijken", "getMunicipalityOverview")
        item("/app/signalen/nieuw", "Signaal melden", "reportSignal")
        if principal.role == .signaller { item("/app/signalen", "Onze signalen", "listSignals") }
        item("/app/inspectie", "Inspectie", "transitionSignal")
        item("/app/abonnementen", "Abonnementen", "listSubscriptions")
        all["nav"] = nav
        return controller.pages.html(name, all, status: status)
    }

    /// The field errors of a validation-like error, by field, in Dutch; `nil` for any other error.
    func fieldErrors(_ error: any Error) -> [String: String]? {
        let problem = OpenAPIProblemMiddleware.problem(for: error, operationID: "web", logger: controller.logger)
        guard [.validation, .unknownReference, .conflict, .overlappingPeriod, .duplicate].contains(problem.kind), !problem.errors.isEmpty else {
            return nil
        }
        var result: [String: String] = [:]
        for e in problem.errors where result[e.field] == nil { result[e.field] = Dutch.rule(e.rule) }
        return result
    }
}
