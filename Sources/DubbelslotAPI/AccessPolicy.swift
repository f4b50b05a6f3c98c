public import DubbelslotCore

/// The one policy table: which roles may call which operation (shared/DESIGN.md, "Roles and what each may see").
///
/// Keyed by the `operationId` of `openapi.yaml`. An operation missing from the table is refused for
/// everyone (and fails the permission-table test), so a new endpoint cannot slip through unguarded.
/// Scope rules that depend on the request (a signaller reports only for its own municipality) are
/// checked by the handler against ``Principal``, the same everywhere.
public enum AccessPolicy {
    /// Who may call an operation.
    public enum Rule: Sendable, Equatable {
        /// No token needed (health, the OpenAPI document).
        case everyone
        /// A valid token of one of these roles.
        case roles(Set<Role>)
    }

    static let readers: Set<Role> = [.buyer, .signaller, .inspector, .analyst, .admin]
    static let supervisors: Set<Role> = [.buyer, .inspector, .analyst]

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
        // Visit findings and overviews are for buyers and supervisors, not for signallers or admins.
        "listVisits": .roles(supervisors),
        "getVisit": .roles(supervisors),
        "recordVisit": .roles([.inspector]),
        // Signals are allegations: buyers see them only as aggregates in the overview (issue 4 adds those).
        "reportSignal": .roles([.signaller]),
        "listSignals": .roles([.signaller, .inspector, .analyst]),
        "getSignal": .roles([.signaller, .inspector, .analyst]),
        "reportSignalBatch": .roles([.signaller]),
        "getSignalResponseTimes": .roles([.inspector, .analyst]),
        "transitionSignal": .roles([.inspector]),
        "listSignalTransitions": .roles([.signaller, .inspector, .analyst]),
        "forwardSignal": .roles([.inspector]),
        "listSignalForwards": .roles([.signaller, .inspector, .analyst]),
        "listSignalCandidates": .roles([.inspector]),
        "linkSignalSchool": .roles([.inspector]),
        "rejectSignalCandidate": .roles([.inspector]),
        "relateSignal": .roles([.inspector]),
        "getSchoolOverview": .roles(supervisors),
        "getMunicipalityOverview": .roles(supervisors),
        // The audit chain names tokens and signal ids: analysts only (issue 4, item 5).
        "listAuditEntries": .roles([.analyst]),
    ]

    /// Whether `role` (nil: no token) may call `operationID`.
    public static func allows(_ role: Role?, _ operationID: String) -> Bool {
        switch table[operationID] {
        case nil: false
        case .everyone?: true
        case .roles(let roles)?: role.map(roles.contains) ?? false
        }
    }
}
