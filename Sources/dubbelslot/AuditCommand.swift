import ArgumentParser
import DubbelslotStore
import Foundation

/// `dubbelslot audit verify`: walks the audit chain and reports the first broken link (issue 4, item 5).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the hash-chained audit log.",
        subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every hash of the audit chain in seq order.",
            discussion: """
                Prints "audit chain intact: N entries" and exits 0, or prints "audit chain broken at seq N: <why>" \
                on standard error and exits 1.
                """)
        @OptionGroup var options: CommonOptions

        func run() async throws {
            let settings = try await options.settings()
            let logger = makeLogger(settings)
            let result: AuditLog.VerifyResult
            do {
                result = try await withStore(settings, logger: logger) { store in
                    try await AuditLog.verify(client: store.client, logger: logger)
                }
            } catch {
                throw fail(error, logger: logger)
            }
            switch result {
            case .intact(let entries):
                print("audit chain intact: \(entries) entries")
            case .broken(let seq, let reason):
                printError("audit chain broken at seq \(seq): \(reason)")
                throw ExitCode.failure
            }
        }
    }
}
