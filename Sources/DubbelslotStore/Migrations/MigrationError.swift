/// Why the migrations in `sql/` could not be checked or applied. Each description says what to do.
public struct MigrationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of error, for switching on.
    public enum Kind: Hashable, Sendable {
        /// ``MigrationError/unreadableDirectory(path:reason:)``.
        case unreadableDirectory
        /// ``MigrationError/invalidFileName(file:)``.
        case invalidFileName
        /// ``MigrationError/duplicateVersion(files:)``.
        case duplicateVersion
        /// ``MigrationError/changedAfterApplied(file:recorded:current:)``.
        case changedAfterApplied
        /// ``MigrationError/renamedAfterApplied(file:recordedName:)``.
        case renamedAfterApplied
        /// ``MigrationError/missingFile(file:)``.
        case missingFile
        /// ``MigrationError/outOfOrder(file:latestApplied:)``.
        case outOfOrder
        /// ``MigrationError/failed(file:statement:detail:)``.
        case failed
    }

    private enum Value: Hashable, Sendable {
        case unreadableDirectory(path: String, reason: String)
        case invalidFileName(file: String)
        case duplicateVersion(files: [String])
        case changedAfterApplied(file: String, recorded: String, current: String)
        case renamedAfterApplied(file: String, recordedName: String)
        case missingFile(file: String)
        case outOfOrder(file: String, latestApplied: String)
        case failed(file: String, statement: Int, detail: String)
    }

    private let value: Value

    private init(_ value: Value) { self.value = value }

    /// The migrations directory cannot be listed.
    public static func unreadableDirectory(path: String, reason: String) -> MigrationError {
        .init(.unreadableDirectory(path: path, reason: reason))
    }

    /// A `.sql` file's name is not `NNNN_name.sql` (a number, an underscore, a name of `a-z`, `0-9`, `_`).
    public static func invalidFileName(file: String) -> MigrationError { .init(.invalidFileName(file: file)) }

    /// Two files share a version number.
    public static func duplicateVersion(files: [String]) -> MigrationError { .init(.duplicateVersion(files: files)) }

    /// An applied migration's file no longer has the SHA-256 recorded when it was applied.
    public static func changedAfterApplied(file: String, recorded: String, current: String) -> MigrationError {
        .init(.changedAfterApplied(file: file, recorded: recorded, current: current))
    }

    /// An applied migration's version now has a file of another name.
    public static func renamedAfterApplied(file: String, recordedName: String) -> MigrationError {
        .init(.renamedAfterApplied(file: file, recordedName: recordedName))
    }

    /// `schema_migrations` records a migration whose file is not in the directory.
    public static func missingFile(file: String) -> MigrationError { .init(.missingFile(file: file)) }

    /// A new file's version is lower than that of a migration already applied.
    public static func outOfOrder(file: String, latestApplied: String) -> MigrationError {
        .init(.outOfOrder(file: file, latestApplied: latestApplied))
    }

    /// A statement of a migration failed; the migration's transaction was rolled back.
    ///
    /// - Parameters:
    ///   - statement: 1-based number of the failing statement in the file.
    ///   - detail: SQLSTATE and the server's message.
    public static func failed(file: String, statement: Int, detail: String) -> MigrationError {
        .init(.failed(file: file, statement: statement, detail: detail))
    }

    /// The kind of error.
    public var kind: Kind {
        switch value {
        case .unreadableDirectory: .unreadableDirectory
        case .invalidFileName: .invalidFileName
        case .duplicateVersion: .duplicateVersion
        case .changedAfterApplied: .changedAfterApplied
        case .renamedAfterApplied: .renamedAfterApplied
        case .missingFile: .missingFile
        case .outOfOrder: .outOfOrder
        case .failed: .failed
        }
    }

    /// What is wrong with which file, and what to do, in English.
    public var description: String {
        switch value {
        case .unreadableDirectory(let path, let reason):
            "Cannot read the migrations directory \(path) (\(reason)). Pass the right directory or set DUBBELSLOT_SQL_DIR."
        case .invalidFileName(let file):
            "\(file) is not named NNNN_name.sql (digits, an underscore, then a-z, 0-9 and _). Rename it, or move it out of the migrations directory."
        case .duplicateVersion(let files):
            "\(files.joined(separator: " and ")) have the same version number. Give the newer one the next free number."
        case .changedAfterApplied(let file, let recorded, let current):
            "\(file) was changed after it was applied (checksum \(recorded.prefix(12))… recorded, \(current.prefix(12))… now); restore it and add a new migration instead."
        case .renamedAfterApplied(let file, let recordedName):
            "\(file) was applied under the name \(recordedName); restore the old name. Applied migrations are never renamed."
        case .missingFile(let file):
            "\(file) is recorded as applied but the file is missing; restore it. Applied migrations are never deleted."
        case .outOfOrder(let file, let latestApplied):
            "\(file) is new but numbered before \(latestApplied), which is already applied; renumber it after the last applied migration."
        case .failed(let file, let statement, let detail):
            "\(file) failed at statement \(statement): \(detail). Nothing of it was applied; fix the file and run the migrations again."
        }
    }
}
