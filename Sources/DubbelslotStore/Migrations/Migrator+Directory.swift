public import Foundation

extension Migrator {
    /// The environment variable that names the migrations directory.
    public static let directoryEnvironmentKey = "DUBBELSLOT_SQL_DIR"

    /// Finds the `sql` directory: `$DUBBELSLOT_SQL_DIR` when set, else `./sql` when it exists, else
    /// the `sql` folder of the package this file was compiled from (so that tests find it from any
    /// working directory).
    ///
    /// - Returns: `nil` when none of these exists; a set `DUBBELSLOT_SQL_DIR` is returned as given.
    public static func defaultDirectory() -> URL? {
        if let path = ProcessInfo.processInfo.environment[directoryEnvironmentKey], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        let fileManager = FileManager.default
        func isDirectory(_ url: URL) -> Bool {
            var flag: ObjCBool = false
            return fileManager.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
        }
        let local = URL(fileURLWithPath: fileManager.currentDirectoryPath, isDirectory: true).appendingPathComponent("sql")
        if isDirectory(local) { return local }
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" && !folder.path.isEmpty {
            let candidate = folder.appendingPathComponent("sql")
            if fileManager.fileExists(atPath: folder.appendingPathComponent("Package.swift").path), isDirectory(candidate) {
                return candidate
            }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}
