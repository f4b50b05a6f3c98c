public import DubbelslotCore
public import Foundation

/// Imports a signals file from a municipality's own case system (`dubbelslot import signals FILE.csv`).
///
/// The whole file is validated first (``SignalImportRules``); if any record is bad nothing is written
/// and every broken rule is reported (line, column, rule). A valid file is written in one transaction
/// by ``SignalRepository/recordBatch(_:actor:progress:)`` (streamed with `COPY`), idempotent on the municipality's case reference, so
/// sending the same file again creates nothing.
public struct SignalImporter: Sendable {
    /// The store written to.
    public let store: Store

    /// An importer into `store`.
    public init(store: Store) {
        self.store = store
    }

    /// Imports the file at `url` for `municipality`.
    ///
    /// - Parameters:
    ///   - municipality: the reporting municipality, `GMnnnn`; it must exist.
    ///   - today: the business date `observedFrom` may not lie after (Europe/Amsterdam).
    ///   - progress: told how many rows have been streamed; `nil` for none.
    /// - Returns: `inserted` new signals and `unchanged` rows whose case reference was known; `updated` is always 0.
    /// - Throws: ``ValidationFailure`` listing every bad record (nothing written);
    ///   ``StoreError/unknownReference(field:)`` with `municipalityCode`; a database error otherwise.
    public func importSignals(from url: URL, municipality: MunicipalityCode, today: LocalDate, actor: RecordedBy,
                              progress: ImportProgressHandler? = nil) async throws -> ImportSummary {
        let results = try await importSignals(CSVFile.read(contentsOf: url), municipality: municipality, today: today, actor: actor,
                                              progress: progress)
        return ImportSummary(inserted: results.filter(\.created).count, updated: 0, unchanged: results.filter { !$0.created }.count)
    }

    /// Imports CSV bytes (for example a `text/csv` request body) for `municipality`.
    ///
    /// - Returns: one result per record, in file order.
    /// - Throws: as ``importSignals(from:municipality:today:actor:progress:)``.
    public func importSignals(csv data: Data, municipality: MunicipalityCode, today: LocalDate, actor: RecordedBy) async throws -> [SignalIntake] {
        try await importSignals(CSVFile.parse(data), municipality: municipality, today: today, actor: actor)
    }

    /// Imports a parsed table for `municipality`.
    ///
    /// - Parameters:
    ///   - progress: told how many rows have been streamed; `nil` for none.
    /// - Returns: one result per record, in file order.
    /// - Throws: as ``importSignals(from:municipality:today:actor:progress:)``.
    public func importSignals(_ table: CSVTable, municipality: MunicipalityCode, today: LocalDate, actor: RecordedBy,
                              progress: ImportProgressHandler? = nil) async throws -> [SignalIntake] {
        let rows = try SignalImportRules.validate(table, today: today)
        return try await store.signals.recordBatch(rows.map { NewSignal($0, municipalityCode: municipality) }, actor: actor,
                                                   progress: progress)
    }
}

extension NewSignal {
    /// The signal a validated file record describes, reported by `municipalityCode`, received now.
    public init(_ row: SignalImportRow, municipalityCode: MunicipalityCode) {
        self.init(municipalityCode: municipalityCode, reportedSchoolName: row.reportedSchoolName,
                  reportedKvkNumber: row.reportedKvkNumber, reportedPlace: row.reportedPlace, category: row.category,
                  severity: row.severity, observedFrom: row.observedFrom, observedUntil: row.observedUntil,
                  summary: row.summary, source: row.source, reportedVestigingsnummer: row.reportedVestigingsnummer,
                  caseReference: row.caseReference)
    }
}
