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
        /// One or more fields break a rule (400); `errors` names each field and rule.
        case validation
        /// No bearer token, or one that is unknown, expired, revoked or of a disabled organisation (401,
        /// with `WWW-Authenticate`).
        case unauthenticated
        /// The token's role or municipality may not do this (403; the policy table in `AccessPolicy`).
        case forbidden
        /// The resource does not exist, or the caller may not know that it does (404).
        case notFound = "not-found"
        /// A school with this KvK number or vestigingsnummer is registered already (409); any other
        /// duplicate is a `conflict`.
        case duplicate = "duplicate-kvk-number"
        /// A quality-mark decision's period [validFrom, validUntil) overlaps another decision of the school,
        /// or runs past the first day of the next one of the same scope (409).
        case overlappingPeriod = "overlapping-period"
        /// The request names a record that does not exist, e.g. a school, location or organisation (422);
        /// `errors` names the field.
        case unknownReference = "unknown-reference"
        /// This `Idempotency-Key` was used before with another request body (422).
        case idempotencyKeyReused = "idempotency-key-reused"
        /// The change does not fit the current state, e.g. a step the signal workflow forbids (409).
        case conflict
        /// `If-Match` names another version than the current one (412, RFC 9110 §13.1.1).
        case preconditionFailed = "precondition-failed"
        /// A change of a versioned resource came without `If-Match` (428, RFC 6585 §3).
        case preconditionRequired = "precondition-required"
        /// The body has no `Content-Type` or the wrong one: `application/json`, or `text/csv` for a signal
        /// batch (415).
        case unsupportedMediaType = "unsupported-media-type"
        /// The body is larger than 1 MiB (JSON) or 5 MiB (`text/csv`) (413,
        /// docs/decisions/0019-bad-input-and-safe-errors.md).
        case payloadTooLarge = "payload-too-large"
        /// The path exists but not with this method (405, with `Allow`).
        case methodNotAllowed = "method-not-allowed"
        /// A fault of ours (500); the cause is logged, never described to the client.
        case `internal`
        /// The database is unreachable or the deadline passed (503, with `Retry-After`).
        case unavailable

        var status: HTTPResponse.Status {
            switch self {
            case .validation: .badRequest
            case .unauthenticated: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .duplicate, .overlappingPeriod, .conflict: .conflict
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

    /// The kind: it sets `type`, `title` and the status.
    public let kind: Kind
    /// What went wrong in this request, in one or more sentences (RFC 9457 §3.1.4).
    public let detail: String
    /// Every broken rule by field; empty for problems that are not about fields.
    public let errors: [FieldError]
    /// Extension members (RFC 9457 §3.2) for signal conflicts: the current status, the statuses allowed
    /// next (409), the current version (412).
    public var currentStatus: String?
    /// The statuses the signal may take next (409 of the workflow).
    public var allowedStatuses: [String]?
    /// The current version of the resource (412); also sent as its `ETag`.
    public var currentVersion: Int?

    /// A problem of `kind` with `detail` and, for a validation problem, the broken rules.
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
    /// The HTTP status code, e.g. 400 (RFC 9457 §3.1.2).
    public var status: Int { kind.status.code }

    // MARK: HTTPResponseConvertible

    /// The HTTP status of the kind.
    public var httpStatus: HTTPResponse.Status { kind.status }

    /// `Content-Type: application/problem+json`, plus `WWW-Authenticate` (401), `ETag` (412) and
    /// `Retry-After` in seconds (503).
    public var httpHeaderFields: HTTPFields {
        var fields: HTTPFields = [.contentType: "application/problem+json"]
        if kind == .unauthenticated { fields[.wwwAuthenticate] = "Bearer realm=\"dubbelslot\"" }
        if let currentVersion { fields[.eTag] = "\"\(currentVersion)\"" }
        // RFC 9110 §10.2.3: how long to wait before asking again, in seconds.
        if kind == .unavailable { fields[.retryAfter] = String(Self.retryAfterSeconds) }
        return fields
    }

    /// The problem as JSON (RFC 9457 §3).
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
