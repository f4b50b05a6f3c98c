import ArgumentParser
import DubbelslotCore
import DubbelslotReport
import Foundation

/// `dubbelslot-report`: the inspectorate's risk report, made from the service's API with the
/// caller's own token (docs/decisions/0017-risk-report-as-an-api-client.md).
///
/// A separate executable rather than a `dubbelslot` subcommand: the inspectorate installs it on its
/// own machines, and it needs only an HTTP client (AsyncHTTPClient and the generated OpenAPI client),
/// not PostgreSQL, the server or the store. Exit codes: 0 success, 1 usage error, 2 service
/// unreachable or refusing (with the problem's title), 3 partial data (a section was refused).
@main
struct DubbelslotReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dubbelslot-report",
        abstract: "The inspectorate's risk report, from a Dubbelslot service.",
        discussion: """
            Talks to the service over HTTP with DUBBELSLOT_URL and DUBBELSLOT_TOKEN (or --url, --token); the \
            token's role decides what the report may contain (analyst or inspector for all sections). \
            Sections: highestRisk, acrossMunicipalities, modusOperandi, supervisionCoverage, qualityMarkChanges, \
            responseTimes. Exit codes: 0 success, 1 usage error, 2 service unreachable or refusing, 3 partial data.
            """)

    @Option(help: "The service's base URL (default: $DUBBELSLOT_URL, else http://127.0.0.1:8080).") var url: String?
    @Option(help: "A bearer token (default: $DUBBELSLOT_TOKEN).") var token: String?
    @Option(help: "First business date of the period, YYYY-MM-DD (default: a year before --to).") var from: String?
    @Option(help: "First business date after the period, YYYY-MM-DD, exclusive (default: tomorrow, so today counts).") var to: String?
    @Option(help: "Only this labour-market region (AMnn).") var region: String?
    @Option(help: "Only this province (PVnn).") var province: String?
    @Option(help: "Only this municipality (GMnnnn).") var municipality: String?
    @Option(help: "How many schools the highest-risk section lists (1-1000).") var top: Int = 20
    @Option(help: "table, csv, json, markdown or html.") var format: String = "table"
    @Flag(help: "With --format csv: what Dutch Excel opens directly (semicolons, decimal commas, BOM).") var excel = false
    @Option(help: "Write to this file instead of standard output.") var output: String?
    @Option(name: .customLong("asOf"),
            help: "The knowledge cut-off of the highest-risk section, an ISO 8601 instant with offset (default: now); the other sections count what is recorded now.")
    var asOf: String?
    @Option(parsing: .upToNextOption, help: "Only these sections (default: all).") var section: [String] = []

    func validate() throws {
        for date in [from, to].compactMap({ $0 }) where ReportDates.day(date) == nil {
            throw ValidationError("dates must be YYYY-MM-DD, got \(date)")
        }
        guard (1...1000).contains(top) else { throw ValidationError("--top must be from 1 to 1000") }
        if let asOf, RFC3339.instant(asOf) == nil {
            throw ValidationError("--asOf must be an ISO 8601 instant with Z or an offset, e.g. 2026-03-01T12:00:00+01:00 or 2026-03-01T11:00Z")
        }
        if let province, province.range(of: #"^PV[0-9]{2}$"#, options: .regularExpression) == nil {
            throw ValidationError("--province must be PV followed by 2 digits (CBS province code, e.g. PV27)")
        }
        if let region, region.range(of: #"^AM[0-9]{2}$"#, options: .regularExpression) == nil {
            throw ValidationError("--region must be AM followed by 2 digits (labour-market region, e.g. AM18)")
        }
        if let municipality, municipality.range(of: #"^GM[0-9]{4}$"#, options: .regularExpression) == nil {
            throw ValidationError("--municipality must be GM followed by 4 digits (CBS municipality code, e.g. GM0363)")
        }
        guard ReportFormat(rawValue: format) != nil else { throw ValidationError("--format must be one of table, csv, json, markdown, html") }
        if excel && format != "csv" { throw ValidationError("--excel goes with --format csv") }
        for s in section where RiskReport.Section(rawValue: s) == nil {
            throw ValidationError("unknown section \(s); sections: \(RiskReport.Section.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let environment = ProcessInfo.processInfo.environment
        guard let token = token ?? environment["DUBBELSLOT_TOKEN"], !token.isEmpty else {
            throw ValidationError("no token: set DUBBELSLOT_TOKEN or pass --token")
        }
        guard URL(string: url ?? environment["DUBBELSLOT_URL"] ?? "http://127.0.0.1:8080")?.host != nil else {
            throw ValidationError("--url must be an http(s) URL such as http://127.0.0.1:8080")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let serverURL = URL(string: url ?? environment["DUBBELSLOT_URL"] ?? "http://127.0.0.1:8080")!
        let to = self.to ?? ReportDates.shift(ReportDates.today(), days: 1)
        let from = self.from ?? ReportDates.shift(to, years: -1)
        guard from < to else { throw ReportExit.usage("--from must be before --to") }
        let parameters = RiskReport.Parameters(
            from: from, to: to, province: province, region: region, municipality: municipality, top: top, asOf: asOf,
            sections: section.isEmpty ? RiskReport.Section.allCases : section.compactMap(RiskReport.Section.init(rawValue:)),
            generatedAt: ISO8601DateFormatter().string(from: Date()))
        let showProgress = isatty(STDERR_FILENO) == 1
        let fetcher = ReportFetcher(serverURL: serverURL, token: token ?? environment["DUBBELSLOT_TOKEN"]!)
        let report: RiskReport
        do {
            report = try await fetcher.report(parameters) { section in
                if showProgress { FileHandle.standardError.write(Data("fetching \(section.rawValue)…\n".utf8)) }
            }
        } catch let error as ReportError {
            // A 400 means the report's own parameters were refused: a usage error.
            if case .refused(400, let message) = error { throw ReportExit.usage(message) }
            throw ReportExit.service(error.description)
        }
        // The table fits the terminal it is shown in; a file gets `COLUMNS` or the fallback width.
        let width = output == nil ? TerminalWidth.current(environment: environment)
            : TerminalWidth.resolve(columns: environment["COLUMNS"], terminalColumns: nil)
        let data = try ReportRenderer.render(report, as: ReportFormat(rawValue: format)!, excel: excel, width: width)
        if let output {
            do { try data.write(to: URL(fileURLWithPath: output)) } catch { throw ReportExit.usage("cannot write \(output): \(error.localizedDescription)") }
        } else {
            FileHandle.standardOutput.write(data)
        }
        if !report.missing.isEmpty {
            FileHandle.standardError.write(Data("dubbelslot-report: partial report; missing: \(report.missing.keys.sorted().joined(separator: ", "))\n".utf8))
            throw ExitCode(3)
        }
    }

    /// Exit codes as documented: 1 for usage errors (ArgumentParser's own would be 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ReportExit {
            FileHandle.standardError.write(Data("dubbelslot-report: \(exit.message)\n".utf8))
            Foundation.exit(exit.code)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data("dubbelslot-report: \(fullMessage(for: error).split(separator: "\n").first ?? "usage error")\n".utf8))
            Foundation.exit(1)
        }
    }
}

/// A one-line failure with its exit code.
struct ReportExit: Error {
    let code: Int32
    let message: String

    static func usage(_ message: String) -> ReportExit { .init(code: 1, message: message) }
    static func service(_ message: String) -> ReportExit { .init(code: 2, message: message) }
}

/// Business dates as `YYYY-MM-DD` in Europe/Amsterdam.
enum ReportDates {
    static func formatter() -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Europe/Amsterdam")
        f.dateFormat = "yyyy-MM-dd"
        return f
    }

    static func day(_ text: String) -> Date? {
        guard text.count == 10, let d = formatter().date(from: text), formatter().string(from: d) == text else { return nil }
        return d
    }

    static func today() -> String { formatter().string(from: Date()) }

    static func shift(_ text: String, years: Int = 0, days: Int = 0) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        let shifted = calendar.date(byAdding: DateComponents(year: years, day: days), to: day(text)!)!
        return formatter().string(from: shifted)
    }
}
