import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import HTTPTypes
import Testing

extension APITests {
    /// `/v1/schools`: the happy paths, filters and cursor pagination.
    @Suite struct APIImplementationSchoolsTests {
        @Test func registersASchoolAndReadsItBack() async throws {
            try await withAPI { api in
                // Call
                let created = try await api.post("/v1/schools", as: .admin, json: APIFixtures.json(APIFixtures.newSchoolBody(901)))
                // Checks: 201 with the server's ids, never fictional, routes sorted.
                #expect(created.status == .created, "\(created.text)")
                let school = try created.json(Components.Schemas.School.self)
                #expect(UUID(uuidString: school.id) != nil)
                #expect(school.name == "Taalschool Voorbeeld 901 B.V.")
                #expect(school.kvkNumber == "00000901")
                #expect(school.municipalityCode == "GM0363")
                #expect(school.routes == [.b1Route, .zRoute])
                #expect(school.tradeNames == ["Voorbeeld Taal 901"])
                #expect(school.isFictional == false)
                #expect(school.locations.count == 1)
                #expect(school.locations.first?.municipalityCode == "GM0362")
                #expect(school.locations.first?.vestigingsnummer == "000000000901")

                let read = try await api.get("/v1/schools/\(school.id)", as: .buyer)
                #expect(read.status == .ok)
                #expect(try read.json(Components.Schemas.School.self) == school)

                // An inspector may register schools too.
                let second = try await api.post("/v1/schools", as: .inspector, json: APIFixtures.json(APIFixtures.newSchoolBody(902)))
                #expect(second.status == .created, "\(second.text)")
                #expect(try await api.count("schools") == 2)
            }
        }

        @Test func filtersSchools() async throws {
            try await withAPI { api in
                // Setup: four fictional schools over three municipalities.
                let s901 = try await APIFixtures.school(api.store, 901, tradeNames: ["Leerhuis Noord"], routes: [.b1Route, .zRoute])
                let s902 = try await APIFixtures.school(api.store, 902, in: APIFixtures.rotterdam, routes: [.educationRoute],
                                                        locationsIn: [APIFixtures.amsterdam])
                let s903 = try await APIFixtures.school(api.store, 903, in: APIFixtures.utrecht, routes: [.b1Route])
                let s904 = try await APIFixtures.school(api.store, 904, name: "Inburgering Centrum Ëxempel B.V.", in: APIFixtures.rotterdam,
                                                        routes: [.zRoute])

                func ids(_ query: String) async throws -> [UUID] {
                    let reply = try await api.get("/v1/schools\(query)", as: .buyer)
                    #expect(reply.status == .ok, "\(query): \(reply.text)")
                    return try reply.json(Components.Schemas.SchoolPage.self).items.map { UUID(uuidString: $0.id)! }
                }
                // Sorted by name: "Inburgering…" before "Taalschool…".
                #expect(try await ids("") == [s904.id, s901.id, s902.id, s903.id])
                #expect(try await ids("?q=VOORBEELD") == [s901.id, s902.id, s903.id])
                #expect(try await ids("?q=leerhuis") == [s901.id])
                #expect(try await ids("?q=exempel") == [s904.id])
                #expect(try await ids("?kvkNumber=00050902") == [s902.id])
                #expect(try await ids("?kvkNumber=12345678") == [])
                // Seat or any location in the municipality.
                #expect(try await ids("?municipality=GM0363") == [s901.id, s902.id])
                #expect(try await ids("?municipality=GM0599") == [s904.id, s902.id])
                #expect(try await ids("?route=educationRoute") == [s902.id])
                #expect(try await ids("?route=b1Route&municipality=GM0363") == [s901.id])
                #expect(try await ids("?q=voorbeeld&route=b1Route") == [s901.id, s903.id])
            }
        }

        @Test func paginatesWithoutDuplicatesOrGaps() async throws {
            try await withAPI { api in
                // Setup: 11 schools, created out of name order; 8 in Amsterdam, 3 (903, 906, 909) in Rotterdam.
                var all: [School] = []
                for n in [907, 902, 911, 901, 905, 910, 903, 909, 904, 908, 906] {
                    let seat = n.isMultiple(of: 3) ? APIFixtures.rotterdam : APIFixtures.amsterdam
                    all.append(try await APIFixtures.school(api.store, n, in: seat))
                }
                func walk(_ filter: String, limit: Int) async throws -> (ids: [UUID], pages: Int) {
                    var ids: [UUID] = []
                    var cursor: String?
                    var pages = 0
                    repeat {
                        let query = "?limit=\(limit)\(filter)" + (cursor.map { "&cursor=\($0)" } ?? "")
                        let reply = try await api.get("/v1/schools\(query)", as: .inspector)
                        #expect(reply.status == .ok, "\(query): \(reply.text)")
                        let page = try reply.json(Components.Schemas.SchoolPage.self)
                        #expect(page.items.count <= limit)
                        ids += page.items.map { UUID(uuidString: $0.id)! }
                        cursor = page.nextCursor
                        pages += 1
                    } while cursor != nil && pages < 20
                    return (ids, pages)
                }
                let everything = try await walk("", limit: 4)
                let expected = all.sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }.map(\.id)
                #expect(everything.ids == expected)
                #expect(Set(everything.ids).count == everything.ids.count)
                #expect(everything.pages == 3)

                let amsterdam = try await walk("&municipality=GM0363", limit: 3)
                let expectedAmsterdam = all.filter { $0.municipalityCode == APIFixtures.amsterdam.code }
                    .sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }.map(\.id)
                #expect(expectedAmsterdam.count == 8)
                #expect(amsterdam.ids == expectedAmsterdam)
                #expect(amsterdam.pages == 3)

                // A page exactly full at the end: no empty extra page, no cursor.
                let exact = try await walk("", limit: 11)
                #expect(exact.ids == expected)
                #expect(exact.pages == 1)
            }
        }

        @Test func unknownOrMalformedSchoolIdIsNotFound() async throws {
            try await withAPI { api in
                for path in ["/v1/schools/\(UUID().text)", "/v1/schools/not-a-uuid", "/v1/schools/\(UUID().text)/overview",
                             "/v1/schools/\(UUID().text)/visits", "/v1/schools/\(UUID().text)/quality-mark-decisions",
                             "/v1/visits/\(UUID().text)", "/v1/visits/12345", "/v1/signals/\(UUID().text)", "/v1/signals/x"] {
                    try expectProblem(try await api.get(path, as: .inspector), 404, "not-found")
                }
                // Writes to an unknown school write nothing.
                let before = try await api.writableCounts()
                let today = APIFixtures.today
                try expectProblem(try await api.post("/v1/schools/\(UUID().text)/quality-mark-decisions", as: .inspector,
                                                     json: APIFixtures.json(APIFixtures.newDecisionBody(from: today, until: nil))), 404, "not-found")
                try expectProblem(try await api.post("/v1/schools/not-a-uuid/visits", as: .inspector,
                                                     json: APIFixtures.json(APIFixtures.newVisitBody(on: today))), 404, "not-found")
                #expect(try await api.writableCounts() == before)
            }
        }
    }
}
