/// A Dutch municipality (gemeente) as CBS defines it for a given year.
///
/// Source of the reference set: `data/reference/gemeenten_2025.csv` (CBS/PDOK gebiedsindeling 2025, 342 rows).
public struct Municipality: Hashable, Sendable {
    /// The CBS municipality code, `GM` and four digits.
    public let code: MunicipalityCode
    /// The municipality's name as CBS spells it.
    public let name: String
    /// The CBS province code, `PV` and two digits.
    public let provinceCode: ProvinceCode
    /// The province's name as CBS spells it.
    public let provinceName: String
    /// The labour-market region (arbeidsmarktregio, `AMnn`) where known; the 2025 table has none yet.
    public let labourMarketRegion: String?

    /// A municipality as the reference table gives it.
    public init(code: MunicipalityCode, name: String, provinceCode: ProvinceCode, provinceName: String, labourMarketRegion: String? = nil) {
        self.code = code
        self.name = name
        self.provinceCode = provinceCode
        self.provinceName = provinceName
        self.labourMarketRegion = labourMarketRegion
    }
}
