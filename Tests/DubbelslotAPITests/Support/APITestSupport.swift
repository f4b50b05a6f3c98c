import DubbelslotAPI
import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing

/// One running service over a database of its own, and the means to talk to it over HTTP.
///
/// Built by ``withAPI(_:)``: the real router from `buildRouter(store:model:logger:)` (the one
/// `dubbelslot serve` uses), driven through HummingbirdTesting's router client, over a fresh migrated
/// PostgreSQL database seeded with ``APIFixtures/municipalities`` and one token per role.
struct APIHarness: Sendable {
    let client: any TestClientProtocol
    let store: Store
    /// The database the service writes to, for counting rows behind its back.
    let database: PostgresClient
    /// One valid token per role; buyer and signaller act for ``APIFixtures/amsterdam``.
    let tokens: [Role: String]

    /// The token of `role` (see ``tokens``).
    func token(_ role: Role) -> String { tokens[role]! }

    /// Sends a request with `Authorization: Bearer <token>` when `token` is given, and a JSON body when `body` is.
    func send(_ method: HTTPRequest.Method, _ path: String, token: String?, body: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        let response = try await client.executeRequest(uri: path, method: method, headers: headers,
                                                       body: body.map { ByteBuffer(string: $0) })
        return Reply(method: method, path: path, status: response.status, headers: response.headers, body: response.body)
    }

    /// `GET path` with the token of `role` (`nil`: no Authorization header).
    func get(_ path: String, as role: Role?) async throws -> Reply {
        try await send(.get, path, token: role.map(token))
    }

    /// `POST path` with a JSON body and the token of `role` (`nil`: no Authorization header).
    func post(_ path: String, as role: Role?, json body: String) async throws -> Reply {
        try await send(.post, path, token: role.map(token), body: body)
    }

    /// The number of rows in `table` (a constant table name of `sql/`); audit entries are sequenced first.
    func count(_ table: String) async throws -> Int {
        try await AuditLog.sequenceAll(client: database, logger: TestLogging.logger)
        let rows = try await database.query("SELECT count(*)::int FROM \(unescaped: table)", logger: TestLogging.logger)
        for try await n in rows.decode(Int.self) { return n }
        return 0
    }

    /// The row count of every table a request could write to, to show that a refused request wrote nothing.
    func writableCounts() async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for table in ["schools", "school_locations", "quality_mark_decisions", "supervision_visits", "visit_findings", "fraud_signals",
                      "signal_transitions", "signal_forwards", "signal_relations", "signal_match_rejections", "signal_school_links",
                      "idempotency_keys"] {
            result[table] = try await count(table)
        }
        return result
    }
}

/// One HTTP response, with JSON and problem+json decoding.
struct Reply: Sendable {
    let method: HTTPRequest.Method
    let path: String
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: ByteBuffer

    var text: String { String(buffer: body) }

    /// The body decoded as `type` (a generated `Components.Schemas` type, so the response is checked against the contract too).
    func json<T: Decodable>(_ type: T.Type = T.self, sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
        do {
            return try APIHarness.decoder.decode(T.self, from: Data(body.readableBytesView))
        } catch {
            Issue.record("\(method) \(path) → \(status.code): cannot decode \(T.self): \(error)\n\(text)", sourceLocation: sourceLocation)
            throw error
        }
    }

    /// The body as a JSON object.
    func object(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any], "\(method) \(path): not a JSON object: \(text)",
                     sourceLocation: sourceLocation)
    }
}

/// An RFC 9457 problem document as the service sends it.
struct ProblemDocument: Decodable, Sendable {
    struct Field: Decodable, Sendable {
        let field: String
        let rule: String
    }

    let type: String
    let title: String
    let status: Int
    let detail: String?
    let errors: [Field]?
    /// Extension members of conflicts: the status followed and what may follow it.
    let currentStatus: String?
    let allowedStatuses: [String]?

    var fields: [String] { (errors ?? []).map(\.field) }
}

