import ArgumentParser
import Configuration
import DubbelslotAPI
import DubbelslotCore
import DubbelslotStore
import Foundation
import Hummingbird
import Logging
import Metrics
import PostgresNIO
import Prometheus

/// `dubbelslot serve`: runs the HTTP API until SIGINT or SIGTERM (graceful shutdown).
///
/// With a database configured it migrates (unless `database.migrate` is false) and serves. Without one
/// it runs locally: a private PostgreSQL in `local.dataDirectory`, the real municipalities, fictional
/// demo schools and a demo token per role, and prints ready-to-paste `curl` commands.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the HTTP API (default command).")

    @OptionGroup var options: CommonOptions
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default 8080).") var port: Int?
    @Option(help: "Seed of the demo data in local mode.") var seed: UInt64 = 2019

    func run() async throws {
        MemoryTrimService.limitMallocArenas()
        MemoryTrimService.fixMmapThreshold()
        var extra: [AbsoluteConfigKey: ConfigValue] = [:]
        if let host { extra["http.host"] = .init(.string(host), isSecret: false) }
        if let port { extra["http.port"] = .init(.int(port), isSecret: false) }
        var settings = try await options.settings(extra: extra)
        let logger = makeLogger(settings)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        var embedded: EmbeddedPostgres?
        var banner: String?
        do {
            if !settings.database.isConfigured {
                let (server, text) = try await startLocal(&settings, logger: logger)
                embedded = server
                banner = text
            }
            let message = banner
            let app = try await buildApplication(settings: settings, logger: logger, metrics: registry) {
                // Written unbuffered: the banner must show even when stdout is a pipe.
                if let message { FileHandle.standardOutput.write(Data((message + "\n").utf8)) }
            }
            // Stops within 10 s of SIGTERM whatever is in flight (ServiceRunner).
            try await ServiceRunner.run(app, database: settings.database, logger: logger)
        } catch {
            embedded?.stop()
            throw fail(error, logger: logger)
        }
        embedded?.stop()
    }

    /// Starts the private cluster, prepares it and points `settings` at it; returns the banner to print.
    private func startLocal(_ settings: inout Settings, logger: Logger) async throws -> (EmbeddedPostgres, String) {
        let dataDirectory = URL(fileURLWithPath: settings.localDataDirectory, isDirectory: true)
        printError("No database configured: starting a private PostgreSQL in \(dataDirectory.path) ...")
        let server = try await EmbeddedPostgres.start(dataDirectory: dataDirectory, logger: logger)
        do {
            try await server.createDatabase(settings.database.name)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P04" {
            // The database exists from an earlier run: keep it.
        }
        settings.database.socketPath = server.socketPath
        settings.database.url = nil
        if settings.auditSigningKeyFile == nil {
            // Beside the private cluster, made on the first run: the local log's checkpoints are signed too.
            let keyFile = dataDirectory.deletingLastPathComponent().appendingPathComponent("audit-signing-key").path
            try AuditSigningKey.loadOrGenerate(path: keyFile)
            settings.auditSigningKeyFile = keyFile
        }
        let municipalityFile = URL(fileURLWithPath: "data/reference/gemeenten_2025.csv")
        let directory = try migrationsDirectory()
        let seed = seed
        let result = try await withStore(settings, logger: logger) { store in
            try await LocalSetup(store: store, logger: logger).run(
                migrationsDirectory: directory, municipalitiesFile: municipalityFile, seed: seed, today: LocalDate(instant: Date()),
                tokenMunicipality: MunicipalityCode("GM0363")!)
        }
        let base = settings.baseURL
        let buyer = result.tokens[.buyer]!
        var lines = [
            "",
            "Dubbelslot runs locally on \(base) with the 342 real municipalities and FICTIONAL demo schools.",
            "Demo tokens, one per role (buyers and signallers act for GM0363 Amsterdam); paste to use them:",
        ]
        for role in Role.allCases { lines.append("  export \(role.rawValue.uppercased())=\(result.tokens[role]!)") }
        lines.append("")
        lines.append("Web pages (Dutch): sign in at \(base)/app/ by pasting one of the tokens above, e.g.")
        for role in [Role.buyer, .signaller, .inspector] {
            lines.append("  \(role.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(base)/app/   token \(result.tokens[role]!)")
        }
        lines.append("")
        if let school = result.exampleSchoolId {
            lines.append("The double-lock overview of one school:")
            lines.append("  curl -s -H \"Authorization: Bearer \(buyer)\" '\(base)/v1/schools/\(school.uuidString.lowercased())/overview'")
        }
        lines.append("Every school in or near Amsterdam with its verdict:")
        lines.append("  curl -s -H \"Authorization: Bearer \(buyer)\" '\(base)/v1/overview?municipality=GM0363'")
        lines.append("The contract: \(base)/v1/openapi.json    Stop with Ctrl-C.")
        lines.append("For the CLI (token, import, audit verify) on this database, in another shell:")
        lines.append("  export DUBBELSLOT_DATABASE_URL='postgresql:///\(settings.database.name)?host=\(server.socketDirectory)'")
        return (server, lines.joined(separator: "\n"))
    }
}
