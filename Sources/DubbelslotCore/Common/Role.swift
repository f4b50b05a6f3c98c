/// The roles a token can carry (shared/DESIGN.md, "Roles and what each may see").
public enum Role: String, CaseIterable, Hashable, Sendable, Codable {
    /// A municipality's buyer: reads schools and overviews.
    case buyer
    /// A municipality's signaller: reports signals for its own municipality, reads its own in full.
    case signaller
    /// A quality-mark inspector: records decisions and visits, triages signals, reads all signals.
    case inspector
    /// The inspectorate's analyst: reads everything, writes nothing but notes.
    case analyst
    /// Manages organisations, tokens and imports.
    case admin

    /// Whether a token of this role must name a municipality (buyers and signallers act for one).
    public var needsMunicipality: Bool { self == .buyer || self == .signaller }
}
