public import DubbelslotCore
import Crypto
public import Foundation
public import Logging
public import PostgresNIO

/// One stored version of the risk model (`risk_models`, sql/0026).
public struct StoredRiskModel: Sendable, Hashable {
    /// Where a version stands (sql/0026); a published version never changes, only its retirement is recorded.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// Stored for evaluation in shadow mode; never current.
        case draft
        /// Current from ``StoredRiskModel/publishedAt`` until a later version is published.
        case published
        /// Replaced by a later version; never current again.
        case retired
    }

    /// The weights and thresholds.
    public let model: RiskModel
    /// Lowercase hex SHA-256 of ``RiskModelRepository/canonicalJSON(_:)`` of the model.
    public let contentSHA256: String
    /// Draft, published or retired.
    public let status: Status
    /// When it became current; `nil` for a draft.
    public let publishedAt: Date?
    /// When a later version replaced it; `nil` while current (or a draft).
    public let retiredAt: Date?
    /// When it was stored (database time); storing a draft again renews it.
    public let recordedAt: Date
    /// The model's version, such as `1.1.0`.
    public var version: String { model.version }
}

/// Why a model could not be stored.
public enum RiskModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The version is already published with other weights: a published version never changes.
    case versionTaken(String)
    /// A draft cannot take the version of a published model.
    case alreadyPublished(String)
    /// The version was in force once and has been replaced; it cannot be made current again.
    case retired(String)
    /// The file's weights differ from the stored draft of that version.
    case draftDiffers(String)

    /// What was refused and what to do instead, in English.
    public var description: String {
        switch self {
        case .versionTaken(let v): "version \(v) is already published with other weights; published versions never change, give the new weights a new version"
        case .alreadyPublished(let v): "version \(v) is already published; a draft needs a new version"
        case .retired(let v): "version \(v) was replaced by a later version and stays retired; publish these weights under a new version to make them current again"
        case .draftDiffers(let v): "version \(v) is stored as a draft with other weights; store the draft again (dubbelslot model draft) before publishing, or give it a new version"
        }
    }
}

