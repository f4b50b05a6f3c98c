import Crypto
import DubbelslotCore
public import Foundation
public import Logging
public import PostgresNIO

/// Applies the numbered SQL files of `sql/` in order, each once, and records them in `schema_migrations`.
///
/// Each migration runs in its own transaction holding `pg_advisory_xact_lock(`\(lockKey)`)`; inside the
/// lock the runner re-reads `schema_migrations`, so several instances (or tests) may migrate one
/// database at the same time and each migration is still applied exactly once. Applied files are
/// verified against their recorded SHA-256 on every run: history is never rewritten, a change is a new
/// file. The one exception is an edit of comments alone, listed in ``commentEdits``. Files must not contain transaction control (`BEGIN`, `COMMIT`) or statements that cannot
/// run in a transaction (`CREATE INDEX CONCURRENTLY`, `VACUUM`); see ``SQLScript`` for how a file is split.
///
/// ```swift
/// let applied = try await Migrator(client: client, directory: Migrator.defaultDirectory()!, logger: logger).migrate()
/// ```
public struct Migrator: Sendable {
    /// The advisory-lock key all Dubbelslot migrators share ("DBSLMIGR" in ASCII).
    public static let lockKey: Int64 = 0x4442_534C_4D49_4752

    let client: PostgresClient
    let directory: URL
    let logger: Logger
    let commentEdits: [CommentEdit]

    /// - Parameters:
    ///   - client: a running client connected to the database to migrate, as a role that may create tables.
    ///   - directory: the folder holding `NNNN_name.sql` files, for example ``defaultDirectory()``.
    ///   - commentEdits: applied files whose comments were edited afterwards; ``commentEdits`` unless a
    ///     test brings its own.
    public init(client: PostgresClient, directory: URL, logger: Logger, commentEdits: [CommentEdit] = Migrator.commentEdits) {
        self.client = client
        self.directory = directory
        self.logger = logger
        self.commentEdits = commentEdits
    }

    /// Applies every migration not applied yet, in version order.
    ///
    /// - Returns: the file names applied by this call, for example `["0014_audit_log.sql"]`; empty
    ///   when the database was up to date.
    /// - Throws: ``MigrationError`` when a file cannot be read or is badly named, an applied file
    ///   changed or disappeared, a new file is numbered before an applied one, or a statement fails
    ///   (that migration is rolled back; earlier ones in this call stay applied).
    public func migrate() async throws -> [String] {
        let files = try MigrationFile.load(from: directory)
        var applied: [String] = []
        while let name = try await applyNext(of: files) {
            logger.info("applied migration", metadata: ["migration": "\(name)"])
            applied.append(name)
        }
        return applied
    }

    /// The file names of the migrations not applied yet, in the order ``migrate()`` would apply them.
    ///
    /// Takes no lock and writes nothing; a database without `schema_migrations` has every file pending.
    /// - Throws: ``MigrationError`` as ``migrate()`` does for files and recorded history.
    public func pending() async throws -> [String] {
        let files = try MigrationFile.load(from: directory)
        return try await client.withConnection { connection in
            let exists = try await connection.query(
                "SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger).firstRow()?.decode(Bool.self)
            guard exists == true else { return files.map(\.name) }
            let recorded = try await Self.recorded(on: connection, logger: logger)
            return try Self.unapplied(files, recorded: recorded, commentEdits: commentEdits).map(\.name)
        }
    }

    /// A digest of the migration files: SHA-256 (lowercase hex) over each file's name and checksum,
    /// in version order. Equal fingerprints mean equal schemas; tests name their template database by it.
    ///
    /// - Throws: ``MigrationError`` when the directory cannot be read or a file is badly named.
    public static func fingerprint(directory: URL) throws -> String {
        let files = try MigrationFile.load(from: directory)
        let text = files.map { "\($0.name) \($0.checksum)\n" }.joined()
        return SHA256.hash(data: Data(text.utf8)).lowercaseHex
    }

    /// Applies the first unapplied migration in its own locked transaction; `nil` when none is left.
    private func applyNext(of files: [MigrationFile]) async throws -> String? {
        do {
            return try await client.withTransaction(logger: logger) { connection -> String? in
                // A migration may rebuild an index of a large table: no statement timeout of the pool applies.
                try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version    integer     PRIMARY KEY,
                        name       text        NOT NULL,
                        checksum   text        NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """, logger: logger)
                let recorded = try await Self.recorded(on: connection, logger: logger)
                guard let file = try Self.unapplied(files, recorded: recorded, commentEdits: commentEdits).first else { return nil }
                for (index, statement) in SQLScript.statements(in: file.sql).enumerated() {
                    do {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    } catch let error as PSQLError {
                        throw MigrationError.failed(file: file.displayPath, statement: index + 1, detail: Self.detail(error))
                    }
                }
                try await connection.query(
                    """
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(file.version), \(file.name), \(file.checksum))
                    """, logger: logger)
                return file.name
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }

    /// What `schema_migrations` holds: name and checksum by version.
    private static func recorded(on connection: PostgresConnection, logger: Logger) async throws -> [Int: (name: String, checksum: String)] {
        let rows = try await connection.query("SELECT version, name, checksum FROM schema_migrations", logger: logger)
        var result: [Int: (name: String, checksum: String)] = [:]
        for try await (version, name, checksum) in rows.decode((Int, String, String).self) {
            result[version] = (name, checksum)
        }
        return result
    }

    /// The files not recorded yet, after checking the recorded history against the files.
    private static func unapplied(_ files: [MigrationFile], recorded: [Int: (name: String, checksum: String)],
                                  commentEdits: [CommentEdit]) throws -> [MigrationFile] {
        let byVersion = Dictionary(uniqueKeysWithValues: files.map { ($0.version, $0) })
        let folder = files.first.map { String($0.displayPath.prefix { $0 != "/" }) + "/" } ?? ""
        for (version, entry) in recorded.sorted(by: { $0.key < $1.key }) {
            guard let file = byVersion[version] else { throw MigrationError.missingFile(file: folder + entry.name) }
            guard file.name == entry.name else {
                throw MigrationError.renamedAfterApplied(file: file.displayPath, recordedName: entry.name)
            }
            let commentsEdited = commentEdits.contains {
                $0.file == file.name && $0.earlierChecksum == entry.checksum && $0.codeChecksum == file.codeChecksum
            }
            guard file.checksum == entry.checksum || commentsEdited else {
                throw MigrationError.changedAfterApplied(file: file.displayPath, recorded: entry.checksum, current: file.checksum)
            }
        }
        let pending = files.filter { recorded[$0.version] == nil }
        if let latest = recorded.keys.max(), let early = pending.first(where: { $0.version < latest }) {
            throw MigrationError.outOfOrder(file: early.displayPath, latestApplied: recorded[latest]!.name)
        }
        return pending
    }

    /// SQLSTATE and message of a failed statement, for ``MigrationError/failed(file:statement:detail:)``.
    ///
    /// The statements are our own files, without bound values, so the server's message is safe to show.
    private static func detail(_ error: PSQLError) -> String {
        guard let info = error.serverInfo else { return "\(error.code)" }
        let state = info[.sqlState] ?? "?"
        let message = info[.message] ?? "no message"
        return "SQLSTATE \(state): \(message)"
    }
}