extension APIHarness {
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

/// Checks that `reply` is `application/problem+json` of kind `kind` (the last segment of its `type`)
/// with HTTP status `status`, repeated in the body, and, when `field` is given, an `errors` entry naming it.
///
/// - Returns: the problem, for further checks.
@discardableResult
func expectProblem(_ reply: Reply, _ status: Int, _ kind: String, field: String? = nil,
                   sourceLocation: SourceLocation = #_sourceLocation) throws -> ProblemDocument {
    let what = "\(reply.method) \(reply.path)"
    #expect(reply.status.code == status, "\(what): status \(reply.status.code), body \(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.headers[.contentType] == "application/problem+json", "\(what): Content-Type \(reply.headers[.contentType] ?? "none")",
            sourceLocation: sourceLocation)
    let problem = try reply.json(ProblemDocument.self, sourceLocation: sourceLocation)
    #expect(problem.type.hasPrefix("tag:dubbelslot,2026:problems/"), "\(what): type \(problem.type)", sourceLocation: sourceLocation)
    #expect(problem.type == "tag:dubbelslot,2026:problems/\(kind)", "\(what): type \(problem.type)", sourceLocation: sourceLocation)
    #expect(problem.status == status, "\(what): body status \(problem.status)", sourceLocation: sourceLocation)
    #expect(!problem.title.isEmpty, sourceLocation: sourceLocation)
    if let field {
        #expect(problem.fields.contains(field), "\(what): errors \(problem.fields), expected \(field); \(reply.text)",
                sourceLocation: sourceLocation)
    }
    return problem
}

/// Runs `body` against a service of its own: a fresh migrated database with ``APIFixtures/municipalities``
/// and one token per role, the real router, and HummingbirdTesting's router client.
///
/// - Parameter webhooks: where subscriptions may point; by default loopback is allowed
///   (`webhooks.allowInsecureLocalhost`), so the delivery tests can post to a receiver on 127.0.0.1.
@discardableResult
func withAPI<T: Sendable>(webhooks: WebhookAddressPolicy = WebhookAddressPolicy(allowLoopback: true),
                          _ body: @Sendable (APIHarness) async throws -> T) async throws -> T {
    try await withTestDatabase { store, database in
        try await APIFixtures.seedMunicipalities(store)
        let tokens = try await APIFixtures.tokens(store)
        // As `serve` does on a new database: the configured model is the first published version.
        try await store.riskModels.publish(try APITestSupport.riskModel(), actor: APIFixtures.actor)
        let app = Application(responder: HeadResponder(base: try buildRouter(store: store, model: try APITestSupport.riskModel(),
                                                                             logger: TestLogging.logger, webhookAddressPolicy: webhooks).buildResponder()))
        return try await app.test(.router) { client in
            try await body(APIHarness(client: client, store: store, database: database, tokens: tokens))
        }
    }
}

/// As ``withAPI(_:)``, but served on a real TCP port of 127.0.0.1, for clients that speak HTTP
/// themselves (the report's generated client over AsyncHTTPClient). `body` gets the base URL.
func withLiveAPI<T: Sendable>(_ body: @Sendable (APIHarness, URL) async throws -> T) async throws -> T {
    try await withTestDatabase { store, database in
        try await APIFixtures.seedMunicipalities(store)
        let tokens = try await APIFixtures.tokens(store)
        try await store.riskModels.publish(try APITestSupport.riskModel(), actor: APIFixtures.actor)
        let app = Application(responder: HeadResponder(base: try buildRouter(store: store, model: try APITestSupport.riskModel(),
                                                                             logger: TestLogging.logger).buildResponder()),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            let url = URL(string: "http://127.0.0.1:\(client.port!)")!
            return try await body(APIHarness(client: client, store: store, database: database, tokens: tokens), url)
        }
    }
}

enum APITestSupport {
    /// The package root: the nearest folder above this file holding `Package.swift`.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    /// The risk model every API test's database starts with: 1.0.0 (`config/risk-models/1.0.0.yaml`),
    /// so that the answers the tests pin down stay those of the version they were written for; tests
    /// of 1.1.0 publish ``shippedRiskModel()`` themselves, as an operator would.
    static func riskModel() throws -> RiskModel {
        try RiskModelFile.load(path: packageRoot.appendingPathComponent("config/risk-models/1.0.0.yaml").path)
    }

    /// The risk model the service ships with, `config/risk-model.yaml` (1.1.0).
    static func shippedRiskModel() throws -> RiskModel {
        try RiskModelFile.load(path: packageRoot.appendingPathComponent("config/risk-model.yaml").path)
    }

    /// `openapi.yaml` of the DubbelslotOpenAPI target, as text.
    static func contractText() throws -> String {
        try String(contentsOf: packageRoot.appendingPathComponent("Sources/DubbelslotOpenAPI/openapi.yaml"), encoding: .utf8)
    }
}
