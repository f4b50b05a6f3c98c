import ArgumentParser
import DubbelslotStore
import Foundation

/// `dubbelslot organisation disable|enable ID`: stop or restore every token an organisation holds.
struct OrganisationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "organisation",
        abstract: "Disable or enable an organisation (a CBS code or a body's slug); its tokens follow on the next request.",
        subcommands: [Disable.self, Enable.self])

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refuse every token of the organisation from the next request on.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "The organisation: GMnnnn, or a slug such as blik-op-werk.") var id: String
        func run() async throws { try await OrganisationCommand.set(id, disabled: true, options: options) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let the organisation's valid tokens work again.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "The organisation: GMnnnn, or a slug such as blik-op-werk.") var id: String
        func run() async throws { try await OrganisationCommand.set(id, disabled: false, options: options) }
    }

    static func set(_ id: String, disabled: Bool, options: CommonOptions) async throws {
        let settings = try await options.settings()
        let logger = makeLogger(settings)
        let changed: Bool
        do {
            changed = try await withStore(settings, logger: logger) { store in
                try await store.tokens.setOrganisationDisabled(id, disabled: disabled, actor: ImportCommand.actor)
            }
        } catch {
            throw fail(error, logger: logger)
        }
        guard changed else {
            printError("error: no organisation \(id) that is currently \(disabled ? "enabled" : "disabled")")
            throw ExitCode.failure
        }
        print("\(disabled ? "Disabled" : "Enabled") organisation \(id).")
    }
}
