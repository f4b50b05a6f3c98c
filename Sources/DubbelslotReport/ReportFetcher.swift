import AsyncHTTPClient
import NIOCore
import DubbelslotOpenAPI
public import Foundation
import HTTPTypes
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// Why a report could not be (fully) made; the CLI's exit code follows from it.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The service could not be reached (exit 2).
    case unreachable(String)
    /// The service answered with an error; `message` is the problem's title and detail (exit 2).
    case refused(status: Int, message: String)

    /// What failed, in English, for the CLI's standard error.
    public var description: String {
        switch self {
        case .unreachable(let why): "the service cannot be reached: \(why)"
        case .refused(let status, let message): "the service refused (\(status)): \(message)"
        }
    }
}

/// Adds the bearer token and turns every error answer into a ``ReportError`` with the problem's title.
struct BearerAndProblemMiddleware: ClientMiddleware {
    let token: String

    struct ProblemBody: Decodable {
        let title: String?
        let detail: String?
    }

    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        let (response, responseBody) = try await next(request, body, baseURL)
        guard response.status.code >= 400 else { return (response, responseBody) }
        var data = Data()
        if let responseBody { data = (try? await Data(collecting: responseBody, upTo: 1 << 20)) ?? Data() }
        let problem = try? JSONDecoder().decode(ProblemBody.self, from: data)
        let message = [problem?.title, problem?.detail].compactMap { $0 }.joined(separator: ": ")
        throw ReportError.refused(status: response.status.code, message: message.isEmpty ? "HTTP \(response.status.code)" : message)
    }
}

/// Fetches the report's sections from the service through the client generated from `openapi.yaml`.
public struct ReportFetcher: Sendable {
    let serverURL: URL
    let token: String

    /// - Parameters:
    ///   - serverURL: the service, e.g. `http://127.0.0.1:8080` (the client adds `/v1/...`).
    ///   - token: a bearer token (`dubbelslot token create --role analyst`).
    public init(serverURL: URL, token: String) {
        self.serverURL = serverURL
        self.token = token
    }

