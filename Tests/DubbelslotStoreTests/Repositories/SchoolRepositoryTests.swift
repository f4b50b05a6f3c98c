import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    @Suite("SchoolRepository")
    struct SchoolRepositoryTests {
        @Test("create then get returns the same school with its locations")
        func roundTrip() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let new = Fixtures.newSchool(
                    7, tradeNames: ["Leer Snel Nederlands"], routes: [.b1Route, .educationRoute],
                    locations: [
                        NewSchoolLocation(vestigingsnummer: Fixtures.vestiging(2), municipalityCode: Fixtures.amstelveen.code, address: "Stationsplein 2, Amstelveen"),
                        NewSchoolLocation(municipalityCode: Fixtures.amsterdam.code, address: "Voorbeeldstraat 1, Amsterdam"),
                    ])
                let created = try await store.schools.create(new, actor: Fixtures.actor)

                #expect(created.name == new.name)
                #expect(created.tradeNames == ["Leer Snel Nederlands"])
                #expect(created.kvkNumber == new.kvkNumber)
                #expect(created.municipalityCode == Fixtures.amsterdam.code)
                #expect(created.routes == [.b1Route, .educationRoute])
                #expect(created.isFictional)
                #expect(created.locations.map(\.address) == ["Stationsplein 2, Amstelveen", "Voorbeeldstraat 1, Amsterdam"])
                #expect(created.locations[0].vestigingsnummer == Fixtures.vestiging(2))
                #expect(created.locations[1].vestigingsnummer == nil)
                #expect(try await store.schools.get(created.id) == created)
                #expect(try await store.schools.get(UUID()) == nil)
            }
        }

        @Test("a KvK number already taken is a duplicate on field kvkNumber, and nothing is written")
        func duplicateKvK() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                _ = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let again = Fixtures.newSchool(1, name: "Andere Naam",
                                               locations: [NewSchoolLocation(municipalityCode: Fixtures.amsterdam.code, address: "Elders 1")])
                let error = await storeError { _ = try await store.schools.create(again, actor: Fixtures.actor) }
                #expect(error == .duplicate(field: "kvkNumber"))
                let locations = try await execute(client, "SELECT count(*)::int8 FROM school_locations")[0].decode(Int.self)
                #expect(locations == 0)
            }
        }

        @Test("a vestigingsnummer already taken is a duplicate on field vestigingsnummer")
        func duplicateVestigingsnummer() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let location = NewSchoolLocation(vestigingsnummer: Fixtures.vestiging(1), municipalityCode: Fixtures.amsterdam.code, address: "A 1")
                _ = try await store.schools.create(Fixtures.newSchool(1, locations: [location]), actor: Fixtures.actor)
                let error = await storeError { _ = try await store.schools.create(Fixtures.newSchool(2, locations: [location]), actor: Fixtures.actor) }
                #expect(error == .duplicate(field: "vestigingsnummer"))
            }
        }

        @Test("an unknown municipality is an unknown reference on field municipalityCode")
        func unknownMunicipality() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let error = await storeError {
                    _ = try await store.schools.create(Fixtures.newSchool(1, in: Fixtures.municipality("GM9999", "Nergens", "PV27", "Noord-Holland")),
                                                       actor: Fixtures.actor)
                }
                #expect(error?.kind == .unknownReference)
                #expect(error?.field == "municipalityCode")
            }
        }

        @Test("upsert by KvK number counts inserted, updated and unchanged schools")
        func upsert() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let location = NewSchoolLocation(vestigingsnummer: Fixtures.vestiging(1), municipalityCode: Fixtures.amsterdam.code, address: "A 1")
                let schools = [Fixtures.newSchool(1, locations: [location]), Fixtures.newSchool(2), Fixtures.newSchool(3)]
                #expect(try await store.schools.upsert(schools, actor: Fixtures.actor) == ImportSummary(inserted: 3, updated: 0, unchanged: 0))
                #expect(try await store.schools.upsert(schools, actor: Fixtures.actor) == ImportSummary(inserted: 0, updated: 0, unchanged: 3))

                var renamed = schools[1]
                renamed.name = "Hernoemde Taalschool"
                var moved = schools[0]
                moved.locations = [NewSchoolLocation(vestigingsnummer: Fixtures.vestiging(1), municipalityCode: Fixtures.amsterdam.code, address: "B 2"),
                                   NewSchoolLocation(municipalityCode: Fixtures.utrecht.code, address: "Domplein 1")]
                let summary = try await store.schools.upsert([moved, renamed, schools[2], Fixtures.newSchool(4)], actor: Fixtures.actor)
                #expect(summary == ImportSummary(inserted: 1, updated: 2, unchanged: 1))

                let page = try await store.schools.search(SchoolQuery(kvkNumber: Fixtures.kvk(1)))
                #expect(page.schools.first?.locations.map(\.address) == ["B 2", "Domplein 1"])
                let byName = try await store.schools.search(SchoolQuery(kvkNumber: Fixtures.kvk(2)))
                #expect(byName.schools.first?.name == "Hernoemde Taalschool")
            }
        }

        @Test("upsert refuses a vestigingsnummer of another school, and writes nothing")
        func upsertForeignLocation() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let location = NewSchoolLocation(vestigingsnummer: Fixtures.vestiging(1), municipalityCode: Fixtures.amsterdam.code, address: "A 1")
                _ = try await store.schools.create(Fixtures.newSchool(1, locations: [location]), actor: Fixtures.actor)
                let error = await storeError {
                    _ = try await store.schools.upsert([Fixtures.newSchool(5), Fixtures.newSchool(2, locations: [location])], actor: Fixtures.actor)
                }
                #expect(error == .duplicate(field: "vestigingsnummer"))
                #expect(try await store.schools.search(SchoolQuery(kvkNumber: Fixtures.kvk(5))).schools.isEmpty)
            }
        }

        @Test("inProvince(of:): the municipality's schools first, then the rest of the province, by seat or location")
        func inProvince() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let inAmsterdam = try await store.schools.create(Fixtures.newSchool(1, name: "Zuid School"), actor: Fixtures.actor)
                let inAmstelveen = try await store.schools.create(Fixtures.newSchool(2, name: "Aa School", in: Fixtures.amstelveen), actor: Fixtures.actor)
                let branchInAmsterdam = try await store.schools.create(
                    Fixtures.newSchool(3, name: "Utrechtse School", in: Fixtures.utrecht,
                                       locations: [NewSchoolLocation(municipalityCode: Fixtures.amsterdam.code, address: "Dam 1")]),
                    actor: Fixtures.actor)
                _ = try await store.schools.create(Fixtures.newSchool(4, name: "Rotterdamse School", in: Fixtures.rotterdam), actor: Fixtures.actor)

                let inProvince = try await store.schools.inProvince(of: Fixtures.amsterdam.code)
                #expect(inProvince.map(\.id) == [branchInAmsterdam.id, inAmsterdam.id, inAmstelveen.id])
                #expect(try await store.schools.inProvince(of: MunicipalityCode("GM9999")!).isEmpty)
            }
        }
    }
}