/// Versions of the risk model (docs/decisions/0015-risk-model-versions-and-model-card.md): drafts, publication, and
/// the version in force at an instant.
public struct RiskModelRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A repository on `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The advisory-lock key publications take ("DBSLMODL" in ASCII), so two never interleave.
    static let lockKey: Int64 = 0x4442_534C_4D4F_444C

    /// The model as canonical JSON: sorted keys, no insignificant whitespace. Its SHA-256 is the
    /// content hash; the same weights always give the same bytes.
    public static func canonicalJSON(_ model: RiskModel) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(model), as: UTF8.self)
    }

    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).lowercaseHex
    }

    /// Publishes `model`: from now on it is the current version, and the previous one is retired.
    ///
    /// Idempotent: publishing the version in force with the same weights again changes nothing and
    /// returns it. A draft of the same version and weights is promoted.
    /// - Throws: ``RiskModelError/versionTaken(_:)`` when the version is published with other weights,
    ///   ``RiskModelError/draftDiffers(_:)`` when its draft has other weights,
    ///   ``RiskModelError/retired(_:)`` when the version was replaced (a rollback is a new version).
    @discardableResult
    public func publish(_ model: RiskModel, actor: RecordedBy) async throws -> StoredRiskModel {
        let json = try Self.canonicalJSON(model)
        let hash = Self.sha256Hex(json)
        return try await StoreError.translating(logger: logger) { try await client.withTransaction(logger: logger) { connection in
            _ = try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger).collect()
            if let existing = try await Self.fetch(version: model.version, on: connection, logger: logger) {
                switch (existing.status, existing.contentSHA256 == hash) {
                case (.draft, false): throw RiskModelError.draftDiffers(model.version)
                case (_, false): throw RiskModelError.versionTaken(model.version)
                case (.retired, true): throw RiskModelError.retired(model.version)
                case (.published, true): return existing
                case (.draft, true): break
                }
            }
            // Strictly after every earlier publication, so "the latest at or before t" is always one version.
            _ = try await connection.query(
                """
                UPDATE risk_models SET status = 'retired', retired_at = now() WHERE status = 'published'
                """, logger: logger).collect()
            _ = try await connection.query(
                """
                INSERT INTO risk_models (version, content_sha256, weights, status, published_at, recorded_by)
                VALUES (\(model.version), \(hash), \(json), 'published',
                        greatest(now(), (SELECT max(published_at) + interval '1 microsecond' FROM risk_models)), \(actor))
                ON CONFLICT (version) DO UPDATE SET status = 'published', published_at = EXCLUDED.published_at
                """, logger: logger).collect()
            try await AuditLog.append(on: connection, actor: actor, action: "riskModel.publish", subject: "riskModel:\(model.version)",
                                      details: ["contentSha256": hash], logger: logger)
            return try await Self.fetch(version: model.version, on: connection, logger: logger)!
        } }
    }

    /// Stores `model` as a draft (replacing an earlier draft of the same version), for shadow mode.
    /// - Throws: ``RiskModelError/alreadyPublished(_:)`` when the version is published.
    @discardableResult
    public func saveDraft(_ model: RiskModel, actor: RecordedBy) async throws -> StoredRiskModel {
        let json = try Self.canonicalJSON(model)
        let hash = Self.sha256Hex(json)
        return try await StoreError.translating(logger: logger) { try await client.withTransaction(logger: logger) { connection in
            _ = try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger).collect()
            if let existing = try await Self.fetch(version: model.version, on: connection, logger: logger), existing.status != .draft {
                throw RiskModelError.alreadyPublished(model.version)
            }
            _ = try await connection.query(
                """
                INSERT INTO risk_models (version, content_sha256, weights, status, recorded_by)
                VALUES (\(model.version), \(hash), \(json), 'draft', \(actor))
                ON CONFLICT (version) DO UPDATE SET content_sha256 = EXCLUDED.content_sha256, weights = EXCLUDED.weights,
                    recorded_at = now(), recorded_by = EXCLUDED.recorded_by
                """, logger: logger).collect()
            try await AuditLog.append(on: connection, actor: actor, action: "riskModel.draft", subject: "riskModel:\(model.version)",
                                      details: ["contentSha256": hash], logger: logger)
            return try await Self.fetch(version: model.version, on: connection, logger: logger)!
        } }
    }

    /// The version in force at `instant`: the published (or since retired) version with the latest
    /// `published_at` at or before it; `nil` before the first publication.
    public func current(at instant: Date) async throws -> StoredRiskModel? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM risk_models
            WHERE published_at <= \(instant) ORDER BY published_at DESC LIMIT 1
            """, logger: logger)
        return try await rows.firstRow().map(Self.stored)
    }

    /// One version, draft or not.
    public func get(version: String) async throws -> StoredRiskModel? {
        let rows = try await client.query("SELECT \(unescaped: Self.columns) FROM risk_models WHERE version = \(version)", logger: logger)
        return try await rows.firstRow().map(Self.stored)
    }

    /// Every version, published ones by publication (oldest first), then drafts by version.
    public func all() async throws -> [StoredRiskModel] {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.columns) FROM risk_models ORDER BY published_at NULLS LAST, version", logger: logger)
        var result: [StoredRiskModel] = []
        for try await row in rows { result.append(try Self.stored(row)) }
        return result
    }

    static let columns = "weights, content_sha256, status, published_at, retired_at, recorded_at"

    static func fetch(version: String, on connection: PostgresConnection, logger: Logger) async throws -> StoredRiskModel? {
        let rows = try await connection.query("SELECT \(unescaped: columns) FROM risk_models WHERE version = \(version)", logger: logger)
        return try await rows.firstRow().map(stored)
    }

    static func stored(_ row: PostgresRow) throws -> StoredRiskModel {
        let (weights, hash, status, publishedAt, retiredAt, recordedAt) = try row.decode((String, String, String, Date?, Date?, Date).self)
        let model: RiskModel
        do {
            model = try JSONDecoder().decode(RiskModel.self, from: Data(weights.utf8))
        } catch {
            throw StoreError.corruptRow("risk_models.weights")
        }
        return StoredRiskModel(model: model, contentSHA256: hash, status: try parse(status, StoredRiskModel.Status.init(rawValue:), column: "risk_models.status"),
                               publishedAt: publishedAt, retiredAt: retiredAt, recordedAt: recordedAt)
    }
}
