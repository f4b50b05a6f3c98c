public import Foundation

/// What the risk model, the input digest and the signal aggregate read of a fraud signal: seven
/// fields, never its text, source, reporter or reference.
///
/// The store reads exactly these columns for an assessment. A signal's summary may hold 10,000
/// characters the model never looks at; decoding all 21 columns of every signal was a third of a
/// ranking's CPU (measured with perf at 100× volume, `BENCHMARKS.md`).
public struct SignalFact: Hashable, Sendable, Identifiable {
    /// The signal's id.
    public let id: UUID
    /// The reporting municipality (CBS code).
    public let municipalityCode: MunicipalityCode
    /// The school the signal is linked to; `nil` while unmatched.
    public let schoolId: UUID?
    /// The kind of abuse reported (modus operandi).
    public let category: SignalCategory
    /// How serious the allegation is; the model's points per severity (`signals.severityPoints`).
    public let severity: SignalSeverity
    /// Where the signal is in its lifecycle; the model weighs it by status (`signals.statusFactor`).
    public let status: SignalStatus
    /// When the municipality's report reached Dubbelslot.
    public let receivedAt: Date
    /// The day of ``receivedAt`` in Europe/Amsterdam, the date every rule counts from; worked out once
    /// here (a time-zone lookup each time the rules asked was a tenth of a ranking's CPU).
    public let receivedOn: LocalDate
    /// The signal this one repeats, when linked as a duplicate; `nil` otherwise.
    public let duplicateOf: UUID?

    /// A signal's facts; ``receivedOn`` is worked out from `receivedAt` in Europe/Amsterdam.
    public init(id: UUID, municipalityCode: MunicipalityCode, schoolId: UUID?, category: SignalCategory, severity: SignalSeverity,
                status: SignalStatus, receivedAt: Date, duplicateOf: UUID? = nil) {
        self.id = id
        self.municipalityCode = municipalityCode
        self.schoolId = schoolId
        self.category = category
        self.severity = severity
        self.status = status
        self.receivedAt = receivedAt
        self.receivedOn = LocalDate(instant: receivedAt)
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

extension UUID {
    /// Whether `a` sorts before `b` as their `uuidString`s do, without formatting them: the text is the
    /// 16 bytes in order as fixed-width hexadecimal, so comparing the bytes gives the same order.
    /// Formatting ids inside sort comparators was the largest single cost of a ranking (perf, 1,000×).
    public static func inTextOrder(_ a: UUID, _ b: UUID) -> Bool {
        withUnsafeBytes(of: a.uuid) { x in
            withUnsafeBytes(of: b.uuid) { y in
                for i in 0..<16 where x[i] != y[i] { return x[i] < y[i] }
                return false
            }
        }
    }

    /// Whether the list `a` sorts before `b` as their texts joined without separators do (the text of
    /// every id has the same length, so this is the lexicographic order of the lists by ``inTextOrder(_:_:)``).
    public static func inTextOrder(_ a: [UUID], _ b: [UUID]) -> Bool {
        for (x, y) in zip(a, b) where x != y { return inTextOrder(x, y) }
        return a.count < b.count
    }
}
