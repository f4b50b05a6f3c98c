public import DubbelslotCore
import DubbelslotOpenAPI
public import DubbelslotStore
import Foundation
public import Hummingbird
public import Logging
import OpenAPIHummingbird
import OpenAPIRuntime
import PostgresNIO
public import Prometheus

/// Builds the service: the PostgreSQL client, the store, the router with its middleware and the
/// generated handlers. `dubbelslot serve` and the tests both call it, so tests run the real thing.
///
/// - Parameters:
///   - settings: see ``Settings``.
///   - logger: the application's logger.
///   - metrics: the Prometheus registry to serve at `/metrics` (the caller bootstraps swift-metrics with
///     it once per process); `nil` serves no `/metrics`.
///   - onServerRunning: called once the server listens (the local mode prints its `curl` examples then).
/// - Returns: an application that migrates (when `database.migrate`) before it starts serving.
/// - Throws: ``SettingsError`` for an unusable database setting or risk model.
public func buildApplication(settings: Settings, logger: Logger, metrics: PrometheusCollectorRegistry? = nil,
                             onServerRunning: @escaping @Sendable () async -> Void = {}) async throws -> some ApplicationProtocol {
    let client = PostgresClient(configuration: try settings.database.clientConfiguration(serving: true), backgroundLogger: logger)
    let holder = ClientHolder(client)
    let replicaSettings = settings.database.replica
    let replica = try replicaSettings.map { ReadReplica(client: PostgresClient(configuration: try $0.clientConfiguration(serving: true),
                                                                                  backgroundLogger: logger)) }
    let store = Store(holder: holder, replica: replica, logger: logger)
    let model = try RiskModelFile.load(path: settings.riskModelPath)
    let router = try buildRouter(store: store, model: model, logger: logger, metrics: metrics, responseTimeNorms: settings.responseTimeNorms,
                                 web: settings.web, requestTimeout: settings.requestTimeout,
                                 webhookAddressPolicy: settings.webhookAddressPolicy)
    var app = Application(responder: HeadResponder(base: router.buildResponder()), configuration: settings.http,
                          onServerRunning: { _ in await onServerRunning() }, logger: logger)
    // Runs the client, and a fresh one when the database is back after an outage (DatabaseService).
    app.addServices(DatabaseService(holder: holder, database: settings.database, logger: logger))
    if let replica, let replicaSettings {
        // The standby's pool, renewed after an outage like the primary's, and its replay position.
        app.addServices(DatabaseService(holder: replica.holder, database: replicaSettings, logger: logger),
                        ReplicaService(replica: replica, database: replicaSettings, logger: logger))
    }
    // Sequences the audit log's pending entries and signs its checkpoints (one instance per database leads).
    let signingKey = try settings.auditSigningKeyFile.map { try AuditSigningKey.load(path: $0) }
    if signingKey == nil { logger.warning("audit.signingKeyFile is not set: audit checkpoints are not signed") }
    let database = settings.database
    app.addServices(AuditSequencer(connect: {
        try await PostgresConnection.connect(configuration: try database.controlConnectionConfiguration(purpose: "sequencer"), id: 2, logger: logger)
    }, signingKey: signingKey, logger: logger))
    // Returns freed memory to the operating system, so a burst does not keep the server at its peak.
    app.addServices(MemoryTrimService())
    // Posts queued webhook events; any number of instances may run it (rows are claimed with SKIP LOCKED).
    app.addServices(WebhookDelivery(store: store, addressPolicy: settings.webhookAddressPolicy, timeout: settings.webhookTimeout, logger: logger))
    if settings.database.migrate {
        app.beforeServerStarts {
            guard let directory = Migrator.defaultDirectory() else {
                throw SettingsError("cannot find the sql/ migrations folder (set DUBBELSLOT_SQL_DIR)")
            }
            let applied = try await Migrator(client: client, directory: directory, logger: logger).migrate()
            // School-name keys are normalised in Swift (SchoolNameNormalizer), so migrations cannot fill them.
            if !applied.isEmpty { try await store.schools.rebuildNameKeys() }
            if !applied.isEmpty { logger.info("applied migrations", metadata: ["migrations": "\(applied.joined(separator: ", "))"]) }
        }
    }
    // A new database gets the configured model as its first published version; later versions are
    // published explicitly (`dubbelslot model publish`), so a changed file never silently changes verdicts.
    app.beforeServerStarts {
        guard let current = try await store.riskModels.current(at: Date.distantFuture) else {
            try await store.riskModels.publish(model, actor: "cli:bootstrap")
            logger.info("published the configured risk model as the first version", metadata: ["version": "\(model.version)"])
            return
        }
        if current.model != model {
            logger.warning("config/risk-model.yaml differs from the published version in force; run `dubbelslot model publish` to make it count",
                           metadata: ["published": "\(current.version)", "configured": "\(model.version)"])
        }
    }
    return app
}

/// The router alone: middleware, `/metrics` and the generated handlers over `store`.
///
/// The web pages under `/app` (docs/decisions/0018-web-pages-and-sessions.md) call the same handlers in-process, as
/// the signed-in token.
public func buildRouter(store: Store, model: RiskModel, logger: Logger, metrics: PrometheusCollectorRegistry? = nil,
                        responseTimeNorms: ResponseTimeNorms = ResponseTimeNorms(), web: WebSettings = WebSettings(),
                        requestTimeout: Duration = .seconds(60),
                        webhookAddressPolicy: WebhookAddressPolicy = WebhookAddressPolicy()) throws -> Router<BasicRequestContext> {
    let api = try APIImplementation(store: store, model: model, logger: logger, responseTimeNorms: responseTimeNorms,
                                    webhookAddressPolicy: webhookAddressPolicy)
    let router = Router()
    router.add(middleware: RouterProblemMiddleware(apiVersion: api.contractVersion, routes: try OpenAPIDocumentLoader.routes()))
    router.add(middleware: BodyLimitMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: TrimAfterLargeResponseMiddleware())
    if let metrics {
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
        }
    }
    // Instants with milliseconds, so an overview's `asOf` can be sent back as given
    // (docs/decisions/0014-as-of-semantics.md).
    try WebController(api: api, store: store, settings: web, logger: logger).register(on: router)
    // Compact JSON (a third smaller than the generator's pretty-printed default); keys stay sorted, so
    // an answer's bytes do not depend on a dictionary's order in this process.
    let coding = Configuration(dateTranscoder: APIImplementation.dateTranscoder, jsonEncodingOptions: [.sortedKeys])
    try api.registerHandlers(on: router, configuration: coding, middlewares: [OpenAPIProblemMiddleware(logger: logger, requestTimeout: requestTimeout, queryParameters: try OpenAPIDocumentLoader.queryParameters(),
                                                                                          requiredQueryParameters: try OpenAPIDocumentLoader.requiredQueryParameters(),
                                                                                          queryValueRules: try OpenAPIDocumentLoader.queryValueRules()), AuthMiddleware(store: store),
                                                                                          ReadRoutingMiddleware(store: store), KeptOverviewMiddleware(api: api)])
    return router
}

extension APIImplementation: APIProtocol {}
