/// How far a grant of the access policy reaches (docs/decisions/0011-one-access-policy-and-signal-visibility.md).
///
/// A role is granted an operation *with* a scope; the same scope then filters every row and every
/// count that operation returns, so that a list, a count and an export of the same thing can never
/// disagree about what the caller may see.
public enum AccessScope: String, Sendable, Hashable, CaseIterable {
    /// Records of the caller's own municipality (the municipality of its token).
    case ownMunicipality
    /// Records of the municipalities in the caller's labour-market region (arbeidsmarktregio, UWV's
    /// 35 regions); where the caller's region is not known, its own municipality only.
    case ownRegion
    /// Every record.
    case all
}

/// The municipalities whose records a request may see, resolved from an ``AccessScope`` and the
/// caller's municipality.
public enum MunicipalityScope: Sendable, Hashable {
    /// No restriction.
    case all
    /// Only these municipalities; an empty set sees nothing.
    case only(Set<MunicipalityCode>)

    /// Whether a record of `code` is visible.
    public func contains(_ code: MunicipalityCode) -> Bool {
        switch self {
        case .all: true
        case .only(let codes): codes.contains(code)
        }
    }

    /// The codes as sorted text, for a SQL `= ANY($1)` filter; `nil` for ``all`` (no filter).
    public var codeTexts: [String]? {
        switch self {
        case .all: nil
        case .only(let codes): codes.map(\.rawValue).sorted()
        }
    }
}
