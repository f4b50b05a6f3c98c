/// A Chamber of Commerce (KvK) number: exactly 8 ASCII digits, leading zeros significant.
///
/// Always a string, never an integer (source: KvK Handelsregister, "KvK-nummer").
/// Fictional demo schools use the range `00000001`–`00099999`, which Dubbelslot reserves for them (README).
public struct KvKNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// - Returns: `nil` unless `text` is exactly 8 ASCII digits.
    public init?(_ text: String) {
        guard text.utf8.count == 8, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        self.rawValue = text
    }

    public var description: String { rawValue }
    public static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }

    /// The rule a KvK number must meet, as quoted in validation errors.
    public static let rule = "must be exactly 8 digits (KvK number)"
}

/// A KvK branch number (vestigingsnummer): exactly 12 ASCII digits, leading zeros significant.
public struct Vestigingsnummer: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// - Returns: `nil` unless `text` is exactly 12 ASCII digits.
    public init?(_ text: String) {
        guard text.utf8.count == 12, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        self.rawValue = text
    }

    public var description: String { rawValue }

    /// The rule a vestigingsnummer must meet, as quoted in validation errors.
    public static let rule = "must be exactly 12 digits (KvK vestigingsnummer)"
}

/// A CBS municipality code: `GM` followed by 4 digits, for example `GM0363` (Amsterdam).
///
/// Source: CBS "Gebieden in Nederland"; codes end when municipalities merge.
public struct MunicipalityCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// - Returns: `nil` unless `text` is `GM` plus exactly 4 ASCII digits.
    public init?(_ text: String) {
        let u = Array(text.utf8)
        guard u.count == 6, u[0] == UInt8(ascii: "G"), u[1] == UInt8(ascii: "M"),
            u[2...].allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return nil }
        self.rawValue = text
    }

    public var description: String { rawValue }
    public static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }

    /// The rule a municipality code must meet, as quoted in validation errors.
    public static let rule = "must be GM followed by 4 digits (CBS municipality code, e.g. GM0363)"
}

/// A CBS province code: `PV` followed by 2 digits (PV20 Groningen … PV31 Limburg).
public struct ProvinceCode: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// - Returns: `nil` unless `text` is `PV` plus exactly 2 ASCII digits.
    public init?(_ text: String) {
        let u = Array(text.utf8)
        guard u.count == 4, u[0] == UInt8(ascii: "P"), u[1] == UInt8(ascii: "V"),
            u[2...].allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return nil }
        self.rawValue = text
    }

    public var description: String { rawValue }

    /// The rule a province code must meet, as quoted in validation errors.
    public static let rule = "must be PV followed by 2 digits (CBS province code)"
}
