public import DubbelslotCore
import DubbelslotOpenAPI
public import DubbelslotStore
import Foundation
public import Logging
import OpenAPIRuntime

/// Implements the generated `APIProtocol`: maps HTTP to store and risk-model calls.
///
/// Holds no SQL and no scoring rules. Errors are thrown as ``Problem`` (or as store and
/// validation errors that ``OpenAPIProblemMiddleware`` turns into problems).
public struct APIImplementation: Sendable {
    let store: Store
    /// The model of `config/risk-model.yaml`; published at start-up when no version is (see
    /// ``publishConfiguredModelIfNone()``). Assessments use the version in force at their cut-off.
    let configuredModel: RiskModel
    let logger: Logger
    /// `openapi.yaml` converted to JSON once at start-up.
    let openAPIDocument: OpenAPIObjectContainer
    /// Norms for the signals' response times (working days).
    let responseTimeNorms: ResponseTimeNorms
    /// `info.version` of `openapi.yaml`, sent as `API-Version` on every response (NL GOV API-57).
    let contractVersion: String
    /// Rows of today's assessments, kept while each school's evidence generation holds.
    let kept = KeptAssessments()
    /// Overviews of now, kept while each school's evidence generation holds.
    let keptOverviews = KeptOverviews(dateTranscoder: APIImplementation.dateTranscoder)
    /// The format of instants in answers: ISO 8601 with milliseconds (RFC 3339).
    static let dateTranscoder: any DateTranscoder = .iso8601WithFractionalSeconds
    /// Which webhook URLs a subscription may name (`webhooks.allowInsecureLocalhost`).
    let webhookAddressPolicy: WebhookAddressPolicy

    /// - Parameter webhookAddressPolicy: which webhook URLs are accepted; defaults to public https only.
    /// - Throws: when the bundled `openapi.yaml` cannot be converted to JSON.
    public init(store: Store, model: RiskModel, logger: Logger, responseTimeNorms: ResponseTimeNorms = ResponseTimeNorms(),
                webhookAddressPolicy: WebhookAddressPolicy = WebhookAddressPolicy()) throws {
        self.store = store
        self.webhookAddressPolicy = webhookAddressPolicy
        self.responseTimeNorms = responseTimeNorms
        self.configuredModel = model
        self.logger = logger
        (self.openAPIDocument, self.contractVersion) = try OpenAPIDocumentLoader.load()
    }

    /// Parses a path id; an id that is no UUID cannot exist, so it is a 404 like an unknown one.
    func pathID(_ text: String, _ what: String) throws -> UUID {
        // The text is not echoed: it is input, and may be anything.
        guard let id = UUID(strict: text) else { throw Problem(.notFound, detail: "No \(what) with that id (ids are UUIDs).") }
        return id
    }

    func school(_ idText: String) throws -> UUID { try pathID(idText, "school") }

    func existingSchool(_ idText: String) async throws -> School {
        let id = try school(idText)
        guard let school = try await store.schools.get(id) else { throw Problem(.notFound, detail: "No school with id \(id.text).") }
        return school
    }
}
