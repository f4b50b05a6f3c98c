import ArgumentParser

/// The `dubbelslot` command: the service and the operator's tools around it.
@main
struct Dubbelslot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dubbelslot",
        abstract: "The double-lock registry for civic-integration courses.",
        discussion: """
            Without a configured database (DUBBELSLOT_DATABASE_URL), `serve` starts a private local PostgreSQL \
            with the real municipalities and fictional demo schools.
            """,
        subcommands: [ServeCommand.self, MigrateCommand.self, ImportCommand.self, TokenCommand.self, OrganisationCommand.self, AuditCommand.self, ModelCommand.self, RiskCommand.self, RetentionCommand.self, DemoDataCommand.self],
        defaultSubcommand: ServeCommand.self)
}
