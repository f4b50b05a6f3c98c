public import Foundation

/// A fictional but realistically proportioned dataset for demonstrations and tests.
///
/// Every school is fictional: names contain "Voorbeeld" ("example"), KvK numbers lie in
/// ``DemoDataset/fictionalKvKRange`` and `isFictional` is `true`; synthetic signals, visits and findings
/// attach only to these schools. Proportions follow the published figures in
/// `data/reference/inburgering_toezicht_figures.csv`: about 230 schools with a mark (NOS 2018: 227;
/// Blik op Werk 2019: 235), 390 signals in two years on about 100 schools (Kamerbrief 32824-261),
/// about 40 suspensions and 20 withdrawals (Blik op Werk, 2018–2020), signal categories led by
/// inducements (108 of 390) and lessons declared but not given (96 of 390) (NRC, 2020).
public struct DemoDataset: Sendable {
    /// KvK numbers `00000001`–`00099999`, the range Dubbelslot reserves for fictional schools (documented
    /// in the README). It is a convention of ours, not of the KvK: what marks a school as fictional is
    /// `isFictional`, and a name with "Voorbeeld" ("example") makes it plain to every reader.
    public static let fictionalKvKRange = 1...99_999

    /// A generated school with its branches.
    public struct DemoSchool: Sendable, Hashable {
        /// The school's id, drawn from the seeded generator.
        public let id: UUID
        /// The registered name; always contains "Voorbeeld".
        public let name: String
        /// The names the school trades under (one per demo school).
        public let tradeNames: [String]
        /// A KvK number in ``DemoDataset/fictionalKvKRange``.
        public let kvkNumber: KvKNumber
        /// The CBS code of the municipality of the school's seat.
        public let municipalityCode: MunicipalityCode
        /// The learning routes the school offers.
        public let routes: Set<Route>
        /// The school's locations (one or two), with fictional vestigingsnummers.
        public let locations: [SchoolLocation]
    }

    /// A generated signal with the transitions that led to its status.
    public struct DemoSignal: Sendable, Hashable {
        /// The signal as stored, with its final status.
        public let signal: FraudSignal
        /// `(from, to, at)`, in order; the first goes from `nil` to `received`.
        public let transitions: [Transition]
    }

    /// One status change of a signal.
    public struct Transition: Sendable, Hashable {
        /// The status before; `nil` for the first transition.
        public let from: SignalStatus?
        /// The status after.
        public let to: SignalStatus
        /// When the change was made.
        public let at: Date
        /// The fictional note recorded with the change.
        public let note: String
    }

    /// The seed the dataset was generated from; the same seed gives the same dataset.
    public let seed: UInt64
    /// The last business date of the generated history.
    public let anchor: LocalDate
    /// The fictional schools.
    public let schools: [DemoSchool]
    /// Their quality-mark decisions.
    public let decisions: [QualityMarkDecision]
    /// Their supervision visits, with fictional findings.
    public let visits: [SupervisionVisit]
    /// Their fraud signals, each with its transitions.
    public let signals: [DemoSignal]
    /// Signals an inspector would link as corroborating: same school and category, another municipality.
    public let corroborations: [SignalPair]
}
