public import Logging
public import PostgresNIO
import Synchronization

/// Who wrote a fact: stored in `recorded_by` as `"role:tokenId"` (API) or `"cli:<user>"` (command line).
///
/// At most 200 characters (a `CHECK` on every `recorded_by` column). Named after the column rather than
/// `Actor`, which would hide Swift's own `Actor` protocol from every module that imports the store.
public typealias RecordedBy = String

/// The entry point of the store layer: one per process, holding the `PostgresClient` every repository uses.
///
/// The client must be running (`client.run()`, or `app.addServices(client)`) for any call to answer.
/// All SQL of Dubbelslot lives in this module (shared/DESIGN.md, "Architecture").
public struct Store: Sendable {
    /// The client every repository uses: the holder's current one, read anew at each repository access,
    /// so a client replaced after an outage (``ClientHolder/replace(with:)``) serves the next request.
    ///
    /// Inside a read marked by ``ReadRouting`` it is the standby's, when there is one and it may serve
    /// that caller (``ReadReplica/serves(_:)``).
    public var client: PostgresClient {
        if let replica, let caller = ReadRouting.caller, replica.serves(caller) { return replica.holder.current }
        return holder.current
    }
    /// Where the client is kept.
    public let holder: ClientHolder
    /// The standby that serves marked reads (`database.replicaUrl`); `nil`: every read goes to the primary.
    public let replica: ReadReplica?
    /// Used for queries and transactions.
    public let logger: Logger

    /// - Parameters:
    ///   - client: a client whose `run()` is or will be running.
    ///   - logger: used for queries and transactions; database error detail is logged at debug level only.
    public init(client: PostgresClient, logger: Logger) {
        self.init(holder: ClientHolder(client), logger: logger)
    }

    /// A store over `holder`'s client, whichever it is at the time of each call.
    public init(holder: ClientHolder, replica: ReadReplica? = nil, logger: Logger) {
        self.holder = holder
        self.replica = replica
        self.logger = logger
    }

    /// Municipalities (reference data).
    public var municipalities: MunicipalityRepository { .init(client: client, logger: logger) }
    /// Schools with their locations.
    public var schools: SchoolRepository { .init(client: client, logger: logger) }
    /// Quality-mark decisions.
    public var qualityMarks: QualityMarkRepository { .init(client: client, logger: logger) }
    /// Supervision visits with their findings.
    public var visits: VisitRepository { .init(client: client, logger: logger) }
    /// Fraud signals.
    public var signals: SignalRepository { .init(client: client, logger: logger) }
    /// Everything the risk model looks at, per school.
    public var evidence: EvidenceRepository { .init(client: client, logger: logger) }
    /// API bearer tokens.
    public var tokens: TokenRepository { .init(client: client, logger: logger) }
    /// The audit log, by subject (writing goes through ``AuditLog``).
    public var audit: AuditRepository { .init(client: client, logger: logger) }
    /// Versions of the risk model.
    public var riskModels: RiskModelRepository { .init(client: client, logger: logger) }
    /// Procurement checks and the buyers' decisions.
    public var procurementChecks: ProcurementCheckRepository { .init(client: client, logger: logger) }
    /// Figures for the inspectorate's report.
    public var reports: ReportRepository { .init(client: client, logger: logger) }
    /// Schools' replies to findings and signals.
    public var replies: ReplyRepository { .init(client: client, logger: logger) }
    /// Sessions of the web pages under `/app`.
    public var webSessions: WebSessionRepository { .init(client: client, logger: logger) }
    /// Webhook subscriptions and their deliveries.
    public var subscriptions: SubscriptionRepository { .init(client: client, logger: logger) }
    /// The webhook outbox, as the delivery service reads and updates it.
    public var webhookOutbox: WebhookOutbox { .init(client: client, logger: logger) }
    /// Removal of signal texts past their retention period.
    public var retention: SignalRetention { .init(client: client, logger: logger) }

    /// Runs `SELECT 1`.
    ///
    /// - Throws: the client's error when the database does not answer (for `/health/ready`).
    public func ping() async throws {
        let rows = try await client.query("SELECT 1", logger: logger)
        for try await _ in rows {}
    }
}

/// The `PostgresClient` a ``Store`` uses, replaceable: PostgresNIO's pool waits up to a minute between
/// connection attempts after a long outage, and a new client connects at once.
public final class ClientHolder: Sendable {
    private let state: Mutex<PostgresClient>

    /// Holds `client`; its `run()` is the caller's to start.
    public init(_ client: PostgresClient) {
        state = Mutex(client)
    }

    /// The client in use.
    public var current: PostgresClient { state.withLock { $0 } }

    /// Puts `client` (whose `run()` the caller starts) in place of the current one and returns that one.
    @discardableResult
    public func replace(with client: PostgresClient) -> PostgresClient {
        state.withLock { old in
            let previous = old
            old = client
            return previous
        }
    }
}
