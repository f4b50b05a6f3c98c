/// The three learning routes of the Wet inburgering 2021 (art. 7 Wet inburgering 2021).
///
/// The education route falls outside the quality mark: the education inspectorate supervises it,
/// so lock 1 is not applicable to it.
public enum Route: String, CaseIterable, Hashable, Sendable, Codable {
    /// The B1 route, towards Dutch at level B1; needs a quality mark.
    case b1Route
    /// The education route: supervised by the education inspectorate, outside the quality mark.
    case educationRoute
    /// The Z route (zelfredzaamheidsroute), for learners for whom the B1 route is not feasible; needs a quality mark.
    case zRoute

    /// Whether a Blik op Werk quality mark is required before a municipality may buy this route.
    public var needsQualityMark: Bool { self != .educationRoute }
}
