import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Testing

extension StoreTests {
    @Suite("MunicipalityRepository")
    struct MunicipalityRepositoryTests {
        @Test("upsert counts inserted, updated and unchanged; list is ordered by code")
        func upsertAndList() async throws {
            try await withTestDatabase { store, _ in
                let first = try await store.municipalities.upsert(Fixtures.all, actor: Fixtures.actor)
                #expect(first == ImportSummary(inserted: 5, updated: 0, unchanged: 0))

                let again = try await store.municipalities.upsert(Fixtures.all, actor: Fixtures.actor)
                #expect(again == ImportSummary(inserted: 0, updated: 0, unchanged: 5))

                let renamed = Municipality(code: Fixtures.utrecht.code, name: "Utrecht (gemeente)", provinceCode: Fixtures.utrecht.provinceCode,
                                           provinceName: "Utrecht", labourMarketRegion: "AM30")
                let changed = try await store.municipalities.upsert(Fixtures.all.filter { $0 != Fixtures.utrecht } + [renamed], actor: Fixtures.actor)
                #expect(changed == ImportSummary(inserted: 0, updated: 1, unchanged: 4))

                let list = try await store.municipalities.list()
                #expect(list.map(\.code.rawValue) == ["GM0014", "GM0344", "GM0362", "GM0363", "GM0599"])
                #expect(list.first { $0.code == Fixtures.utrecht.code } == renamed)
            }
        }

        @Test("get returns the municipality, or nil for an unknown code")
        func get() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                #expect(try await store.municipalities.get(Fixtures.amsterdam.code) == Fixtures.amsterdam)
                #expect(try await store.municipalities.get(MunicipalityCode("GM9999")!) == nil)
            }
        }
    }
}
