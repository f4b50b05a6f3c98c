/// The three learning routes of the Wet inburgering 2021 (art. 7 Wet inburgering 2021).
///
/// The education route falls outside the quality mark: the education inspectorate supervises it,
/// so lock 1 is not applicable to it.
public enum Route: String, CaseIterable, Hashable, Sendable, Codable {
    case b1Route
    case educationRoute
    case zRoute

    /// Whether a Blik op Werk quality mark is required before a municipality may buy this route.
    public var needsQualityMark: Bool { self != .educationRoute }
}
