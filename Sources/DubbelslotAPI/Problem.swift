public import DubbelslotCore
public import Foundation
public import HTTPTypes
public import OpenAPIRuntime

/// An HTTP error as `application/problem+json` (RFC 9457): the only error shape clients ever see.
///
/// `type` is a stable tag URI (RFC 4151) per kind of error (`tag:dubbelslot,2026:problems/<kind>`, the
/// table in `openapi.yaml` under `Problem`), so clients can branch
/// on it; `errors` lists every broken rule of a validation error by field. A problem never carries
/// SQL, stack traces, internal type names, secrets or the rejected value itself.
public struct Problem: Error, Sendable, Equatable, HTTPResponseConvertible {
    /// The kinds of problem, each with its status and title.
    public enum Kind: String, Sendable, CaseIterable {
        case validation
        case unauthenticated
        case forbidden
        case notFound = "not-found"
        case duplicate = "duplicate-kvk-number"
        case overlappingPeriod = "overlapping-period"
        case unknownReference = "unknown-reference"
        case idempotencyInProgress = "idempotency-request-in-progress"
        case idempotencyKeyReused = "idempotency-key-reused"
        case conflict
        case preconditionFailed = "precondition-failed"
        case preconditionRequired = "precondition-required"
        case unsupportedMediaType = "unsupported-media-type"
        case payloadTooLarge = "payload-too-large"
        case methodNotAllowed = "method-not-allowed"
        case `internal`
        case unavailable

        var status: HTTPResponse.Status {
            switch self {
            case .validation: .badRequest
            case .unauthenticated: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .duplicate, .overlappingPeriod, .conflict, .idempotencyInProgress: .conflict
            case .unknownReference, .idempotencyKeyReused: .unprocessableContent
            case .preconditionFailed: .preconditionFailed
            case .preconditionRequired: .preconditionRequired
            case .unsupportedMediaType: .unsupportedMediaType
            case .payloadTooLarge: .contentTooLarge
            case .methodNotAllowed: .methodNotAllowed
            case .internal: .internalServerError
            case .unavailable: .serviceUnavailable
            }
        }

        var title: String {
            switch self {
            case .validation: "The request is not valid"
            case .unauthenticated: "Authentication is required"
            case .forbidden: "Not allowed for this token"
            case .notFound: "Not found"
            case .duplicate: "Already exists"
            case .overlappingPeriod: "Overlapping period"
            case .conflict: "Conflicts with the current state"
            case .unknownReference: "Names something that does not exist"
            case .idempotencyInProgress: "The same request is still being processed"
            case .idempotencyKeyReused: "Idempotency-Key reused with another body"
            case .preconditionFailed: "Changed by someone else first"
            case .preconditionRequired: "If-Match is required"
            case .unsupportedMediaType: "Unsupported media type"
            case .payloadTooLarge: "Request body too large"
            case .methodNotAllowed: "Method not allowed"
            case .internal: "Internal error"
            case .unavailable: "Service unavailable"
            }
        }
    }

    public let kind: Kind
    public let detail: String
    public let errors: [FieldError]
    /// Extension members (RFC 9457 §3.2) for signal conflicts: the current status, the statuses allowed
    /// next (409), the current version (412).
    public var currentStatus: String?
    public var allowedStatuses: [String]?
    public var currentVersion: Int?

    public init(_ kind: Kind, detail: String, errors: [FieldError] = []) {
        self.kind = kind
        self.detail = detail
        self.errors = errors
    }

    /// A validation problem listing every broken rule.
    public static func validation(_ errors: [FieldError]) -> Problem {
        Problem(.validation, detail: errors.map(\.description).joined(separator: "; "), errors: errors)
    }

    /// A validation problem for one field.
    public static func invalid(_ field: String, _ rule: String) -> Problem { .validation([FieldError(field: field, rule: rule)]) }

    /// `tag:dubbelslot,2026:problems/<kind>`.
    public var type: String { "tag:dubbelslot,2026:problems/\(kind.rawValue)" }
    public var status: Int { kind.status.code }

    // MARK: HTTPResponseConvertible

    public var httpStatus: HTTPResponse.Status { kind.status }

    public var httpHeaderFields: HTTPFields {
        var fields: HTTPFields = [.contentType: "application/problem+json"]
        if kind == .unauthenticated { fields[.wwwAuthenticate] = "Bearer realm=\"dubbelslot\"" }
        if let currentVersion { fields[.eTag] = "\"\(currentVersion)\"" }
        // RFC 9110 §10.2.3: how long to wait before asking again, in seconds.
        if kind == .unavailable { fields[.retryAfter] = String(Self.retryAfterSeconds) }
        return fields
    }

    public var httpBody: HTTPBody? { HTTPBody(jsonData) }

    /// What `Retry-After` says on a 503: the database reconnects by itself, within seconds once it is back.
    public static let retryAfterSeconds = 5

    /// The 503 for a database that cannot be reached or a request past its deadline.
    public static var databaseUnavailable: Problem {
        Problem(.unavailable, detail: "The database cannot be reached just now. Try again after Retry-After seconds; "
            + "a write whose answer was lost may have been stored: repeat it with the same Idempotency-Key.")
    }

    /// The RFC 9457 document.
    public var jsonData: Data {
        struct Body: Encodable {
            let type: String, title: String, status: Int, detail: String
            let errors: [Item]?
            let currentStatus: String?, allowedStatuses: [String]?, currentVersion: Int?
        }
        struct Item: Encodable { let field: String, rule: String, line: Int? }
        let body = Body(type: type, title: kind.title, status: status, detail: detail,
                        errors: errors.isEmpty ? nil : errors.map { Item(field: $0.field, rule: $0.rule, line: $0.line) },
                        currentStatus: currentStatus, allowedStatuses: allowedStatuses, currentVersion: currentVersion)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(body)) ?? Data("{\"status\":500}".utf8)
    }
}
