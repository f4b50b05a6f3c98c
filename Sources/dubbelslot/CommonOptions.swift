import ArgumentParser
import Configuration
import DubbelslotAPI

/// Options every command shares: where the settings come from and which database to use.
struct CommonOptions: ParsableArguments {
    @Option(help: "The settings file (YAML).")
    var config: String = "config/dubbelslot.yaml"

    @Option(name: .customLong("database-url"), help: "postgres://user:password@host:5432/name (overrides DUBBELSLOT_DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    /// The flags as configuration values, ahead of environment and file.
    var flags: [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        if let databaseURL { values["database.url"] = .init(.string(databaseURL), isSecret: true) }
        if let logLevel { values["log.level"] = .init(.string(logLevel), isSecret: false) }
        return values
    }

    func settings(extra: [AbsoluteConfigKey: ConfigValue] = [:]) async throws -> Settings {
        Settings(reader: try await Settings.configReader(flags: flags.merging(extra) { _, new in new }, configFile: config))
    }
}
