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
        /// The schools with the highest lock-2 score on the period's last day, beside their score a period earlier.
        case highestRisk
        /// Schools reported by two or more municipalities in the period.
        case acrossMunicipalities
        /// Signals per category, by quarter and by area (the modus operandi reported).
        case modusOperandi
        /// Mark holders without recent visits, and locations never visited, on the period's last day.
        case supervisionCoverage
        /// Quality-mark decisions whose period starts in the period.
        case qualityMarkChanges
        /// Response times to signals per reporting municipality, in Dutch working days.
        case responseTimes
    }

    /// What the report was asked for.
    public struct Parameters: Codable, Sendable, Equatable {
        /// First business date of the period (inclusive), `YYYY-MM-DD`.
        public var from: String
        /// First business date after the period (exclusive).
        public var to: String
        /// Only this province (CBS code `PVnn`); `nil` for any.
        public var province: String?
        /// Only this labour-market region (`AMnn`); `nil` for any.
        public var region: String?
        /// Only this municipality (CBS code `GMnnnn`); `nil` for any.
        public var municipality: String?
        /// How many schools the highest-risk section lists.
        public var top: Int
        /// The knowledge cut-off asked for; `nil`: now.
        public var asOf: String?
        /// The sections asked for, in the order they are fetched and shown.
        public var sections: [Section]
        /// When the report was made (UTC, ISO 8601).
        public var generatedAt: String

        /// Parameters as the CLI gives them; by default the top 20 schools and every section.
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

    /// One contribution to a school's lock-2 score, as the ranking gave it.
    public struct Contribution: Codable, Sendable, Equatable {
        /// The rule that gave the points: a `config/risk-model.yaml` key such as `signals.severityPoints.high`.
        public var rule: String
        /// The points it adds on the date, on the 0–100 scale.
        public var points: Double
        /// In English, as the API gave it.
        public var explanation: String
        /// The parameters the explanation is written from (DubbelslotCore `Explanation`), for the
        /// Dutch of the HTML and Markdown formats; absent from services older than risk model 1.1.0.
        public var parameters: [String: String]?
    }

    /// One school of the highest-risk section.
    public struct HighRiskSchool: Codable, Sendable, Equatable {
        /// The school's id (UUID, lowercase).
        public var schoolId: String
        /// The school's registered name.
        public var name: String
        /// The school's KvK number, 8 digits.
        public var kvkNumber: String
        /// The CBS code of the school's seat, `GMnnnn`.
        public var municipalityCode: String
        /// The lock-2 score on the period's last day, 0–100.
        public var score: Double
        /// `low`, `elevated`, `high`, `critical` or `insufficientData`.
        public var band: String
        /// `clear`, `caution` or `blocked`.
        public var verdict: String
        /// The score at the end of the previous period of the same length; `nil` when not assessed then.
        public var previousScore: Double?
        /// `score − previousScore`, rounded to 1 decimal.
        public var change: Double?
        /// The three largest contributions (fewer when there are fewer).
        public var topContributions: [Contribution]
        /// Whether any visit lies within the model's coverage window.
        public var coverageSufficient: Bool
        /// Signals about the school received on or before the period's last day.
        public var signalsKnown: Int
        /// The latest visit of any kind on or before the period's last day (`YYYY-MM-DD`); `nil` when none.
        public var lastVisitOn: String?
    }

    /// A count under a key, such as a category or a status.
    public struct KeyCount: Codable, Sendable, Equatable {
        /// The raw value counted: a signal category or status, such as `lessonsNotGiven` or `triaged`.
        public var key: String
        /// How many signals.
        public var count: Int
    }

    /// A school reported by two or more municipalities in the period.
    public struct CrossMunicipalitySchool: Codable, Sendable, Equatable {
        /// The school's id (UUID, lowercase).
        public var schoolId: String
        /// The school's registered name.
        public var name: String
        /// The reporting municipalities (CBS codes), sorted.
        public var municipalities: [String]
        /// Signals about the school in the period.
        public var signals: Int
        /// Those signals per category.
        public var categories: [KeyCount]
        /// Those signals per current status.
        public var statuses: [KeyCount]
    }

    /// How many signals of one category fall in one quarter or one area.
    public struct CategoryCount: Codable, Sendable, Equatable {
        /// The category's raw value, such as `lessonsNotGiven`.
        public var category: String
        /// A quarter `YYYY-Qn`, or an area (`PVnn`, `AMnn`, `unknown`).
        public var key: String
        /// How many signals, at least 1.
        public var count: Int
    }

    /// The modus-operandi section: signals per category, by quarter received and by area.
    public struct ModusOperandi: Codable, Sendable, Equatable {
        /// Signals counted (received in the period, duplicates left out).
        public var signals: Int
        /// `province` or `region`.
        public var areaBy: String
        /// Per category and quarter (`YYYY-Qn`), quarter then category order.
        public var byCategoryQuarter: [CategoryCount]
        /// Per category and area of the reporting municipality, area then category order.
        public var byCategoryArea: [CategoryCount]
    }

    /// A mark holder and its last visits.
    public struct CoverageGap: Codable, Sendable, Equatable {
        /// The school's id (UUID, lowercase).
        public var schoolId: String
        /// The school's registered name.
        public var name: String
        /// The CBS code of the school's seat, `GMnnnn`.
        public var municipalityCode: String
        /// The last classroom supervision visit (`YYYY-MM-DD`); `nil` when none.
        public var lastClassroomVisitOn: String?
        /// The last visit of any kind (`YYYY-MM-DD`); `nil` when none.
        public var lastVisitOn: String?
    }

    /// A school location where no visit was ever recorded.
    public struct UnvisitedLocation: Codable, Sendable, Equatable {
        /// The school's id (UUID, lowercase).
        public var schoolId: String
        /// The school's registered name.
        public var name: String
        /// The location's id (UUID, lowercase).
        public var locationId: String
        /// The CBS code of the location's municipality, `GMnnnn`.
        public var municipalityCode: String
        /// The location's address; `nil` when not recorded.
        public var address: String?
    }

    /// The supervision-coverage section: gaps in supervision on the period's last day.
    public struct SupervisionCoverage: Codable, Sendable, Equatable {
        /// The date the gaps are measured on (`YYYY-MM-DD`), the period's last day.
        public var date: String
        /// Schools with a granted quality mark in force on the date.
        public var markHolders: Int
        /// Mark holders without a classroom visit in the 48 months up to the date.
        public var withoutClassroomVisit48Months: [CoverageGap]
        /// Mark holders without any visit in the 12 months up to the date.
        public var withoutVisit12Months: [CoverageGap]
        /// Locations of schools in the area without any visit recorded at them.
        public var locationsNeverVisited: [UnvisitedLocation]
    }

    /// A quality-mark decision whose period starts in the report's period.
    public struct QualityMarkChange: Codable, Sendable, Equatable {
        /// The school's id (UUID, lowercase).
        public var schoolId: String
        /// The school's registered name.
        public var name: String
        /// The decision's status, a `QualityMarkStatus` raw value such as `suspended`.
        public var status: String
        /// The first day in force (`YYYY-MM-DD`).
        public var validFrom: String
        /// The first day no longer in force (exclusive); `nil` for open-ended.
        public var validUntil: String?
        /// The day the quality-mark body decided (`YYYY-MM-DD`).
        public var decidedOn: String
    }

    /// One reporting municipality's response times.
    public struct ResponseTime: Codable, Sendable, Equatable {
        /// The reporting municipality (CBS code `GMnnnn`).
        public var municipalityCode: String
        /// Signals it reported in the period.
        public var received: Int
        /// Median of receipt to triage, in working days (Algemene termijnenwet); all four figures are
        /// nearest-rank percentiles, `nil` when no signal completed the step.
        public var receivedToTriagedMedian: Double?
        /// 90th percentile of receipt to triage, in working days.
        public var receivedToTriagedP90: Double?
        /// Median of receipt to conclusion, in working days.
        public var receivedToConcludedMedian: Double?
        /// 90th percentile of receipt to conclusion, in working days.
        public var receivedToConcludedP90: Double?
        /// Signals not yet triaged after more than the triage norm, in working days.
        public var openPastTriageNorm: Int
        /// Signals not yet concluded after more than the conclusion norm, in working days.
        public var openPastConclusionNorm: Int
    }

    /// The response-times section (docs/decisions/0010-response-times-in-dutch-working-days.md).
    public struct ResponseTimes: Codable, Sendable, Equatable {
        /// The triage norm the service applies, in working days (default 10).
        public var triageNormWorkingDays: Int
        /// The conclusion norm the service applies, in working days (default 65).
        public var conclusionNormWorkingDays: Int
        /// One row per reporting municipality in the area.
        public var municipalities: [ResponseTime]
    }

    /// What was asked for.
    public var parameters: Parameters
    /// The risk-model version of the highest-risk section.
    public var modelVersion: String?
    /// The highest-risk section, highest score first; `nil` when not asked for or refused.
    public var highestRisk: [HighRiskSchool]?
    /// The across-municipalities section; `nil` when not asked for or refused.
    public var acrossMunicipalities: [CrossMunicipalitySchool]?
    /// The modus-operandi section; `nil` when not asked for or refused.
    public var modusOperandi: ModusOperandi?
    /// The supervision-coverage section; `nil` when not asked for or refused.
    public var supervisionCoverage: SupervisionCoverage?
    /// The quality-mark changes, by first day then school name; `nil` when not asked for or refused.
    public var qualityMarkChanges: [QualityMarkChange]?
    /// The response-times section; `nil` when not asked for or refused.
    public var responseTimes: ResponseTimes?
    /// Sections asked for but not delivered, with the reason (exit code 3).
    public var missing: [String: String]

    /// An empty report for `parameters`; the fetcher fills in the sections.
    public init(parameters: Parameters) {
        self.parameters = parameters
        self.missing = [:]
    }
}
