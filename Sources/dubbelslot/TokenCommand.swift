import ArgumentParser
import DubbelslotCore
import DubbelslotStore
import Foundation

/// `dubbelslot token create|revoke|list`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage API bearer tokens (stored as SHA-256 hashes; a secret is printed once).",
        subcommands: [Create.self, Revoke.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print its secret once.")
        @OptionGroup var options: CommonOptions
        @Option(help: "buyer, signaller, inspector, analyst or admin.") var role: String
        @Option(help: "CBS code (GMnnnn) the token acts for; required for buyer and signaller.") var municipality: String?
        @Option(help: "A label to recognise the token by.") var label: String = "token"
        @Option(help: "The organisation holding it, for roles without a municipality (default: blik-op-werk, inspectorate or operator).")
        var organisation: String?
        @Option(help: "Days until the token stops working (1-730).") var expiresInDays: Int = 90

        func validate() throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let municipality, MunicipalityCode(municipality) == nil { throw ValidationError("--municipality \(MunicipalityCode.rule)") }
            if role.needsMunicipality && municipality == nil { throw ValidationError("--municipality is required for the role \(role.rawValue)") }
            if !role.needsMunicipality && municipality != nil { throw ValidationError("--municipality is only for buyer and signaller tokens") }
            if role.needsMunicipality && organisation != nil { throw ValidationError("--organisation is the municipality for buyer and signaller tokens") }
            if !(1...730).contains(expiresInDays) { throw ValidationError("--expires-in-days must be from 1 to 730") }
        }

        func run() async throws {
            let settings = try await options.settings()
            let logger = makeLogger(settings)
            let role = Role(rawValue: role)!, municipality = municipality.flatMap(MunicipalityCode.init), label = label
            let organisation = organisation
            let expiresAt = Date().addingTimeInterval(Double(expiresInDays) * 86_400)
            do {
                let (info, secret) = try await withStore(settings, logger: logger) { store in
                    try await store.tokens.create(role: role, municipality: municipality, organisation: organisation, label: label,
                                                  expiresAt: expiresAt, actor: ImportCommand.actor)
                }
                print(secret)
                printError("Created token \(info.id.uuidString.lowercased()) (\(role.rawValue), \(info.organisation), expires \(ISO8601DateFormatter().string(from: expiresAt))). The secret above is shown only now.")
            } catch {
                throw fail(error, logger: logger)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id; it is refused from its next request on.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "The token id (UUID), as `token list` shows it.") var id: String

        func validate() throws {
            if UUID(uuidString: id) == nil { throw ValidationError("the token id must be a UUID") }
        }

        func run() async throws {
            let settings = try await options.settings()
            let logger = makeLogger(settings)
            let id = UUID(uuidString: id)!
            do {
                let revoked = try await withStore(settings, logger: logger) { store in try await store.tokens.revoke(id, actor: ImportCommand.actor) }
                guard revoked else {
                    printError("error: no active token with id \(id.uuidString.lowercased())")
                    throw ExitCode.failure
                }
                print("Revoked token \(id.uuidString.lowercased()).")
            } catch let code as ExitCode {
                throw code
            } catch {
                throw fail(error, logger: logger)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens without their secrets.")
        @OptionGroup var options: CommonOptions

        func run() async throws {
            let settings = try await options.settings()
            let logger = makeLogger(settings)
            do {
                let tokens = try await withStore(settings, logger: logger) { store in try await store.tokens.list() }
                let formatter = ISO8601DateFormatter()
                print("id                                    role       organisation  state                           label")
                for t in tokens {
                    let state =
                        if let revoked = t.revokedAt { "revoked \(formatter.string(from: revoked))" }
                        else if t.organisationDisabled { "organisation disabled" }
                        else if let expires = t.expiresAt, expires <= Date() { "expired \(formatter.string(from: expires))" }
                        else if let expires = t.expiresAt { "active until \(formatter.string(from: expires))" }
                        else { "active" }
                    print("\(t.id.uuidString.lowercased())  \(t.role.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  \(t.organisation.padding(toLength: 12, withPad: " ", startingAt: 0))  \(state.padding(toLength: 30, withPad: " ", startingAt: 0))  \(t.label)")
                }
            } catch {
                throw fail(error, logger: logger)
            }
        }
    }
}
