public import Foundation
public import Logging

extension EmbeddedPostgres {
    /// Starts a streaming-replication standby of `primary` in a temporary folder: `pg_basebackup -R -X
    /// stream` from the primary's socket, then the server in hot-standby mode on a socket of its own.
    /// For tests of reads from a standby; ``stop()`` removes it.
    /// - Throws: ``EmbeddedPostgresError`` when `pg_basebackup` or the server fails.
    public static func startStandby(of primary: EmbeddedPostgres, logger: Logger) async throws -> EmbeddedPostgres {
        let binaries = try PostgresBinaries.locate()
        let runAs = try ProcessRunner.serverUser()
        let scratch = try ProcessRunner.makeScratchDirectory(owner: runAs)
        let data = scratch + "/data"
        let socketDirectory = scratch + "/socket"
        try FileManager.default.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
        try ProcessRunner.chown(socketDirectory, to: runAs)
        let standby = EmbeddedPostgres(socketDirectory: socketDirectory, dataDirectory: data, scratchDirectory: scratch,
                                       isTemporary: true, logFile: scratch + "/postgres.log", logger: logger)
        do {
            let log = scratch + "/basebackup.log"
            let status = try await ProcessRunner.run(
                binaries.directory.appendingPathComponent("pg_basebackup"),
                ["-h", primary.socketDirectory, "-U", primary.username, "-D", data, "-R", "-X", "stream", "-c", "fast", "--no-sync"],
                as: runAs, log: log)
            guard status == 0 else {
                throw EmbeddedPostgresError.commandFailed(command: "pg_basebackup", status: status, log: ProcessRunner.tail(of: log))
            }
            try await standby.launch(binaries: binaries, runAs: runAs)
        } catch {
            standby.stop()
            throw error
        }
        EmbeddedPostgresRegistry.register(standby)
        return standby
    }
}
