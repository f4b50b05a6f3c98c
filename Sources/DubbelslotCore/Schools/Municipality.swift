/// A Dutch municipality (gemeente) as CBS defines it for a given year.
///
/// Source of the reference set: `data/reference/gemeenten_2025.csv` (CBS/PDOK gebiedsindeling 2025, 342 rows).
public struct Municipality: Hashable, Sendable {
    public let code: MunicipalityCode
    public let name: String
    public let provinceCode: ProvinceCode
    public let provinceName: String
    /// The labour-market region (arbeidsmarktregio, `AMnn`) where known; the 2025 table has none yet.
    public let labourMarketRegion: String?

    public init(code: MunicipalityCode, name: String, provinceCode: ProvinceCode, provinceName: String, labourMarketRegion: String? = nil) {
        self.code = code
        self.name = name
        self.provinceCode = provinceCode
        self.provinceName = provinceName
        self.labourMarketRegion = labourMarketRegion
    }
}
