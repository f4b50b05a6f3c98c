import ArgumentParser
import DubbelslotCore
import DubbelslotStore
import Foundation

/// `dubbelslot import municipalities|schools|quality-mark-decisions|signals FILE.csv`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import reference data. The whole file is validated first; a bad row writes nothing.",
        subcommands: [Municipalities.self, Schools.self, QualityMarkDecisions.self, Signals.self])

    struct Municipalities: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import municipalities in the CBS layout of data/reference/gemeenten_2025.csv.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "The CSV file (UTF-8, comma-separated, with header).") var file: String

        func run() async throws {
            try await ImportCommand.run(options: options, file: file, what: "municipalities") { importer, url, _ in
                try await importer.importMunicipalities(from: url, actor: ImportCommand.actor)
            }
        }
    }

    struct Schools: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import schools: columns kvkNumber, name, municipalityCode, routes (b1Route|zRoute|educationRoute), tradeNames.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "The CSV file (UTF-8, comma-separated, with header).") var file: String

        func run() async throws {
            try await ImportCommand.run(options: options, file: file, what: "schools") { importer, url, progress in
                try await importer.importSchools(from: url, actor: ImportCommand.actor, progress: progress)
            }
        }
    }

    struct QualityMarkDecisions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "quality-mark-decisions",
            abstract: "Import the quality-mark body's decisions, matched by KvK number and vestigingsnummer.",
            discussion: """
                Columns: kvkNumber, status, validFrom, decidedOn, and optionally validUntil (exclusive), vestigingsnummer \
                (a decision about that location only), reference, reason. Each school's rows are recorded in the order of \
                validFrom, each through the lifecycle table, superseding the decision in force as the API does. A row \
                equal to a recorded decision is left unchanged, so importing the same file again changes nothing.
                """)
        @OptionGroup var options: CommonOptions
        @Argument(help: "The CSV file (UTF-8, comma-separated, with header).") var file: String

        func run() async throws {
            try await ImportCommand.run(options: options, file: file, what: "quality-mark decisions") { importer, url, _ in
                try await importer.importQualityMarkDecisions(from: url, today: LocalDate(instant: Date()), actor: ImportCommand.actor)
            }
        }
    }

    struct Signals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import signals from a municipality's case system (idempotent on caseReference).",
            discussion: """
                Columns: caseReference, reportedSchoolName, reportedKvkNumber, reportedVestigingsnummer, reportedPlace, \
                category, severity, observedFrom, observedUntil (exclusive), summary, source. Free text holding personal \
                data (BSN, IBAN, e-mail, phone number) is refused.
                """)
        @OptionGroup var options: CommonOptions
        @Option(help: "CBS code (GMnnnn) of the reporting municipality.") var municipality: String
        @Argument(help: "The CSV file (UTF-8, comma-separated, with header).") var file: String

        func validate() throws {
            if MunicipalityCode(municipality) == nil { throw ValidationError("--municipality \(MunicipalityCode.rule)") }
        }

        func run() async throws {
            let code = MunicipalityCode(municipality)!
            try await ImportCommand.run(options: options, file: file, what: "signals") { importer, url, progress in
                try await SignalImporter(store: importer.store).importSignals(from: url, municipality: code, today: LocalDate(instant: Date()),
                                                                              actor: ImportCommand.actor, progress: progress)
            }
        }
    }

    static var actor: String { "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "operator")" }

    /// Runs one import: `body` gets the importer, the file and where to report progress (a line on a
    /// terminal for large files, see ``ProgressLine``), and returns the counts printed at the end.
    static func run(options: CommonOptions, file: String, what: String,
                    _ body: @escaping @Sendable (ReferenceImporter, URL, ImportProgressHandler?) async throws -> ImportSummary) async throws {
        let settings = try await options.settings()
        let logger = makeLogger(settings)
        let line = ProgressLine.forStandardError()
        var progress: ImportProgressHandler?
        if let line { progress = { line.update($0) } }
        do {
            let url = URL(fileURLWithPath: file)
            let summary = try await withStore(settings, logger: logger) { [progress] store in
                try await body(ReferenceImporter(store: store), url, progress)
            }
            line?.finish()
            print("Imported \(what) from \(file): \(summary.inserted) inserted, \(summary.updated) updated, \(summary.unchanged) unchanged.")
        } catch {
            line?.finish()
            throw fail(error, logger: logger)
        }
    }
}
