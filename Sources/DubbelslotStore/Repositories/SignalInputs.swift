public import DubbelslotCore
public import Foundation

/// A fraud signal to record, as the municipality reported it.
public struct NewSignal: Sendable, Hashable {
    /// The reporting municipality.
    public var municipalityCode: MunicipalityCode
    /// The school, when the reporter picked it; otherwise linked at intake when ``reportedKvkNumber``
    /// and ``reportedVestigingsnummer`` together identify exactly one school.
    public var schoolId: UUID?
    /// The school as reported, 1–300 characters.
    public var reportedSchoolName: String
    /// The KvK number as reported (8 digits).
    public var reportedKvkNumber: KvKNumber?
    /// The KvK branch number as reported.
    public var reportedVestigingsnummer: Vestigingsnummer?
    /// The place as reported.
    public var reportedPlace: String?
    /// The municipality's own case id, 1–100 characters, unique per municipality; bulk intake is
    /// idempotent on it. `nil` when the municipality gives none.
    public var caseReference: String?
    /// The kind of abuse alleged.
    public var category: SignalCategory
    /// How serious the allegation is.
    public var severity: SignalSeverity
    /// The period of the reported facts, half-open: `observedUntil` exclusive and after `observedFrom`, `nil` while ongoing.
    public var observedFrom: LocalDate
    /// See ``observedFrom``.
    public var observedUntil: LocalDate?
    /// Free text, 1–10000 characters; the API refuses BSN-like numbers before it gets here.
    public var summary: String
    /// Where the municipality learned of it.
    public var source: SignalSource
    /// When the report arrived; `nil` means the database's `now()`. The demo generator sets it.
    /// Stored with microsecond precision.
    public var receivedAt: Date?
    /// `.received` for API intake; the demo generator may set others (and then writes the later transitions itself).
    public var status: SignalStatus

    /// A signal to record; by default received now, with status `received`.
    public init(municipalityCode: MunicipalityCode, schoolId: UUID? = nil, reportedSchoolName: String,
                reportedKvkNumber: KvKNumber? = nil, reportedPlace: String? = nil, category: SignalCategory,
                severity: SignalSeverity, observedFrom: LocalDate, observedUntil: LocalDate? = nil, summary: String,
                source: SignalSource, receivedAt: Date? = nil, status: SignalStatus = .received,
                reportedVestigingsnummer: Vestigingsnummer? = nil, caseReference: String? = nil) {
        self.municipalityCode = municipalityCode
        self.schoolId = schoolId
        self.reportedSchoolName = reportedSchoolName
        self.reportedKvkNumber = reportedKvkNumber
        self.reportedPlace = reportedPlace
        self.category = category
        self.severity = severity
        self.observedFrom = observedFrom
        self.observedUntil = observedUntil
        self.summary = summary
        self.source = source
        self.receivedAt = receivedAt
        self.status = status
        self.reportedVestigingsnummer = reportedVestigingsnummer
        self.caseReference = caseReference
    }
}

/// A listing of signals; every given filter must match. Ordered by `(receivedAt, id)`, newest first.
public struct SignalQuery: Sendable, Hashable {
    /// Only signals linked to this school; `nil` for any.
    public var schoolId: UUID?
    /// Only signals with this status; `nil` for any.
    public var status: SignalStatus?
    /// The reporting municipality.
    public var municipality: MunicipalityCode?
    /// The municipalities the caller may see (its access scope); applies to the page and the total.
    public var visible: MunicipalityScope
    /// Cursor: the last id of the previous page (``SignalPage/nextCursor``); `nil` for the first page.
    public var after: UUID?
    /// Page size, 1–200; values outside are clamped.
    public var limit: Int

    /// A listing; with no arguments, the newest 50 signals, every municipality visible.
    public init(schoolId: UUID? = nil, status: SignalStatus? = nil, municipality: MunicipalityCode? = nil,
                visible: MunicipalityScope = .all, after: UUID? = nil, limit: Int = 50) {
        self.schoolId = schoolId
        self.status = status
        self.municipality = municipality
        self.visible = visible
        self.after = after
        self.limit = limit
    }
}

/// One page of signals.
public struct SignalPage: Sendable, Hashable {
    /// The signals of the page, newest first.
    public var signals: [FraudSignal]
    /// Pass as ``SignalQuery/after`` for the next page; `nil` on the last page.
    public var nextCursor: UUID?
    /// How many signals match the query's filters and scope, over all pages.
    public var total: Int

    /// A page as the listing returns it.
    public init(signals: [FraudSignal], nextCursor: UUID?, total: Int) {
        self.signals = signals
        self.nextCursor = nextCursor
        self.total = total
    }
}
