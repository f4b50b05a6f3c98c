import ArgumentParser
import DubbelslotCore
import DubbelslotStore
import Foundation

/// `dubbelslot risk verify`: the risk terms rankings read (sql/0039) against the evidence they stand for.
struct RiskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Check the risk terms that rankings read.",
        subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the risk terms from the evidence and report every difference from those kept.",
            discussion: """
                Rankings pick the schools they assess by summing risk terms in the database \
                (docs/decisions/0020-risk-terms-as-a-candidate-bound.md). The terms are kept by triggers in the \
                transaction of every change of the evidence; this recomputes them from the evidence itself, as known \
                at --asOf (default: now), with the same rules as the assessment, and prints each term missing or \
                unexpected. Reads only. Exit 0 when every term agrees, 1 otherwise.
                """)
        @OptionGroup var options: CommonOptions
        @Option(help: "Only this school (its id); default: every school.") var school: String?
        @Option(name: .customLong("asOf"), help: "The knowledge cut-off, an ISO 8601 instant such as 2026-11-30T12:00:00Z; default: now.")
        var asOf: String?

        func validate() throws {
            if let school, UUID(strict: school) == nil { throw ValidationError("--school must be a school id (a UUID)") }
            if let asOf, Self.instant(asOf) == nil { throw ValidationError("--asOf must be an ISO 8601 instant such as 2026-11-30T12:00:00Z") }
        }

        static func instant(_ text: String) -> Date? {
            let plain = ISO8601DateFormatter()
            let fractional = ISO8601DateFormatter()
            fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return plain.date(from: text) ?? fractional.date(from: text)
        }

        func run() async throws {
            let settings = try await options.settings()
            let logger = makeLogger(settings)
            let only = school.flatMap { UUID(strict: $0) }
            let cutOff = asOf.flatMap(Self.instant)
            let (checked, differences): (Int, [RiskTermDifference])
            do {
                (checked, differences) = try await withStore(settings, logger: logger) { store in
                    let ids = if let only { [only] } else { try await store.riskTerms.allSchoolIds() }
                    return (ids.count, try await store.verifyRiskTerms(schoolIds: ids, asOf: cutOff))
                }
            } catch {
                throw fail(error, logger: logger)
            }
            func describe(_ t: RiskTerm) -> String {
                "\(t.kind.rawValue) \(t.evidenceId.uuidString.lowercased()) \(t.key) on \(t.anchorDate)"
                    + (t.municipalityCode.map { " from \($0.rawValue)" } ?? "")
            }
            for d in differences {
                let school = d.schoolId.uuidString.lowercased()
                for t in d.missing.sorted(by: { describe($0) < describe($1) }) { print("school \(school): missing \(describe(t))") }
                for t in d.unexpected.sorted(by: { describe($0) < describe($1) }) { print("school \(school): unexpected \(describe(t))") }
            }
            if differences.isEmpty {
                print("risk terms agree with the evidence: \(checked) school(s) checked")
            } else {
                printError("error: the risk terms of \(differences.count) of \(checked) school(s) differ from their evidence")
                throw ExitCode.failure
            }
        }
    }
}
