import DubbelslotCore
import DubbelslotStore
import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime

/// The outermost OpenAPI middleware: every error, from decoding the request to the handler, leaves as
/// `application/problem+json`.
///
/// The generated server answers a body it cannot decode with a bare error; here a `DecodingError`
/// becomes a 400 naming the field (the JSON path) and the rule. Store errors map to their statuses
/// (duplicate and overlapping period 409, unknown reference 422). Anything else is a 500 whose body
/// says nothing of the cause; the cause is logged.
struct OpenAPIProblemMiddleware: ServerMiddleware {
    let logger: Logger
    /// Every request's deadline (`http.requestTimeoutSeconds`): past it the work is cancelled and the
    /// answer is 503 with `Retry-After`, so a database that does not answer never holds a client.
    var requestTimeout: Duration = .seconds(60)
    /// The query parameters of each operation (``OpenAPIDocumentLoader/queryParameters()``): only
    /// those are checked; one the operation does not have is ignored.
    var queryParameters: [String: Set<String>] = [:]
    /// The required query parameters of each operation (``OpenAPIDocumentLoader/requiredQueryParameters()``),
    /// checked here so a missing one is named whatever else the query holds.
    var requiredQueryParameters: [String: [String]] = [:]
    /// The rules of each operation's typed query parameters (``OpenAPIDocumentLoader/queryValueRules()``),
    /// checked here so that a bad value is named with its rule, every such parameter at once.
    var queryValueRules: [String: [String: QueryValueRule]] = [:]

    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        // PostgreSQL text cannot hold NUL and no parameter of ours needs control characters: refused by
        // name here, before any handler could pass one to the database (which answered 500).
        if let path = request.path, path.contains("?"), let items = URLComponents(string: path)?.queryItems,
           let declared = queryParameters[operationID],
           let bad = items.first(where: { declared.contains($0.name) && ($0.value ?? "").unicodeScalars.contains { $0.properties.generalCategory == .control } }) {
            let problem = Problem.validation([FieldError(field: bad.name, rule: "must not contain control characters")])
            return (HTTPResponse(status: problem.httpStatus, headerFields: problem.httpHeaderFields), problem.httpBody)
        }
        if let required = requiredQueryParameters[operationID] {
            let present = Set((request.path.flatMap { URLComponents(string: $0)?.queryItems } ?? []).map(\.name))
            if let missing = required.first(where: { !present.contains($0) }) {
                let problem = Problem(.validation, detail: "The query parameter \(missing) is required.",
                                      errors: [FieldError(field: missing, rule: "is required")])
                return (HTTPResponse(status: problem.httpStatus, headerFields: problem.httpHeaderFields), problem.httpBody)
            }
        }
        if let rules = queryValueRules[operationID], let items = request.path.flatMap({ URLComponents(string: $0)?.queryItems }) {
            let broken = QueryValueRule.errors(in: items.map { ($0.name, $0.value) }, rules: rules)
            if !broken.isEmpty {
                let problem = Problem.validation(broken)
                return (HTTPResponse(status: problem.httpStatus, headerFields: problem.httpHeaderFields), problem.httpBody)
            }
        }
        // A body says what it is (RFC 9110 §8.3); without Content-Type it is not guessed to be JSON.
        if [.post, .put, .patch].contains(request.method), request.headerFields[.contentType] == nil, let body, body.length != .known(0) {
            let problem = Problem(.unsupportedMediaType, detail: "Send the body with a Content-Type (application/json, or text/csv for a batch).")
            return (HTTPResponse(status: problem.httpStatus, headerFields: problem.httpHeaderFields), problem.httpBody)
        }
        var body = body
        if let contentType = request.headerFields[.contentType], contentType.lowercased().hasPrefix("application/json"), let received = body {
            // Bodies are already capped (BodyLimitMiddleware), so collecting one is bounded.
            let data = try await Data(collecting: received, upTo: BodyLimits.json)
            if let violation = JSONBodyRules.firstViolation(in: data) {
                let problem = Problem.validation([violation])
                return (HTTPResponse(status: problem.httpStatus, headerFields: problem.httpHeaderFields), problem.httpBody)
            }
            body = HTTPBody(data)
        }
        let forwarded = body
        do {
            let timeout = requestTimeout
            // The task group waits for both children before it returns, so `next` does not outlive this call.
            return try await withoutActuallyEscaping(next) { next in
                try await withThrowingTaskGroup(of: (HTTPResponse, HTTPBody?)?.self) { group in
                    group.addTask { try await next(request, forwarded, metadata) }
                    group.addTask {
                        try await Deadline.wait(timeout)
                        return nil
                    }
                    defer { group.cancelAll() }
                    guard let first = try await group.next(), let answer = first else { throw Problem.databaseUnavailable }
                    return answer
                }
            }
        } catch {
            let problem = Self.problem(for: error, operationID: operationID, logger: logger)
            return (HTTPResponse(status: problem.httpStatus, headerFields: problem.httpHeaderFields), problem.httpBody)
        }
    }

    static func problem(for error: any Error, operationID: String, logger: Logger) -> Problem {
        var error = error
        var decodingInput = false
        if let serverError = error as? ServerError {
            decodingInput = serverError.operationInput == nil
            error = serverError.underlyingError
        }
        if StoreError.isDatabaseOutage(error) {
            logger.warning("database unavailable", metadata: ["operation": "\(operationID)", "error": "\(String(reflecting: error))"])
            return .databaseUnavailable
        }
        switch error {
        case let problem as Problem:
            return problem
        case let failure as ValidationFailure:
            return .validation(failure.errors)
        case let storeError as StoreError:
            switch storeError.kind {
            case .duplicate where ["kvkNumber", "vestigingsnummer"].contains(storeError.field):
                return Problem(.duplicate, detail: "\(storeError.field ?? "value") is already registered.",
                               errors: [FieldError(field: storeError.field ?? "body", rule: "must be unique")])
            case .duplicate:
                // Not a KvK number (a signal's caseReference, a relation already made): a plain conflict.
                return Problem(.conflict, detail: "\(storeError.field ?? "value") is already registered.",
                               errors: [FieldError(field: storeError.field ?? "body", rule: "must be unique")])
            case .overlappingPeriod:
                return Problem(.overlappingPeriod, detail: "The period overlaps another quality-mark decision of this school.",
                               errors: [FieldError(field: "validFrom", rule: "the period [validFrom, validUntil) must not overlap another decision of the school")])
            case .unknownReference:
                return Problem(.unknownReference, detail: "\(storeError.field ?? "A reference") names something that does not exist.",
                               errors: [FieldError(field: storeError.field ?? "body", rule: "must name an existing record")])
            case .notFound:
                return Problem(.notFound, detail: "Not found.")
            case .corruptRow, .migration:
                logger.error("store error", metadata: ["operation": "\(operationID)", "error": "\(storeError)"])
                return Problem(.internal, detail: "An unexpected error occurred; it has been logged.")
            }
        case let workflow as SignalWorkflowError:
            return problem(for: workflow)
        case let lifecycle as QualityMarkLifecycleError:
            return problem(for: lifecycle)
        case let rectification as QualityMarkRectificationError:
            return Problem(.conflict, detail: rectification.description,
                           errors: [FieldError(field: "decisionId", rule: "must be a decision that is not rectified and not ended by a later one")])
        case let decoding as DecodingError:
            return .validation([decodingFieldError(decoding, operationID: operationID)])
        default:
            if decodingInput {
                // Request-to-input conversion failed outside JSON decoding: a missing parameter or the wrong content type.
                let text = String(describing: error)
                if text.localizedCaseInsensitiveContains("content type") {
                    let expected = operationID == "reportSignalBatch" ? "text/csv" : "application/json"
                    return Problem(.unsupportedMediaType, detail: "Send the body as \(expected).")
                }
                // The runtime's error type is internal; its description names the parameter (not its value).
                if let name = text.firstMatch(of: /Missing required query parameter named: (\S+)/)?.1 {
                    return Problem(.validation, detail: "The query parameter \(name) is required.",
                                   errors: [FieldError(field: String(name), rule: "is required")])
                }
                logger.debug("request could not be read", metadata: ["operation": "\(operationID)", "error": "\(String(reflecting: error))"])
                return Problem(.validation, detail: "The request could not be read: check the required parameters and the JSON body.",
                               errors: [FieldError(field: "body", rule: "must be a JSON document as the contract describes")])
            }
            logger.error("unexpected error", metadata: ["operation": "\(operationID)", "error": "\(String(reflecting: error))"])
            return Problem(.internal, detail: "An unexpected error occurred; it has been logged.")
        }
    }

    /// Quality-mark lifecycle refusals: 409 naming the status followed (`currentStatus`) and the new one, with what may follow.
    static func problem(for error: QualityMarkLifecycleError) -> Problem {
        switch error {
        case let .illegalTransition(from, _, allowed):
            var p = Problem(.conflict, detail: error.description,
                            errors: [FieldError(field: "status", rule: "must be a status the lifecycle allows after \(from?.rawValue ?? "no decision in force")")])
            p.currentStatus = from?.rawValue
            p.allowedStatuses = allowed.map(\.rawValue)
            return p
        case let .sameStart(_, status, _):
            var p = Problem(.conflict, detail: error.description,
                            errors: [FieldError(field: "validFrom", rule: "must not be the first day of a decision of the same scope (rectify that one instead)")])
            p.currentStatus = status.rawValue
            return p
        case .runsIntoLater:
            return Problem(.overlappingPeriod, detail: error.description,
                           errors: [FieldError(field: "validUntil", rule: "must be on or before the first day of the next decision of the same scope")])
        }
    }

    /// Signal workflow refusals: 412 with the current state, 409 with the allowed next statuses.
    static func problem(for error: SignalWorkflowError) -> Problem {
        switch error.kind {
        case .versionMismatch:
            var p = Problem(.preconditionFailed, detail: "The signal changed since the version in If-Match; read it again and decide anew.")
            p.currentStatus = error.currentSignal?.signal.status.rawValue
            p.currentVersion = error.currentSignal?.version
            return p
        case .illegalTransition:
            let allowed = error.allowedStatuses.map(\.rawValue)
            var p = Problem(.conflict, detail: "A signal in status \(error.currentStatus?.rawValue ?? "?") can move to: \(allowed.isEmpty ? "nothing (final)" : allowed.joined(separator: ", ")).",
                            errors: [FieldError(field: "to", rule: "must be a status allowed after the current one")])
            p.currentStatus = error.currentStatus?.rawValue
            p.allowedStatuses = allowed
            return p
        case .idempotencyKeyReused:
            return Problem(.idempotencyKeyReused, detail: "This Idempotency-Key was used before with another request body.",
                           errors: [FieldError(field: "Idempotency-Key", rule: "must not be reused with a different body")])
        case .relationRuleBroken:
            return Problem(.conflict, detail: error.rule ?? "The relation breaks its rules.",
                           errors: [FieldError(field: "kind", rule: error.rule ?? "the relation breaks its rules")])
        case .notFound:
            return Problem(.notFound, detail: "Not found.")
        }
    }

    /// The field (as a JSON path such as `findings[0].severity`) and the rule a decoding error broke.
    static func decodingFieldError(_ error: DecodingError, operationID: String = "") -> FieldError {
        func path(_ keys: [any CodingKey]) -> String {
            var result = ""
            for key in keys {
                if let index = key.intValue { result += "[\(index)]" } else { result += (result.isEmpty ? "" : ".") + key.stringValue }
            }
            return result.isEmpty ? "body" : result
        }
        switch error {
        case .keyNotFound(let key, let context):
            return FieldError(field: path(context.codingPath + [key]), rule: "is required")
        case .typeMismatch(let type, let context):
            return FieldError(field: path(context.codingPath), rule: "must be \(jsonTypeName(type))")
        case .valueNotFound(_, let context):
            return FieldError(field: path(context.codingPath), rule: "must not be null")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            if field == "body" { return FieldError(field: "body", rule: "must be well-formed JSON") }
            // OpenAPIRuntime says "Additional properties are disabled, but found …" (capital A).
            if context.debugDescription.localizedCaseInsensitiveContains("additional propert") {
                return FieldError(field: field, rule: "is not a known field")
            }
            if let values = EnumFields.allowedValues(for: context.codingPath.last?.stringValue, operationID: operationID) {
                return FieldError(field: field, rule: "must be one of \(values.joined(separator: ", "))")
            }
            return FieldError(field: field, rule: "has a value of the wrong form")
        @unknown default:
            return FieldError(field: "body", rule: "must be a JSON document as the contract describes")
        }
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: "of the type the contract gives"
        }
    }
}

