public import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// A procurement check to store: what a buyer was shown (docs/decisions/0016-procurement-checks-and-right-of-reply.md).
public struct NewProcurementCheck: Sendable, Hashable {
    /// The buyer's municipality (CBS code `GMnnnn`).
    public var municipalityCode: MunicipalityCode
    /// The school checked.
    public var schoolId: UUID
    /// The route to be bought; `nil` for the B1 and Z routes alike.
    public var route: Route?
    /// First day of the contract period.
    public var contractFrom: LocalDate
    /// Last day, inclusive; `nil` for open-ended.
    public var contractTo: LocalDate?
    /// The knowledge cut-off the assessment was made at.
    public var asOf: Date
    /// The business date the verdict is about.
    public var assessedOn: LocalDate
    /// The risk-model version the assessment used, such as `1.1.0`.
    public var modelVersion: String
    /// Lowercase hex SHA-256 of the canonical evidence.
    public var inputSHA256: String
    /// The verdict shown: clear, caution or blocked.
    public var verdict: Verdict
    /// The assessment as shown, canonical JSON, kept byte for byte.
    public var assessment: String
    /// The location contracted; `nil` for the school as a whole.
    public var locationId: UUID?
    /// The client's `Idempotency-Key`, when it sent one: a second request with the same key and the
    /// same request gets the first check.
    public var idempotency: Idempotency?

    /// An `Idempotency-Key` (1–200 characters) and the SHA-256 (lowercase hex) of the request it came with.
    public struct Idempotency: Sendable, Hashable {
        /// The `Idempotency-Key` header, 1–200 characters.
        public var key: String
        /// Lowercase hex SHA-256 of the request it came with.
        public var requestSHA256: String

        /// A key and its request's hash.
        public init(key: String, requestSHA256: String) {
            self.key = key
            self.requestSHA256 = requestSHA256
        }
    }

    /// A check as the API builds it from the overview it showed.
    public init(municipalityCode: MunicipalityCode, schoolId: UUID, route: Route?, contractFrom: LocalDate, contractTo: LocalDate?,
                asOf: Date, assessedOn: LocalDate, modelVersion: String, inputSHA256: String, verdict: Verdict, assessment: String,
                locationId: UUID? = nil, idempotency: Idempotency? = nil) {
        self.locationId = locationId
        self.idempotency = idempotency
        self.municipalityCode = municipalityCode
        self.schoolId = schoolId
        self.route = route
        self.contractFrom = contractFrom
        self.contractTo = contractTo
        self.asOf = asOf
        self.assessedOn = assessedOn
        self.modelVersion = modelVersion
        self.inputSHA256 = inputSHA256
        self.verdict = verdict
        self.assessment = assessment
    }
}

/// A stored procurement check and, once made, the buyer's decision.
public struct ProcurementCheck: Sendable, Hashable {
    /// The buyer's decision on a check: at most one per check.
    public struct Decision: Sendable, Hashable {
        /// Proceed, do not proceed, or defer.
        public let decision: ProcurementDecisionKind
        /// Why; required when the decision goes against the verdict (``ProcurementDecisionKind/needsReason(verdict:)``).
        public let reason: String?
        /// When the decision was recorded (database time).
        public let recordedAt: Date
        /// Who recorded it: `"role:tokenId"` or `"cli:user"`.
        public let recordedBy: String
    }

    /// The check's id.
    public let id: UUID
    /// What the buyer was shown.
    public let check: NewProcurementCheck
    /// When the check was recorded (database time).
    public let recordedAt: Date
    /// Who recorded it: `"role:tokenId"` or `"cli:user"`.
    public let recordedBy: String
    /// The buyer's decision; `nil` until made.
    public let decision: Decision?
}

