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
            try await ImportCommand.run(options: options, file: file, what: "municipalities") { importer, url in
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
            try await ImportCommand.run(options: options, file: file, what: "schools") { importer, url in
                try await importer.importSchools(from: url, actor: ImportCommand.actor)
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
            try await ImportCommand.run(options: options, file: file, what: "quality-mark decisions") { importer, url in
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
            try await ImportCommand.run(options: options, file: file, what: "signals") { importer, url in
                try await SignalImporter(store: importer.store).importSignals(from: url, municipality: code, today: LocalDate(instant: Date()),
                                                                              actor: ImportCommand.actor)
            }
        }
    }

    static var actor: String { "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "operator")" }

    static func run(options: CommonOptions, file: String, what: String,
                    _ body: @escaping @Sendable (ReferenceImporter, URL) async throws -> ImportSummary) async throws {
        let settings = try await options.settings()
        let logger = makeLogger(settings)
        do {
            let url = URL(fileURLWithPath: file)
            let summary = try await withStore(settings, logger: logger) { store in try await body(ReferenceImporter(store: store), url) }
            print("Imported \(what) from \(file): \(summary.inserted) inserted, \(summary.updated) updated, \(summary.unchanged) unchanged.")
        } catch {
            throw fail(error, logger: logger)
        }
    }
}
