import ArgumentParser
import DubbelslotCore
import DubbelslotStore
import DubbelslotAPI
import Foundation

/// `dubbelslot demo-data`: writes the fictional demo dataset into a migrated database.
struct DemoDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-data",
        abstract: "Write fictional demo schools (KvK 00000001-00099999, names with 'Voorbeeld'), their marks, visits and signals.",
        discussion: "Deterministic for a given --seed and --anchor. Needs the municipalities imported first. Does nothing if demo schools exist.")

    @OptionGroup var options: CommonOptions
    @Option(help: "The generator's seed.") var seed: UInt64 = 2019
    @Option(help: "The last date of the generated history (YYYY-MM-DD); default today in Europe/Amsterdam.") var anchor: String?

    func validate() throws {
        if let anchor, LocalDate(iso8601: anchor) == nil { throw ValidationError("--anchor must be a date YYYY-MM-DD") }
    }

    func run() async throws {
        let settings = try await options.settings()
        let logger = makeLogger(settings)
        let anchor = anchor.flatMap { LocalDate(iso8601: $0) } ?? LocalDate(instant: Date())
        let seed = seed
        do {
            let outcome = try await withStore(settings, logger: logger) { store in
                let codes = try await store.municipalities.list().map(\.code)
                guard !codes.isEmpty else { throw SettingsError("no municipalities: run `dubbelslot import municipalities data/reference/gemeenten_2025.csv` first") }
                return try await DemoDataWriter(store: store).write(DemoDataset.generate(seed: seed, anchor: anchor, municipalities: codes))
            }
            switch outcome {
            case .written(let schools, let decisions, let visits, let signals):
                print("Wrote \(schools) fictional schools, \(decisions) quality-mark decisions, \(visits) visits and \(signals) signals (seed \(seed), anchor \(anchor)).")
            case .alreadyPresent(let schools):
                print("Demo data already present (\(schools) fictional schools); nothing written.")
            }
        } catch {
            throw fail(error, logger: logger)
        }
    }
}