/// Procurement checks and decisions; never edited or deleted (sql/0027 refuses it).
public struct ProcurementCheckRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A repository on `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Stores a check, with a `procurementCheck.record` entry in the audit chain, in one transaction.
    /// - Throws: ``StoreError/unknownReference(field:)`` for an unknown school or model version.
    /// - Returns: the check as stored; with an ``NewProcurementCheck/idempotency`` key used before with
    ///   the same request hash, the check recorded then (nothing new is written).
    /// - Throws: ``SignalWorkflowError/idempotencyKeyReused`` for a key used before with another request.
    public func record(_ new: NewProcurementCheck, actor: RecordedBy) async throws -> ProcurementCheck {
        try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    INSERT INTO procurement_checks (municipality_code, school_id, route, contract_from, contract_to, as_of, assessed_on,
                                                    model_version, input_sha256, verdict, assessment, recorded_by, location_id,
                                                    idempotency_key, request_sha256)
                    VALUES (\(new.municipalityCode.rawValue), \(new.schoolId), \(new.route?.rawValue),
                            DATE '1970-01-01' + \(new.contractFrom.daysSinceEpoch)::int,
                            DATE '1970-01-01' + \(new.contractTo?.daysSinceEpoch)::int, \(new.asOf),
                            DATE '1970-01-01' + \(new.assessedOn.daysSinceEpoch)::int, \(new.modelVersion), \(new.inputSHA256),
                            \(new.verdict.rawValue), \(new.assessment), \(actor), \(new.locationId),
                            \(new.idempotency?.key), \(new.idempotency?.requestSHA256))
                    ON CONFLICT (municipality_code, idempotency_key) DO NOTHING
                    RETURNING id
                    """, logger: logger)
                guard let id = try await rows.firstRow().map({ try $0.decode(UUID.self) }) else {
                    // The key was used before: the first check, when the request was the same.
                    guard let key = new.idempotency else { throw StoreError.notFound }
                    let first = try await connection.query(
                        """
                        SELECT id, request_sha256 FROM procurement_checks
                        WHERE municipality_code = \(new.municipalityCode.rawValue) AND idempotency_key = \(key.key)
                        """, logger: logger).firstRow()
                    guard let (firstId, firstHash) = try first?.decode((UUID, String).self) else { throw StoreError.notFound }
                    guard firstHash == key.requestSHA256 else { throw SignalWorkflowError.idempotencyKeyReused }
                    guard let check = try await Self.fetch(firstId, on: connection, logger: logger) else { throw StoreError.notFound }
                    return check
                }
                guard let check = try await Self.fetch(id, on: connection, logger: logger) else { throw StoreError.notFound }
                try await AuditLog.append(on: connection, actor: actor, action: "procurementCheck.record",
                                          subject: "procurementCheck:\(check.id.uuidString.lowercased())",
                                          details: ["school": new.schoolId.uuidString.lowercased(), "verdict": new.verdict.rawValue,
                                                    "modelVersion": new.modelVersion, "inputSha256": new.inputSHA256],
                                          logger: logger)
                return check
            }
        }
    }

    /// One check with its decision, or `nil`.
    public func get(_ id: UUID) async throws -> ProcurementCheck? {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.columns) FROM procurement_checks c LEFT JOIN procurement_decisions d ON d.check_id = c.id WHERE c.id = \(id)",
            logger: logger)
        return try await rows.firstRow().map(Self.check)
    }

    /// Records the buyer's decision on a check, once.
    /// - Throws: ``StoreError/notFound`` for an unknown check; ``StoreError/duplicate(field:)`` with
    ///   `decision` when a decision was recorded before.
    public func decide(_ id: UUID, _ decision: ProcurementDecisionKind, reason: String?, actor: RecordedBy) async throws -> ProcurementCheck {
        try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let exists = try await connection.query("SELECT 1 FROM procurement_checks WHERE id = \(id)", logger: logger).firstRow()
                guard exists != nil else { throw StoreError.notFound }
                _ = try await connection.query(
                    """
                    INSERT INTO procurement_decisions (check_id, decision, reason, recorded_by)
                    VALUES (\(id), \(decision.rawValue), \(reason), \(actor))
                    """, logger: logger).collect()
                try await AuditLog.append(on: connection, actor: actor, action: "procurementCheck.decide",
                                          subject: "procurementCheck:\(id.uuidString.lowercased())",
                                          details: ["decision": decision.rawValue, "withReason": reason == nil ? "false" : "true"], logger: logger)
                guard let check = try await Self.fetch(id, on: connection, logger: logger) else { throw StoreError.notFound }
                return check
            }
        }
    }

    static func fetch(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> ProcurementCheck? {
        let rows = try await connection.query(
            "SELECT \(unescaped: columns) FROM procurement_checks c LEFT JOIN procurement_decisions d ON d.check_id = c.id WHERE c.id = \(id)",
            logger: logger)
        return try await rows.firstRow().map(check)
    }

    /// Columns of `procurement_checks c LEFT JOIN procurement_decisions d`; dates as days since 1970-01-01.
    static let columns = """
        c.id, c.municipality_code, c.school_id, c.route, c.contract_from - DATE '1970-01-01', c.contract_to - DATE '1970-01-01',
        c.as_of, c.assessed_on - DATE '1970-01-01', c.model_version, c.input_sha256, c.verdict, c.assessment, c.recorded_at,
        c.recorded_by, d.decision, d.reason, d.recorded_at, d.recorded_by, c.location_id
        """

    static func check(_ row: PostgresRow) throws -> ProcurementCheck {
        let columns = row.makeRandomAccess()
        func value<T: PostgresDecodable>(_ i: Int, _ type: T.Type) throws -> T { try columns[i].decode(T.self, context: .default) }
        let new = NewProcurementCheck(
            municipalityCode: try parse(try value(1, String.self), MunicipalityCode.init, column: "procurement_checks.municipality_code"),
            schoolId: try value(2, UUID.self),
            route: try parseIfPresent(try value(3, String?.self), Route.init(rawValue:), column: "procurement_checks.route"),
            contractFrom: LocalDate(daysSinceEpoch: try value(4, Int.self)),
            contractTo: try value(5, Int?.self).map(LocalDate.init(daysSinceEpoch:)),
            asOf: try value(6, Date.self), assessedOn: LocalDate(daysSinceEpoch: try value(7, Int.self)),
            modelVersion: try value(8, String.self), inputSHA256: try value(9, String.self),
            verdict: try parse(try value(10, String.self), Verdict.init(rawValue:), column: "procurement_checks.verdict"),
            assessment: try value(11, String.self), locationId: try value(18, UUID?.self))
        var decision: ProcurementCheck.Decision?
        if let kind = try value(14, String?.self) {
            decision = .init(decision: try parse(kind, ProcurementDecisionKind.init(rawValue:), column: "procurement_decisions.decision"),
                             reason: try value(15, String?.self), recordedAt: try value(16, Date.self), recordedBy: try value(17, String.self))
        }
        return ProcurementCheck(id: try value(0, UUID.self), check: new, recordedAt: try value(12, Date.self),
                                recordedBy: try value(13, String.self), decision: decision)
    }
}
