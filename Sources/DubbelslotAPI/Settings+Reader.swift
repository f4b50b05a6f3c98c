public import Configuration
import Foundation
import SystemPackage

extension Settings {
    /// Builds the reader in the order of precedence: `flags` (options given on the command line),
    /// `DUBBELSLOT_`-prefixed environment variables (`DUBBELSLOT_DATABASE_URL`), plain environment
    /// variables (`DATABASE_URL`, `HTTP_PORT`), the YAML file, then the defaults in code.
    ///
    /// - Parameters:
    ///   - flags: values parsed from the command line, by configuration key.
    ///   - configFile: the YAML file; a missing file is allowed.
    /// - Throws: when the YAML file exists but cannot be parsed.
    public static func configReader(flags: [AbsoluteConfigKey: ConfigValue] = [:], configFile: String = "config/dubbelslot.yaml") async throws -> ConfigReader {
        let env = EnvironmentVariablesProvider()
        let prefixed = KeyMappingProvider(upstream: EnvironmentVariablesProvider()) { $0.prepending(["dubbelslot"]) }
        let file = try await FileProvider<YAMLSnapshot>(filePath: FilePath(configFile), allowMissing: true)
        return ConfigReader(providers: [InMemoryProvider(name: "flags", values: flags), prefixed, env, file])
    }
}
