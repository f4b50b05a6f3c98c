public import DubbelslotCore
public import Foundation

/// Imports reference data files: municipalities (CBS layout) and schools (register layout).
///
/// The whole file is validated first; if any record is bad nothing is written and every broken
/// rule is reported (line, column, rule). A valid file is written in one transaction, as an upsert
/// by natural key (CBS code, KvK number), so importing the same file again changes nothing.
public struct ReferenceImporter: Sendable {
    /// The store written to.
    public let store: Store

    /// An importer into `store`.
    public init(store: Store) {
        self.store = store
    }

    /// Imports a municipalities file in the layout of `data/reference/gemeenten_2025.csv`.
    ///
    /// - Returns: how many rows were inserted, updated and left unchanged.
    /// - Throws: ``ValidationFailure`` listing every bad record (nothing written); a database error otherwise.
    public func importMunicipalities(from url: URL, actor: RecordedBy) async throws -> ImportSummary {
        let table = try CSVFile.read(contentsOf: url)
        let municipalities = try MunicipalityImportRules.validate(table)
        return try await store.municipalities.upsert(municipalities, actor: actor)
    }

    /// Imports a schools file (columns `kvkNumber`, `name`, `municipalityCode`, `routes`, optional `tradeNames`).
    ///
    /// Seats must name municipalities already imported. The valid rows are streamed to PostgreSQL
    /// with `COPY` and merged in one transaction (``SchoolRepository/upsert(_:actor:progress:)``).
    /// - Parameters:
    ///   - progress: told how many rows have been streamed; `nil` for none.
    /// - Returns: how many schools were inserted, updated and left unchanged.
    /// - Throws: ``ValidationFailure`` listing every bad record (nothing written); a database error otherwise.
    public func importSchools(from url: URL, actor: RecordedBy, progress: ImportProgressHandler? = nil) async throws -> ImportSummary {
        let table = try CSVFile.read(contentsOf: url)
        let known = Set(try await store.municipalities.list().map(\.code))
        let rows = try SchoolImportRules.validate(table, knownMunicipalities: known)
        let schools = rows.map {
            NewSchool(name: $0.name, tradeNames: $0.tradeNames, kvkNumber: $0.kvkNumber, municipalityCode: $0.municipalityCode, routes: $0.routes)
        }
        return try await store.schools.upsert(schools, actor: actor, progress: progress)
    }

    /// Imports a file of the quality-mark body's decisions (``QualityMarkImportRules``): columns
    /// `kvkNumber`, `status`, `validFrom`, `decidedOn`, optional `validUntil`, `vestigingsnummer`,
    /// `reference`, `reason`. Schools and locations must be registered first.
    /// - Returns: decisions inserted and left unchanged.
    /// - Throws: ``ValidationFailure`` listing every bad record, unmatched school or location and every
    ///   step the lifecycle refuses (nothing written); a database error otherwise.
    public func importQualityMarkDecisions(from url: URL, today: LocalDate, actor: RecordedBy) async throws -> ImportSummary {
        let table = try CSVFile.read(contentsOf: url)
        let rows = try QualityMarkImportRules.validate(table, today: today)
        return try await store.qualityMarks.importDecisions(rows, actor: actor)
    }
}
