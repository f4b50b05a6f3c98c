import ArgumentParser
import DubbelslotAPI
import DubbelslotCore
import DubbelslotStore
import Foundation

/// `dubbelslot retention run`: removes the signal texts whose retention period has passed
/// (docs/decisions/0013-pii-guard-and-retention.md).
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Forget signal texts that are past their retention period.",
        subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the texts of due signals, one transaction per batch, each batch in the audit chain.",
            discussion: """
                Periods come from retention.* in config/dubbelslot.yaml (defaults: unfounded signals 6 months after \
                their conclusion, every signal 5 years after receipt). Removed: the summary, the case reference and \
                the notes of transitions, forwards, relations, school links and rejected candidates. Kept: category, \
                severity, status, dates, school and municipality, which the risk model and the aggregates count. \
                Prints one line per rule. Exits 1 with one line when another run is in progress.
                """)
        @OptionGroup var options: CommonOptions

        @Flag(name: .long, help: "Only count what is due; change nothing.")
        var dryRun = false

        func run() async throws {
            let settings = try await options.settings()
            let logger = makeLogger(settings)
            let policy = settings.retention
            if let error = policy.validate().first { throw fail(SettingsError("\(error.field) \(error.rule)"), logger: logger) }
            let dryRun = self.dryRun
            do {
                let counts = try await withStore(settings, logger: logger) { store in
                    dryRun ? try await store.retention.due(policy, now: Date())
                        : try await store.retention.run(policy, now: Date(), actor: "cli:retention")
                }
                for c in counts {
                    if dryRun {
                        print("\(c.rule): \(c.signals) signal(s) due")
                    } else {
                        print("\(c.rule): \(c.signals) signal(s), \(c.caseReferences) case reference(s), \(c.notes) note(s) removed in \(c.batches) transaction(s)")
                    }
                }
            } catch let error as SignalRetention.RetentionError {
                printError("error: \(error.description)")
                throw ExitCode.failure
            } catch {
                throw fail(error, logger: logger)
            }
        }
    }
}
