public import Foundation

/// The inspectorate's risk report (docs/decisions/0017-risk-report-as-an-api-client.md): what `dubbelslot-report`
/// fetched, section by section.
///
/// Encoded as JSON it is the `--format json` document, described by `report.schema.json`. Every
/// figure comes from the service's API, under the caller's token, so access rules and the audit
/// trail apply as to any client.
public struct RiskReport: Codable, Sendable, Equatable {
    /// The six sections; each can be asked for alone (`--section`).
    public enum Section: String, Codable, Sendable, CaseIterable {
        case highestRisk, acrossMunicipalities, modusOperandi, supervisionCoverage, qualityMarkChanges, responseTimes
    }

    /// What the report was asked for.
    public struct Parameters: Codable, Sendable, Equatable {
        /// First business date of the period (inclusive), `YYYY-MM-DD`.
        public var from: String
        /// First business date after the period (exclusive).
        public var to: String
        public var province: String?
        public var region: String?
        public var municipality: String?
        /// How many schools the highest-risk section lists.
        public var top: Int
        /// The knowledge cut-off asked for; `nil`: now.
        public var asOf: String?
        public var sections: [Section]
        /// When the report was made (UTC, ISO 8601).
        public var generatedAt: String

        public init(from: String, to: String, province: String? = nil, region: String? = nil, municipality: String? = nil, top: Int = 20,
                    asOf: String? = nil, sections: [Section] = Section.allCases, generatedAt: String) {
            self.from = from
            self.to = to
            self.province = province
            self.region = region
            self.municipality = municipality
            self.top = top
            self.asOf = asOf
            self.sections = sections
            self.generatedAt = generatedAt
        }
    }

    public struct Contribution: Codable, Sendable, Equatable {
        public var rule: String
        public var points: Double
        /// In English, as the API gave it.
        public var explanation: String
        /// The parameters the explanation is written from (DubbelslotCore `Explanation`), for the
        /// Dutch of the HTML and Markdown formats; absent from services older than risk model 1.1.0.
        public var parameters: [String: String]?
    }

    public struct HighRiskSchool: Codable, Sendable, Equatable {
        public var schoolId: String
        public var name: String
        public var kvkNumber: String
        public var municipalityCode: String
        public var score: Double
        public var band: String
        public var verdict: String
        /// The score at the end of the previous period of the same length; `nil` when not assessed then.
        public var previousScore: Double?
        /// `score − previousScore`, rounded to 1 decimal.
        public var change: Double?
        public var topContributions: [Contribution]
        public var coverageSufficient: Bool
        public var signalsKnown: Int
        public var lastVisitOn: String?
    }

    public struct KeyCount: Codable, Sendable, Equatable {
        public var key: String
        public var count: Int
    }

    public struct CrossMunicipalitySchool: Codable, Sendable, Equatable {
        public var schoolId: String
        public var name: String
        public var municipalities: [String]
        public var signals: Int
        public var categories: [KeyCount]
        public var statuses: [KeyCount]
    }

    public struct CategoryCount: Codable, Sendable, Equatable {
        public var category: String
        /// A quarter `YYYY-Qn`, or an area (`PVnn`, `AMnn`, `unknown`).
        public var key: String
        public var count: Int
    }

    public struct ModusOperandi: Codable, Sendable, Equatable {
        public var signals: Int
        /// `province` or `region`.
        public var areaBy: String
        public var byCategoryQuarter: [CategoryCount]
        public var byCategoryArea: [CategoryCount]
    }

    public struct CoverageGap: Codable, Sendable, Equatable {
        public var schoolId: String
        public var name: String
        public var municipalityCode: String
        public var lastClassroomVisitOn: String?
        public var lastVisitOn: String?
    }

    public struct UnvisitedLocation: Codable, Sendable, Equatable {
        public var schoolId: String
        public var name: String
        public var locationId: String
        public var municipalityCode: String
        public var address: String?
    }

    public struct SupervisionCoverage: Codable, Sendable, Equatable {
        public var date: String
        public var markHolders: Int
        public var withoutClassroomVisit48Months: [CoverageGap]
        public var withoutVisit12Months: [CoverageGap]
        public var locationsNeverVisited: [UnvisitedLocation]
    }

    public struct QualityMarkChange: Codable, Sendable, Equatable {
        public var schoolId: String
        public var name: String
        public var status: String
        public var validFrom: String
        public var validUntil: String?
        public var decidedOn: String
    }

    public struct ResponseTime: Codable, Sendable, Equatable {
        public var municipalityCode: String
        public var received: Int
        /// Working days (Algemene termijnenwet), nearest-rank percentiles.
        public var receivedToTriagedMedian: Double?
        public var receivedToTriagedP90: Double?
        public var receivedToConcludedMedian: Double?
        public var receivedToConcludedP90: Double?
        public var openPastTriageNorm: Int
        public var openPastConclusionNorm: Int
    }

    public struct ResponseTimes: Codable, Sendable, Equatable {
        public var triageNormWorkingDays: Int
        public var conclusionNormWorkingDays: Int
        public var municipalities: [ResponseTime]
    }

    public var parameters: Parameters
    /// The risk-model version of the highest-risk section.
    public var modelVersion: String?
    public var highestRisk: [HighRiskSchool]?
    public var acrossMunicipalities: [CrossMunicipalitySchool]?
    public var modusOperandi: ModusOperandi?
    public var supervisionCoverage: SupervisionCoverage?
    public var qualityMarkChanges: [QualityMarkChange]?
    public var responseTimes: ResponseTimes?
    /// Sections asked for but not delivered, with the reason (exit code 3).
    public var missing: [String: String]

    public init(parameters: Parameters) {
        self.parameters = parameters
        self.missing = [:]
    }
}
