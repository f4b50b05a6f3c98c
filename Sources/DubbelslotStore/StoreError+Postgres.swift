import Logging
import PostgresNIO

extension StoreError {
    /// The API field name for each named constraint whose violation a caller can cause.
    ///
    /// Constraint names are fixed in `sql/*.sql`; a constraint missing here maps to its column list.
    static let fieldByConstraint: [String: String] = [
        "schools_kvk_number_key": "kvkNumber",
        "schools_municipality_code_fkey": "municipalityCode",
        "school_locations_vestigingsnummer_key": "vestigingsnummer",
        "school_locations_municipality_code_fkey": "municipalityCode",
        "school_locations_school_id_fkey": "schoolId",
        "quality_mark_decisions_school_id_fkey": "schoolId",
        "supervision_visits_school_id_fkey": "schoolId",
        "supervision_visits_location_id_fkey": "locationId",
        "visit_findings_visit_id_fkey": "visitId",
        "fraud_signals_reference_key": "reference",
        "fraud_signals_municipality_code_fkey": "municipalityCode",
        "signal_reference_counters_municipality_code_fkey": "municipalityCode",
        "fraud_signals_school_id_fkey": "schoolId",
        "signal_transitions_signal_id_fkey": "signalId",
        "fraud_signals_case_reference_key": "caseReference",
        "fraud_signals_duplicate_of_fkey": "relatedSignalId",
        "idempotency_keys_municipality_code_fkey": "municipalityCode",
        "webhook_subscriptions_filter_school_id_fkey": "filter.schoolId",
        "webhook_subscriptions_filter_municipality_code_fkey": "filter.municipalityCode",
        "signal_forwards_signal_id_fkey": "signalId",
        "signal_relations_signal_id_fkey": "signalId",
        "signal_relations_related_signal_id_fkey": "relatedSignalId",
        "signal_relations_signal_id_related_signal_id_key": "relatedSignalId",
        "signal_relations_pair_key": "relatedSignalId",
        "signal_match_rejections_signal_id_fkey": "signalId",
        "signal_match_rejections_school_id_fkey": "schoolId",
        "signal_school_links_signal_id_fkey": "signalId",
        "signal_school_links_school_id_fkey": "schoolId",
        "procurement_checks_school_id_fkey": "schoolId",
        "procurement_checks_location_id_fkey": "locationId",
        "quality_mark_decisions_location_id_fkey": "locationId",
        "procurement_checks_municipality_code_fkey": "municipalityCode",
        "procurement_checks_model_version_fkey": "modelVersion",
        "procurement_decisions_pkey": "decision",
        "school_replies_school_id_fkey": "subjectId",
        "school_name_keys_school_id_fkey": "schoolId",
        "contracts_municipality_code_fkey": "municipalityCode",
        "contracts_school_id_fkey": "schoolId",
        "api_tokens_municipality_code_fkey": "municipalityCode",
        "api_tokens_secret_sha256_key": "secret",
    ]

    /// Runs `body` and maps PostgreSQL integrity errors to ``StoreError``; other errors pass unchanged.
    ///
    /// Errors thrown inside `withTransaction` arrive wrapped in `PostgresTransactionError`; the closure's
    /// error is unwrapped first. The database's own message is logged at debug level only: it can
    /// hold bound values.
    static func translating<T>(logger: Logger, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw translate(error, logger: logger)
        }
    }

    /// The ``StoreError`` for a PostgreSQL integrity error, or `error` itself.
    static func translate(_ error: any Error, logger: Logger) -> any Error {
        var error = error
        if let transaction = error as? PostgresTransactionError {
            guard let inner = transaction.closureError ?? transaction.commitError ?? transaction.beginError else { return error }
            error = inner
        }
        if error is StoreError { return error }
        guard let psql = error as? PSQLError, let info = psql.serverInfo, let state = info[.sqlState] else { return error }
        let constraint = info[.constraintName] ?? ""
        let field = fieldByConstraint[constraint] ?? constraint
        let mapped: StoreError? =
            switch state {
            case "23505": .duplicate(field: field)
            case "23P01": .overlappingPeriod
            case "23503": .unknownReference(field: field)
            default: nil
            }
        guard let mapped else { return error }
        logger.debug("integrity error mapped", metadata: [
            "sqlState": "\(state)", "constraint": "\(constraint)", "error": "\(String(reflecting: psql))",
        ])
        return mapped
    }

    /// Whether `error` is a statement PostgreSQL stopped (57014: `statement_timeout` or a cancel at
    /// shutdown; 55P03: `lock_timeout`), rather than a lost connection: repeating it would wait as long again.
    public static func isStoppedStatement(_ error: any Error) -> Bool {
        var error = error
        if let transaction = error as? PostgresTransactionError {
            error = transaction.closureError ?? transaction.commitError ?? transaction.beginError ?? error
        }
        guard let state = (error as? PSQLError)?.serverInfo?[.sqlState] else { return false }
        return ["57014", "55P03"].contains(state)
    }

    /// Whether `error` says the database cannot be reached (rather than that the request was wrong):
    /// the connection failed or was closed, the server is shutting down or starting (SQLSTATE class
    /// `08`, `57P01`–`57P03`), too many connections (`53300`), or the pool gave up connecting. A
    /// stopped statement (`57014`, `55P03`) and a transaction rolled back for a deadlock or a
    /// serialisation conflict (`40P01`, `40001`) count too. The API answers these with 503 and
    /// `Retry-After`, never as the client's fault.
    public static func isDatabaseOutage(_ error: any Error) -> Bool {
        var error = error
        if let transaction = error as? PostgresTransactionError {
            error = transaction.closureError ?? transaction.commitError ?? transaction.beginError ?? error
        }
        if let psql = error as? PSQLError {
            switch psql.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
                return true
            default:
                guard let state = psql.serverInfo?[.sqlState] else { return false }
                // 57014: a statement ran past `statement_timeout` or was cancelled at shutdown; 55P03: lock_timeout;
                // 40P01 / 40001: PostgreSQL rolled the transaction back to break a deadlock or a serialisation
                // conflict: nothing was written and the same request may simply be sent again.
                return state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300", "57014", "55P03", "40P01", "40001"].contains(state)
            }
        }
        // The pool's own error type lives in a module Store does not import; its name is its contract.
        return String(describing: type(of: error)) == "ConnectionPoolError"
    }
}
