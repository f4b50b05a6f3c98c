import Crypto
import DubbelslotCore
import Foundation

/// One migration: a file `NNNN_name.sql` of the migrations directory.
struct MigrationFile: Sendable, Hashable {
    /// The number before the underscore.
    let version: Int
    /// The file name, for example `0003_municipalities.sql`; recorded in `schema_migrations.name`.
    let name: String
    /// For messages: the directory's last component and the name, for example `sql/0003_municipalities.sql`.
    let displayPath: String
    /// The file's contents.
    let sql: String
    /// Lowercase hex SHA-256 of the file's bytes.
    let checksum: String
    /// Lowercase hex SHA-256 of the file without its comments (``SQLScript/withoutComments(_:)``):
    /// equal for two versions of a file that differ only in comments.
    var codeChecksum: String { SHA256.hash(data: Data(SQLScript.withoutComments(sql).utf8)).lowercaseHex }

    /// Files of the migrations folder that are not migrations: `schema.sql` is the schema as `pg_dump`
    /// prints it after every migration, for reading (`sql/dump-schema.sh`), and is never applied.
    static let notMigrations: Set<String> = ["schema.sql"]

    /// Every migration file of `directory`, ordered by version. Files not ending in `.sql` are ignored,
    /// and so are the files of ``notMigrations``.
    ///
    /// - Throws: ``MigrationError`` for an unreadable directory, a badly named `.sql` file or a
    ///   version used twice.
    static func load(from directory: URL) throws -> [MigrationFile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw MigrationError.unreadableDirectory(path: directory.path, reason: "\(error.localizedDescription)")
        }
        let folder = directory.lastPathComponent
        var files: [MigrationFile] = []
        for name in names where name.hasSuffix(".sql") && !notMigrations.contains(name) {
            let displayPath = "\(folder)/\(name)"
            guard let version = version(of: name) else { throw MigrationError.invalidFileName(file: displayPath) }
            let data: Data
            do {
                data = try Data(contentsOf: directory.appendingPathComponent(name))
            } catch {
                throw MigrationError.unreadableDirectory(path: displayPath, reason: "\(error.localizedDescription)")
            }
            guard let sql = String(data: data, encoding: .utf8) else { throw MigrationError.invalidFileName(file: displayPath) }
            let checksum = SHA256.hash(data: data).lowercaseHex
            files.append(MigrationFile(version: version, name: name, displayPath: displayPath, sql: sql, checksum: checksum))
        }
        files.sort { ($0.version, $0.name) < ($1.version, $1.name) }
        for (a, b) in zip(files, files.dropFirst()) where a.version == b.version {
            throw MigrationError.duplicateVersion(files: [a.displayPath, b.displayPath])
        }
        return files
    }

    /// The version of a name `NNNN_name.sql`, or `nil` for any other shape.
    static func version(of fileName: String) -> Int? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<underscore]
        let rest = stem[stem.index(after: underscore)...]
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              !rest.isEmpty,
              rest.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLowercase || $0.isNumber)) })
        else { return nil }
        return Int(digits)
    }
}
