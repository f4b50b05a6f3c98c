public import DubbelslotCore
public import Foundation
public import Logging
import PostgresNIO

/// Prepares a database for a local run on real reference data: migrations (then the schools' name
/// keys, ``SchoolRepository/rebuildNameKeys()``), the real municipalities,
/// the fictional demo schools with their histories, and one demo token per role.
///
/// Every step is idempotent except the tokens: a second run migrates nothing, imports no changes,
/// leaves the demo data as it is and hands out fresh tokens.
public struct LocalSetup: Sendable {
    /// The store prepared.
    public let store: Store
    /// Where each step's progress is logged.
    public let logger: Logger

    /// A setup of `store`, logging to `logger`.
    public init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// What ``run(migrationsDirectory:municipalitiesFile:seed:today:tokenMunicipality:)`` did.
    public struct Result: Sendable {
        /// The file names of the migrations applied by this run; empty when the schema was current.
        public var appliedMigrations: [String]
        /// What the municipalities import did.
        public var municipalities: ImportSummary
        /// Whether the demo data was written or already present.
        public var demoData: DemoDataWriter.Outcome
        /// One fresh secret per role; buyers and signallers act for `tokenMunicipality`.
        public var tokens: [Role: String]
        /// A fictional school in `tokenMunicipality`, for the example `curl` command.
        public var exampleSchoolId: UUID?
    }

    /// Runs the steps.
    ///
    /// - Parameters:
    ///   - migrationsDirectory: the `sql/` folder.
    ///   - municipalitiesFile: `data/reference/gemeenten_2025.csv`.
    ///   - seed: the demo generator's seed (default in the CLI: 2019, the year of the double lock).
    ///   - today: the demo history's last date.
    ///   - tokenMunicipality: the municipality the buyer and signaller tokens act for.
    /// - Throws: migration, validation and database errors; each step is its own transaction.
    public func run(migrationsDirectory: URL, municipalitiesFile: URL, seed: UInt64, today: LocalDate,
                    tokenMunicipality: MunicipalityCode) async throws -> Result {
        let applied = try await Migrator(client: store.client, directory: migrationsDirectory, logger: logger).migrate()
        // Name keys are normalised in Swift, so no migration can fill them
        // (docs/decisions/0009-matching-signals-to-schools.md).
        try await store.schools.rebuildNameKeys()
        let summary = try await ReferenceImporter(store: store).importMunicipalities(from: municipalitiesFile, actor: "cli:local-setup")
        let codes = try await store.municipalities.list().map(\.code)
        let dataset = DemoDataset.generate(seed: seed, anchor: today, municipalities: codes)
        let outcome = try await DemoDataWriter(store: store).write(dataset)
        var tokens: [Role: String] = [:]
        for role in Role.allCases {
            let (_, secret) = try await store.tokens.create(role: role, municipality: role.needsMunicipality ? tokenMunicipality : nil,
                                                           organisation: nil, label: "local demo \(role.rawValue)",
                                                           expiresAt: Date().addingTimeInterval(30 * 86_400), actor: "cli:local-setup")
            tokens[role] = secret
        }
        let example = try await store.schools.search(SchoolQuery(municipality: tokenMunicipality, limit: 1)).schools.first?.id
        return Result(appliedMigrations: applied, municipalities: summary, demoData: outcome, tokens: tokens, exampleSchoolId: example)
    }
}
