public import DubbelslotCore

/// The one policy table: which roles may call which operation (shared/DESIGN.md, "Roles and what each may see").
///
/// Keyed by the `operationId` of `openapi.yaml`: role × operation → scope. An operation missing from
/// the table is refused for everyone (and fails the permission-matrix test), so a new endpoint cannot
/// slip through unguarded. ``AuthMiddleware`` resolves the grant's ``AccessScope`` to the
/// municipalities the caller may see (``Principal/visible``) and every store query of the operation
/// filters on that, rows and counts alike; no handler decides visibility on its own.
public enum AccessPolicy {
    /// Who may call an operation, and how far each role sees.
    public enum Rule: Sendable, Equatable {
        /// No token needed (health, the OpenAPI document).
        case everyone
        /// A valid token of one of these roles, each with its scope.
        case grants([Role: AccessScope])

        /// Every role in `roles`, each seeing everything the operation returns.
        static func roles(_ roles: Set<Role>) -> Rule { .grants(Dictionary(uniqueKeysWithValues: roles.map { ($0, .all) })) }
    }

    static let readers: Set<Role> = [.buyer, .signaller, .inspector, .analyst, .admin]
    static let supervisors: Set<Role> = [.buyer, .inspector, .analyst]
    /// Signal text: the reporting municipality's signaller, and the supervisors of all signals.
    static let signalText: Rule = .grants([.signaller: .ownMunicipality, .inspector: .all, .analyst: .all])

    /// The table. Mirrors the `x-roles` of each operation in `openapi.yaml` (a test compares them).
    public static let table: [String: Rule] = [
        "getLiveness": .everyone,
        "getReadiness": .everyone,
        "getOpenAPIDocument": .everyone,
        "listMunicipalities": .roles(readers),
        "getMunicipality": .roles(readers),
        "listSchools": .roles(readers),
        "getSchool": .roles(readers),
        "createSchool": .roles([.admin, .inspector]),
        "listQualityMarkDecisions": .roles(readers),
        "recordQualityMarkDecision": .roles([.inspector]),
        "rectifyQualityMarkDecision": .roles([.inspector]),
        // Visit findings and overviews are for buyers and supervisors, not for signallers or admins.
        "listVisits": .roles(supervisors),
        "getVisit": .roles(supervisors),
        "recordVisit": .roles([.inspector]),
        // Signals are allegations: only the reporting municipality and the supervisors read them in
        // full; every other municipality sees the per-school aggregate (counts, never text).
        "reportSignal": .grants([.signaller: .ownMunicipality]),
        "listSignals": signalText,
        "getSignal": signalText,
        "reportSignalBatch": .grants([.signaller: .ownMunicipality]),
        // Counts only; a municipality compares itself with the others of its labour-market region.
        "getSignalResponseTimes": .grants([.signaller: .ownRegion, .inspector: .all, .analyst: .all]),
        "getSchoolSignalAggregate": .roles([.buyer, .signaller, .inspector, .analyst]),
        "transitionSignal": .roles([.inspector]),
        "listSignalTransitions": signalText,
        "forwardSignal": .roles([.inspector]),
        "listSignalForwards": signalText,
        "listSignalCandidates": .roles([.inspector]),
        "linkSignalSchool": .roles([.inspector]),
        "rejectSignalCandidate": .roles([.inspector]),
        "relateSignal": .roles([.inspector]),
        "getSchoolOverview": .roles(supervisors),
        "getMunicipalityOverview": .roles(supervisors),
        // The model card is public knowledge for every token; a procurement check is the buying
        // municipality's record (the inspectorate's analysts may audit it); replies are entered by inspectors
        // (docs/decisions/0011-one-access-policy-and-signal-visibility.md).
        "getRiskModel": .roles(readers),
        "createProcurementCheck": .grants([.buyer: .ownMunicipality]),
        "getProcurementCheck": .grants([.buyer: .ownMunicipality, .analyst: .all]),
        "recordProcurementDecision": .grants([.buyer: .ownMunicipality]),
        "recordReply": .roles([.inspector]),
        // The inspectorate's report reads across all municipalities; quality-mark inspectors too
        // (docs/decisions/0017-risk-report-as-an-api-client.md).
        "getRiskRanking": .roles([.inspector, .analyst]),
        "getSignalStatistics": .roles([.inspector, .analyst]),
        "getSupervisionCoverage": .roles([.inspector, .analyst]),
        "listQualityMarkChanges": .roles([.inspector, .analyst]),
        // The audit chain names tokens and signal ids: analysts only
        // (docs/decisions/0012-audit-chain-of-writes-and-reads.md).
        "listAuditEntries": .roles([.analyst]),
        // A checkpoint holds sizes, hashes and a time: whoever keeps one can hold the log to it.
        "getLatestAuditCheckpoint": .roles(readers),
        // Every organisation manages its own webhook subscriptions (the handler filters by the token's
        // organisation); admins manage everyone's.
        "createSubscription": .roles(readers),
        "listSubscriptions": .roles(readers),
        "deleteSubscription": .roles(readers),
        "listSubscriptionDeliveries": .roles(readers),
        "retrySubscriptionDelivery": .roles(readers),
    ]

    /// Whether `role` (nil: no token) may call `operationID`.
    public static func allows(_ role: Role?, _ operationID: String) -> Bool {
        switch table[operationID] {
        case nil: false
        case .everyone?: true
        case .grants(let grants)?: role.map { grants[$0] != nil } ?? false
        }
    }

    /// How far `role` sees in `operationID`; `nil` when it may not call it at all. Public operations
    /// see everything.
    public static func scope(_ role: Role, _ operationID: String) -> AccessScope? {
        switch table[operationID] {
        case nil: nil
        case .everyone?: .all
        case .grants(let grants)?: grants[role]
        }
    }
}
