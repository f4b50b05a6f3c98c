import ArgumentParser
import DubbelslotAPI
import DubbelslotCore
import DubbelslotStore
import Foundation

/// `dubbelslot model publish|draft|card`: versions of the risk model
/// (docs/decisions/0015-risk-model-versions-and-model-card.md).
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Publish, draft and describe versions of the risk model.",
        subcommands: [Publish.self, Draft.self, Card.self, Compare.self])

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a risk-model file: from now on its version is the one in force.",
            discussion: """
                The file is validated first. A published version never changes: publishing the same version with other \
                weights is refused; publishing it again with the same weights changes nothing. The previous version is \
                retired, and stays available for re-deriving earlier assessments.
                """)
        @OptionGroup var options: CommonOptions
        @Argument(help: "The model file, e.g. config/risk-model.yaml.") var file: String

        func run() async throws {
            try await ModelCommand.store(file, options: options, draft: false)
        }
    }

    struct Draft: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store a risk-model file as a draft, to compare in shadow mode (overview ?shadowModel=VERSION).",
            discussion: "A draft is never in force. Storing a draft of the same version again replaces it.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "The model file.") var file: String

        func run() async throws {
            try await ModelCommand.store(file, options: options, draft: true)
        }
    }

    struct Card: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the model card (for the algorithm register): the version in force, or --version.")
        @OptionGroup var options: CommonOptions
        @Option(help: "A stored version; default: the one in force now.") var version: String?
        @Option(help: "markdown (the only format so far).") var format: String = "markdown"

        func validate() throws {
            guard format == "markdown" else { throw ValidationError("--format must be markdown") }
        }

        func run() async throws {
            let settings = try await options.settings()
            let logger = makeLogger(settings)
            let version = self.version
            let card: ModelCard?
            do {
                card = try await withStore(settings, logger: logger) { store -> ModelCard? in
                    let found: StoredRiskModel?
                    if let version { found = try await store.riskModels.get(version: version) } else { found = try await store.riskModels.current(at: Date()) }
                    guard let stored = found else { return nil }
                    let history = try await store.riskModels.all().map {
                        ModelCard.Version(version: $0.version, status: $0.status.rawValue, publishedAt: $0.publishedAt, retiredAt: $0.retiredAt,
                                          contentSHA256: $0.contentSHA256)
                    }
                    return ModelCard(model: stored.model, status: stored.status.rawValue, contentSHA256: stored.contentSHA256, history: history)
                }
            } catch {
                throw fail(error, logger: logger)
            }
            guard let card else {
                printError(version.map { "error: no risk model with version \($0)" } ?? "error: no risk model is published yet; run dubbelslot model publish FILE")
                throw ExitCode.failure
            }
            print(card.markdown(), terminator: "")
        }
    }

    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assess every school with two stored versions and count how verdicts change (shadow comparison).",
            discussion: """
                Store the candidate first with `dubbelslot model draft FILE`. Prints the number of schools whose \
                verdict changes, by direction, the band changes, and the commonest reasons. Reads only; exit 0.
                """)
        @OptionGroup var options: CommonOptions
        @Option(help: "The stored version to compare with; default: the one in force now.") var current: String?
        @Option(help: "The stored version to try (a draft, usually).") var candidate: String
        @Option(help: "The business date, YYYY-MM-DD; default today (Europe/Amsterdam).") var date: String?

        func validate() throws {
            if let date, LocalDate(iso8601: date) == nil { throw ValidationError("--date must be an existing date written YYYY-MM-DD") }
        }

        func run() async throws {
            let settings = try await options.settings()
            let logger = makeLogger(settings)
            let (current, candidate) = (self.current, self.candidate)
            let day = date.flatMap { LocalDate(iso8601: $0) } ?? LocalDate(instant: Date())
            let lines: [String]?
            do {
                lines = try await withStore(settings, logger: logger) { store -> [String]? in
                    let found: StoredRiskModel?
                    if let current { found = try await store.riskModels.get(version: current) } else { found = try await store.riskModels.current(at: Date()) }
                    guard let base = found, let shadow = try await store.riskModels.get(version: candidate) else { return nil }
                    let comparison = try await compareModels(store, base: base.model, shadow: shadow.model, date: day)
                    return comparison.summary(currentVersion: base.version, shadowVersion: shadow.version)
                }
            } catch {
                throw fail(error, logger: logger)
            }
            guard let lines else {
                let missing = [current, candidate].compactMap { $0 }.map { "version \($0)" }.joined(separator: " or ")
                printError("error: no stored risk model \(missing) (or none in force yet); store a candidate with dubbelslot model draft FILE")
                throw ExitCode.failure
            }
            lines.forEach { print($0) }
        }
    }

    /// Every school assessed on `date` with both models, a hundred schools' evidence at a time.
    static func compareModels(_ store: Store, base: RiskModel, shadow: RiskModel, date: LocalDate) async throws -> ShadowComparison {
        let schools = try await store.reports.schools(in: AreaFilter())
        var comparison = ShadowComparison()
        let (a, b) = (RiskAssessor(model: base), RiskAssessor(model: shadow))
        let request = AssessmentRequest(date: date)
        for start in stride(from: 0, to: schools.count, by: 100) {
            let ids = schools[start..<min(start + 100, schools.count)].map(\.id)
            let evidence = try await store.evidence.evidence(schoolIds: ids)
            for id in ids {
                let e = evidence[id] ?? RiskEvidence(schoolId: id, decisions: [], visits: [], signals: [])
                comparison.add(current: a.assess(e, request: request), shadow: b.assess(e, request: request))
            }
        }
        return comparison
    }

    static func store(_ file: String, options: CommonOptions, draft: Bool) async throws {
        let settings = try await options.settings()
        let logger = makeLogger(settings)
        do {
            let model = try RiskModelFile.load(path: file)
            let stored = try await withStore(settings, logger: logger) { store in
                draft ? try await store.riskModels.saveDraft(model, actor: "cli:model")
                    : try await store.riskModels.publish(model, actor: "cli:model")
            }
            let when = stored.publishedAt.map { ", in force since \(ISO8601DateFormatter().string(from: $0))" } ?? ""
            print("risk model \(stored.version): \(stored.status.rawValue)\(when), content SHA-256 \(stored.contentSHA256)")
        } catch let error as RiskModelError {
            printError("error: \(error.description)")
            throw ExitCode.failure
        } catch {
            throw fail(error, logger: logger)
        }
    }
}