    /// Runs `body` with a client of its own: a connection that cannot be made fails after 5 seconds
    /// (not the pool's long retry), a request after 120.
    func withClient<T: Sendable>(_ body: (Client) async throws -> T) async throws -> T {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(5), read: .seconds(120)))
        configuration.connectionPool.retryConnectionEstablishment = false
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let client = Client(serverURL: serverURL, configuration: .init(dateTranscoder: .iso8601WithFractionalSeconds),
                            transport: AsyncHTTPClientTransport(configuration: .init(client: http, timeout: .seconds(120))),
                            middlewares: [BearerAndProblemMiddleware(token: token)])
        do {
            let result = try await body(client)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// Fetches every section of `parameters`; a section the service refuses is recorded in
    /// ``RiskReport/missing``, unless it refuses them all (then the first refusal is thrown).
    /// - Parameter progress: called as each section is asked for (the CLI writes it to a terminal's stderr).
    public func report(_ parameters: RiskReport.Parameters, progress: @Sendable (RiskReport.Section) -> Void = { _ in }) async throws -> RiskReport {
        try await withClient { client in try await report(parameters, client: client, progress: progress) }
    }

    func report(_ parameters: RiskReport.Parameters, client: Client, progress: @Sendable (RiskReport.Section) -> Void) async throws -> RiskReport {
        // The sections side by side: each is one or two statements that take seconds at volume, on a
        // connection of its own. The statistics two sections read are asked for once.
        let statistics: Task<Components.Schemas.SignalStatistics, any Error>?
        if parameters.sections.contains(where: { $0 == .acrossMunicipalities || $0 == .modusOperandi }) {
            let p = parameters
            statistics = Task {
                try await client.getSignalStatistics(query: .init(
                    from: p.from, to: p.to, province: p.province, region: p.region,
                    municipality: p.municipality, areaBy: p.region == nil ? .province : .region)).ok.body.json
            }
        } else {
            statistics = nil
        }
        defer { statistics?.cancel() }
        let fetched = await withTaskGroup(of: (RiskReport.Section, Result<RiskReport, any Error>).self) { group in
            for section in parameters.sections {
                progress(section)
                group.addTask {
                    var part = RiskReport(parameters: parameters)
                    do {
                        try await fetch(section, into: &part, statistics: statistics, client: client)
                        return (section, .success(part))
                    } catch {
                        return (section, .failure(error))
                    }
                }
            }
            var results: [RiskReport.Section: Result<RiskReport, any Error>] = [:]
            for await (section, result) in group { results[section] = result }
            return results
        }
        var report = RiskReport(parameters: parameters)
        var firstError: (any Error)?
        for section in parameters.sections {
            switch fetched[section] {
            case .success(let part)?:
                report.take(section, from: part)
            case .failure(let error)?:
                let unwrapped = Self.unwrap(error)
                // Unreachable, or a 400 (the parameters are wrong for every section): no report at all.
                if case .unreachable = unwrapped { throw unwrapped }
                if case .refused(400, _) = unwrapped { throw unwrapped }
                firstError = firstError ?? unwrapped
                report.missing[section.rawValue] = unwrapped.description
            case nil:
                continue
            }
        }
        if let firstError, report.missing.count == parameters.sections.count { throw firstError }
        return report
    }

    /// The ``ReportError`` inside the runtime's `ClientError`, or `unreachable` for a transport failure.
    static func unwrap(_ error: any Error) -> ReportError {
        if let e = error as? ReportError { return e }
        if let e = error as? ClientError {
            if let inner = e.underlyingError as? ReportError { return inner }
            return .unreachable(String(describing: e.underlyingError).prefix(200).description)
        }
        return .unreachable(String(describing: error).prefix(200).description)
    }

    /// - Parameter statistics: the one request for the signal statistics: two sections read them, the
    ///   service computes them once per report (they take seconds at volume).
    private func fetch(_ section: RiskReport.Section, into report: inout RiskReport,
                       statistics: Task<Components.Schemas.SignalStatistics, any Error>?, client: Client) async throws {
        let p = report.parameters
        switch section {
        case .highestRisk:
            // The period's last day, and the last day of the period of equal length before it.
            guard let from = Self.day(p.from), let to = Self.day(p.to) else { return }
            let lastDay = Self.text(to.addingTimeInterval(-86_400))
            let previousDay = Self.text(from.addingTimeInterval(-86_400))
            // The earlier scores of exactly the schools listed: a ranking assesses only the schools that
            // can reach its first `top`, so asking for every school's earlier score would assess them all.
            let now = try await client.getRiskRanking(query: .init(date: lastDay, asOf: p.asOf, top: p.top, province: p.province,
                                                                   region: p.region, municipality: p.municipality)).ok.body.json
            // At most 100 named schools a request (the contract's limit).
            let listed = now.items.map(\.school.id)
            var previous: [String: Double] = [:]
            for start in stride(from: 0, to: listed.count, by: 100) {
                let chunk = Array(listed[start..<min(start + 100, listed.count)])
                let before = try await client.getRiskRanking(query: .init(
                    date: previousDay, asOf: p.asOf, top: chunk.count, schools: chunk.joined(separator: ","), province: p.province,
                    region: p.region, municipality: p.municipality)).ok.body.json
                for item in before.items { previous[item.school.id] = item.score }
            }
            report.modelVersion = now.modelVersion
            report.highestRisk = now.items.map { item in
                let old = previous[item.school.id]
                return .init(schoolId: item.school.id, name: item.school.name, kvkNumber: item.school.kvkNumber,
                             municipalityCode: item.school.municipalityCode, score: item.score, band: item.band.rawValue,
                             verdict: item.verdict.rawValue, previousScore: old, change: old.map { ((item.score - $0) * 10).rounded() / 10 },
                             topContributions: item.topContributions.map {
                                 .init(rule: $0.rule, points: $0.points, explanation: $0.explanation, parameters: $0.parameters?.additionalProperties)
                             },
                             coverageSufficient: item.coverageSufficient, signalsKnown: item.signalsKnown, lastVisitOn: item.lastVisitOn)
            }
        case .acrossMunicipalities, .modusOperandi:
            guard let statistics else { return }
            let stats = try await statistics.value
            if section == .acrossMunicipalities {
                report.acrossMunicipalities = stats.acrossMunicipalities.map {
                    .init(schoolId: $0.school.id, name: $0.school.name, municipalities: $0.municipalities, signals: $0.signals,
                          categories: $0.categories.map { .init(key: $0.key, count: $0.count) },
                          statuses: $0.statuses.map { .init(key: $0.key, count: $0.count) })
                }
            } else {
                report.modusOperandi = .init(
                    signals: stats.signals, areaBy: stats.areaBy,
                    byCategoryQuarter: stats.byCategoryQuarter.map { .init(category: $0.category.rawValue, key: $0.key, count: $0.count) },
                    byCategoryArea: stats.byCategoryArea.map { .init(category: $0.category.rawValue, key: $0.key, count: $0.count) })
            }
        case .supervisionCoverage:
            guard let to = Self.day(p.to) else { return }
            let c = try await client.getSupervisionCoverage(query: .init(date: Self.text(to.addingTimeInterval(-86_400)), province: p.province,
                                                                         region: p.region, municipality: p.municipality)).ok.body.json
            func gap(_ g: Components.Schemas.CoverageGap) -> RiskReport.CoverageGap {
                .init(schoolId: g.school.id, name: g.school.name, municipalityCode: g.school.municipalityCode,
                      lastClassroomVisitOn: g.lastClassroomVisitOn, lastVisitOn: g.lastVisitOn)
            }
            report.supervisionCoverage = .init(
                date: c.date, markHolders: c.markHolders, withoutClassroomVisit48Months: c.withoutClassroomVisit48Months.map(gap),
                withoutVisit12Months: c.withoutVisit12Months.map(gap),
                locationsNeverVisited: c.locationsNeverVisited.map {
                    .init(schoolId: $0.school.id, name: $0.school.name, locationId: $0.locationId, municipalityCode: $0.municipalityCode, address: $0.address)
                })
        case .qualityMarkChanges:
            let changes = try await client.listQualityMarkChanges(query: .init(from: p.from, to: p.to, province: p.province, region: p.region,
                                                                               municipality: p.municipality)).ok.body.json
            report.qualityMarkChanges = changes.items.map {
                .init(schoolId: $0.school.id, name: $0.school.name, status: $0.decision.status.rawValue, validFrom: $0.decision.validFrom,
                      validUntil: $0.decision.validUntil, decidedOn: $0.decision.decidedOn)
            }
        case .responseTimes:
            let times = try await client.getSignalResponseTimes(query: .init(from: p.from, to: p.to, groupBy: .municipality)).ok.body.json
            // The area filter for response times: the municipalities of the area, from the reference list.
            var codes: Set<String>?
            if p.province != nil || p.region != nil || p.municipality != nil {
                let all = try await client.listMunicipalities().ok.body.json.items
                codes = Set(all.filter { m in
                    (p.province == nil || m.provinceCode == p.province) && (p.region == nil || m.labourMarketRegion == p.region)
                        && (p.municipality == nil || m.code == p.municipality)
                }.map(\.code))
            }
            report.responseTimes = .init(
                triageNormWorkingDays: times.triageNormWorkingDays, conclusionNormWorkingDays: times.conclusionNormWorkingDays,
                municipalities: times.groups.filter { codes?.contains($0.key) ?? true }.map {
                    .init(municipalityCode: $0.key, received: $0.received, receivedToTriagedMedian: $0.receivedToTriaged.medianWorkingDays,
                          receivedToTriagedP90: $0.receivedToTriaged.p90WorkingDays,
                          receivedToConcludedMedian: $0.receivedToConcluded.medianWorkingDays,
                          receivedToConcludedP90: $0.receivedToConcluded.p90WorkingDays, openPastTriageNorm: $0.openPastTriageNorm,
                          openPastConclusionNorm: $0.openPastConclusionNorm)
                })
        }
    }

    /// A `YYYY-MM-DD` as midnight UTC (only calendar arithmetic is done with it).
    static func day(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.date(from: text)
    }

    static func text(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: date)
    }
}

extension RiskReport {
    /// Takes what `part` fetched for `section` (the model version goes with the highest-risk list).
    mutating func take(_ section: Section, from part: RiskReport) {
        switch section {
        case .highestRisk:
            modelVersion = part.modelVersion
            highestRisk = part.highestRisk
        case .acrossMunicipalities: acrossMunicipalities = part.acrossMunicipalities
        case .modusOperandi: modusOperandi = part.modusOperandi
        case .supervisionCoverage: supervisionCoverage = part.supervisionCoverage
        case .qualityMarkChanges: qualityMarkChanges = part.qualityMarkChanges
        case .responseTimes: responseTimes = part.responseTimes
        }
    }
}