/// The allowed values of the contract's enum fields, by JSON field name, for error messages.
enum EnumFields {
    static func allowedValues(for field: String?, operationID: String) -> [String]? {
        // Field names shared by several schemas are told apart by the operation.
        switch (operationID, field) {
        case ("relateSignal", "kind"): return SignalRelationKind.allCases.map(\.rawValue)
        case ("forwardSignal", "to"): return SignalForwardTarget.allCases.map(\.rawValue)
        case ("transitionSignal", "to"): return SignalStatus.allCases.map(\.rawValue)
        case ("recordQualityMarkDecision", "status"): return QualityMarkStatus.allCases.map(\.rawValue)
        case ("recordVisit", "severity"): return FindingSeverity.allCases.map(\.rawValue)
        case ("reportSignal", "severity"): return SignalSeverity.allCases.map(\.rawValue)
        default: break
        }
        return switch field {
        case "status": QualityMarkStatus.allCases.map(\.rawValue) + SignalStatus.allCases.map(\.rawValue)
        case "kind": VisitKind.allCases.map(\.rawValue)
        case "outcome": VisitOutcome.allCases.map(\.rawValue)
        case "severity": SignalSeverity.allCases.map(\.rawValue) + FindingSeverity.allCases.map(\.rawValue)
        case "category": SignalCategory.allCases.map(\.rawValue)
        case "source": SignalSource.allCases.map(\.rawValue)
        case "routes", "route": Route.allCases.map(\.rawValue)
        default: nil
        }
    }
}
