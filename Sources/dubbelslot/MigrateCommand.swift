import ArgumentParser
import DubbelslotStore

/// `dubbelslot migrate`: applies pending migrations from `sql/`.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending SQL migrations (each in a transaction, under an advisory lock).")

    @OptionGroup var options: CommonOptions

    @Flag(help: "Only list the pending migrations.")
    var dryRun = false

    func run() async throws {
        let settings = try await options.settings()
        let logger = makeLogger(settings)
        do {
            let directory = try migrationsDirectory()
            let dryRun = self.dryRun
            let names = try await withStore(settings, logger: logger) { store in
                let migrator = Migrator(client: store.client, directory: directory, logger: logger)
                if dryRun { return try await migrator.pending() }
                let applied = try await migrator.migrate()
                // School-name keys are normalised in Swift, so a migration cannot fill them: refresh them here.
                try await store.schools.rebuildNameKeys()
                return applied
            }
            if names.isEmpty { print("Nothing to migrate: the database is up to date.") }
            for name in names { print(dryRun ? "pending \(name)" : "applied \(name)") }
        } catch {
            throw fail(error, logger: logger)
        }
    }
}
