public import Foundation

/// What the risk model, the input digest and the signal aggregate read of a fraud signal: seven
/// fields, never its text, source, reporter or reference.
///
/// The store reads exactly these columns for an assessment. A signal's summary may hold 10,000
/// characters the model never looks at; decoding all 21 columns of every signal was a third of a
/// ranking's CPU (measured with perf at 100× volume, `BENCHMARKS.md`).
public struct SignalFact: Hashable, Sendable, Identifiable {
    public let id: UUID
    /// The reporting municipality (CBS code).
    public let municipalityCode: MunicipalityCode
    /// The school the signal is linked to; `nil` while unmatched.
    public let schoolId: UUID?
    public let category: SignalCategory
    public let severity: SignalSeverity
    public let status: SignalStatus
    /// When the municipality's report reached Dubbelslot.
    public let receivedAt: Date
    /// The signal this one repeats, when linked as a duplicate; `nil` otherwise.
    public let duplicateOf: UUID?

    public init(id: UUID, municipalityCode: MunicipalityCode, schoolId: UUID?, category: SignalCategory, severity: SignalSeverity,
                status: SignalStatus, receivedAt: Date, duplicateOf: UUID? = nil) {
        self.id = id
        self.municipalityCode = municipalityCode
        self.schoolId = schoolId
        self.category = category
        self.severity = severity
        self.status = status
        self.receivedAt = receivedAt
        self.duplicateOf = duplicateOf
    }
}

extension FraudSignal {
    /// The fields of this signal the risk model reads.
    public var fact: SignalFact {
        SignalFact(id: id, municipalityCode: municipalityCode, schoolId: schoolId, category: category, severity: severity,
                   status: status, receivedAt: receivedAt, duplicateOf: duplicateOf)
    }
}
