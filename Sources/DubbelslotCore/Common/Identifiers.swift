public import Foundation

/// A Chamber of Commerce (KvK) number: exactly 8 ASCII digits, leading zeros significant.
///
/// Always a string, never an integer (source: KvK Handelsregister, "KvK-nummer").
/// Fictional demo schools use the range `00000001`–`00099999`, which Dubbelslot reserves for them (README).
public struct KvKNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 8 digits.
    public let rawValue: String

    /// - Returns: `nil` unless `text` is exactly 8 ASCII digits.
    public init?(_ text: String) {
        guard text.utf8.count == 8, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        self.rawValue = text
    }

    /// The 8 digits.
    public var description: String { rawValue }
    /// Orders by the digits, as text.
    public static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }

    /// The rule a KvK number must meet, as quoted in validation errors.
    public static let rule = "must be exactly 8 digits (KvK number)"
}

/// A KvK branch number (vestigingsnummer): exactly 12 ASCII digits, leading zeros significant.
public struct Vestigingsnummer: Hashable, Sendable, CustomStringConvertible {
    /// The 12 digits.
    public let rawValue: String

    /// - Returns: `nil` unless `text` is exactly 12 ASCII digits.
    public init?(_ text: String) {
        guard text.utf8.count == 12, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        self.rawValue = text
    }

    /// The 12 digits.
    public var description: String { rawValue }

    /// The rule a vestigingsnummer must meet, as quoted in validation errors.
    public static let rule = "must be exactly 12 digits (KvK vestigingsnummer)"
}

/// A CBS municipality code: `GM` followed by 4 digits, for example `GM0363` (Amsterdam).
///
/// Source: CBS "Gebieden in Nederland"; codes end when municipalities merge.
public struct MunicipalityCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `GM` and the 4 digits.
    public let rawValue: String

    /// - Returns: `nil` unless `text` is `GM` plus exactly 4 ASCII digits.
    public init?(_ text: String) {
        let u = Array(text.utf8)
        guard u.count == 6, u[0] == UInt8(ascii: "G"), u[1] == UInt8(ascii: "M"),
            u[2...].allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return nil }
        self.rawValue = text
    }

    /// `GM` and the 4 digits.
    public var description: String { rawValue }
    /// Orders by the code, as text.
    public static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }

    /// The rule a municipality code must meet, as quoted in validation errors.
    public static let rule = "must be GM followed by 4 digits (CBS municipality code, e.g. GM0363)"
}

/// A CBS province code: `PV` followed by 2 digits (PV20 Groningen … PV31 Limburg).
public struct ProvinceCode: Hashable, Sendable, CustomStringConvertible {
    /// `PV` and the 2 digits.
    public let rawValue: String

    /// - Returns: `nil` unless `text` is `PV` plus exactly 2 ASCII digits.
    public init?(_ text: String) {
        let u = Array(text.utf8)
        guard u.count == 4, u[0] == UInt8(ascii: "P"), u[1] == UInt8(ascii: "V"),
            u[2...].allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return nil }
        self.rawValue = text
    }

    /// `PV` and the 2 digits.
    public var description: String { rawValue }

    /// The rule a province code must meet, as quoted in validation errors.
    public static let rule = "must be PV followed by 2 digits (CBS province code)"
}

extension UUID {
    /// The UUID `text` spells, or `nil`: exactly 36 characters of hex digits and hyphens in the
    /// 8-4-4-4-12 form (RFC 9562 §4). Foundation's `UUID(uuidString:)` reads its argument as a C
    /// string and so accepts anything after a NUL byte (`…-855da75fe755\0garbage`); this does not.
    public init?(strict text: String) {
        let utf8 = text.utf8
        guard utf8.count == 36,
              utf8.enumerated().allSatisfy({ i, b in
                  [8, 13, 18, 23].contains(i) ? b == UInt8(ascii: "-")
                      : (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)
              })
        else { return nil }
        self.init(uuidString: text)
    }
}
