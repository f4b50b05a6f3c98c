import DubbelslotCore
@testable import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    @Suite("School search")
    struct SchoolRepositorySearchTests {
        /// Five schools: names, trade names, seats, locations and routes chosen so that each filter picks a known subset.
        private func seed(_ store: Store) async throws -> [String: School] {
            try await Fixtures.seedMunicipalities(store)
            let specs: [(Int, String, [String], Municipality, Set<Route>, [NewSchoolLocation])] = [
                (1, "Taalschool Café Nederlands", [], Fixtures.amsterdam, [.b1Route], []),
                (2, "Het Taalhuis", ["Leer-en-Werk Academie"], Fixtures.utrecht, [.zRoute], []),
                (3, "Inburgering Centrum Rotterdam", [], Fixtures.rotterdam, [.b1Route, .zRoute],
                 [NewSchoolLocation(municipalityCode: Fixtures.amsterdam.code, address: "Dam 1, Amsterdam")]),
                (4, "Ökonomische Taalschool", [], Fixtures.groningen, [.educationRoute], []),
                (5, "100% Taal_School", [], Fixtures.amstelveen, [.b1Route], []),
            ]
            var result: [String: School] = [:]
            for (n, name, tradeNames, municipality, routes, locations) in specs {
                let school = try await store.schools.create(
                    Fixtures.newSchool(n, name: name, tradeNames: tradeNames, in: municipality, routes: routes, locations: locations),
                    actor: Fixtures.actor)
                result[name] = school
            }
            return result
        }

        private func names(_ store: Store, _ query: SchoolQuery) async throws -> [String] {
            try await store.schools.search(query).schools.map(\.name)
        }

        @Test("search folds every Latin letter as matching and the name keys do (LatinFolding)")
        func oneFold() async throws {
            try await withTestDatabase { store, _ in
                let letters = LatinFolding.table.keys.sorted { $0.value < $1.value }.map { String($0) }
                let rows = try await store.client.query("SELECT c, fold_text(c) FROM unnest(\(letters)::text[]) AS c", logger: TestLogging.logger)
                var differences: [String] = []
                for try await (letter, folded) in rows.decode((String, String).self) where folded != LatinFolding.fold(letter) {
                    differences.append("\(letter)→\(folded)≠\(LatinFolding.fold(letter))")
                }
                #expect(differences.isEmpty, "\(differences.count): \(differences.joined(separator: " "))")
                // The issue's case: the registered name is found by the plain spelling, and the other way round.
                try await Fixtures.seedMunicipalities(store)
                _ = try await store.schools.create(Fixtures.newSchool(7, name: "Taalhuis Yıldız Kılıç B.V.", in: Fixtures.amsterdam),
                                                   actor: Fixtures.actor)
                #expect(try await names(store, SchoolQuery(text: "Yildiz Kilic")) == ["Taalhuis Yıldız Kılıç B.V."])
                #expect(try await names(store, SchoolQuery(text: "Yıldız")) == ["Taalhuis Yıldız Kılıç B.V."])
            }
        }

        @Test("the exact name comes first however many names contain the text, and paging goes through all of them once")
        func relevance() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                // Thirty names that contain "Taalhuis" and sort before it, one that is it, one that starts with it.
                for n in 1...30 {
                    _ = try await store.schools.create(Fixtures.newSchool(100 + n, name: "Aan Het Taalhuis Voorbeeld \(n)", in: Fixtures.amsterdam),
                                                       actor: Fixtures.actor)
                }
                _ = try await store.schools.create(Fixtures.newSchool(200, name: "Taalhuis", in: Fixtures.amsterdam), actor: Fixtures.actor)
                _ = try await store.schools.create(Fixtures.newSchool(201, name: "Taalhuis Zuid", in: Fixtures.amsterdam), actor: Fixtures.actor)
                let first = try await store.schools.search(SchoolQuery(text: "taalhuis", limit: 25))
                #expect(first.schools.prefix(2).map(\.name) == ["Taalhuis", "Taalhuis Zuid"])
                var seen = first.schools.map(\.id)
                var cursor = first.nextCursor
                while let after = cursor {
                    let page = try await store.schools.search(SchoolQuery(text: "taalhuis", after: after, limit: 25))
                    seen += page.schools.map(\.id)
                    cursor = page.nextCursor
                }
                #expect(seen.count == 32 && Set(seen).count == 32)
            }
        }

        @Test("q matches name and trade names as a substring, ignoring case and diacritics")
        func text() async throws {
            try await withTestDatabase { store, _ in
                _ = try await seed(store)
                #expect(try await names(store, SchoolQuery(text: "CAFE")) == ["Taalschool Café Nederlands"])
                #expect(try await names(store, SchoolQuery(text: "okonomische")) == ["Ökonomische Taalschool"])
                #expect(try await names(store, SchoolQuery(text: "werk academie")) == ["Het Taalhuis"])
                #expect(try await names(store, SchoolQuery(text: "muziekschool")) == [])
                #expect(try await names(store, SchoolQuery(text: "leer-en-werk")) == ["Het Taalhuis"])
                // Most relevant first: starts with the text, contains it, only a similar word.
                #expect(try await names(store, SchoolQuery(text: "taalschool")) == ["Taalschool Café Nederlands", "Ökonomische Taalschool", "100% Taal_School"])
            }
        }

        @Test("q tolerates a typo through trigram word similarity")
        func typo() async throws {
            try await withTestDatabase { store, _ in
                _ = try await seed(store)
                #expect(try await names(store, SchoolQuery(text: "Inburgerng")) == ["Inburgering Centrum Rotterdam"])
            }
        }

        @Test("LIKE wildcards in q are taken literally")
        func wildcards() async throws {
            try await withTestDatabase { store, _ in
                _ = try await seed(store)
                #expect(try await names(store, SchoolQuery(text: "100%")) == ["100% Taal_School"])
                #expect(try await names(store, SchoolQuery(text: "l_s")) == ["100% Taal_School"])
                #expect(SchoolRepository.likeEscaped(#"a%b_c\d"#) == #"a\%b\_c\\d"#)
            }
        }

        @Test("filters by KvK number, municipality (seat or location) and route, combined")
        func filters() async throws {
            try await withTestDatabase { store, _ in
                let schools = try await seed(store)
                #expect(try await names(store, SchoolQuery(kvkNumber: Fixtures.kvk(2))) == ["Het Taalhuis"])
                #expect(try await names(store, SchoolQuery(kvkNumber: Fixtures.kvk(99))) == [])
                #expect(try await names(store, SchoolQuery(municipality: Fixtures.amsterdam.code))
                        == ["Inburgering Centrum Rotterdam", "Taalschool Café Nederlands"])
                #expect(try await names(store, SchoolQuery(route: .zRoute)) == ["Het Taalhuis", "Inburgering Centrum Rotterdam"])
                #expect(try await names(store, SchoolQuery(municipality: Fixtures.amsterdam.code, route: .zRoute)) == ["Inburgering Centrum Rotterdam"])
                #expect(try await names(store, SchoolQuery(text: "taal", route: .educationRoute)) == ["Ökonomische Taalschool"])
                let found = try await store.schools.search(SchoolQuery(municipality: Fixtures.amsterdam.code)).schools
                #expect(found.first { $0.name == "Inburgering Centrum Rotterdam" } == schools["Inburgering Centrum Rotterdam"])
            }
        }

        @Test("pages follow (name, id) with a cursor until the last page")
        func pagination() async throws {
            try await withTestDatabase { store, _ in
                let schools = try await seed(store)
                let expected = schools.values.sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }.map(\.name)
                var seen: [String] = []
                var cursor: UUID?
                var pages = 0
                repeat {
                    let page = try await store.schools.search(SchoolQuery(after: cursor, limit: 2))
                    #expect(page.schools.count <= 2)
                    seen += page.schools.map(\.name)
                    cursor = page.nextCursor
                    pages += 1
                } while cursor != nil && pages < 10
                #expect(pages == 3)
                #expect(seen == expected)
                #expect(try await store.schools.search(SchoolQuery(after: UUID())).schools.isEmpty)
            }
        }

        @Test("the limit is clamped to 1...200")
        func limits() async throws {
            try await withTestDatabase { store, _ in
                _ = try await seed(store)
                #expect(try await store.schools.search(SchoolQuery(limit: 0)).schools.count == 1)
                #expect(try await store.schools.search(SchoolQuery(limit: 10_000)).schools.count == 5)
            }
        }
    }
}

extension StoreTests {
    @Suite("School search statement")
    struct SchoolRepositorySearchStatementTests {
        @Test("one fixed statement whatever the filters, values only as binds")
        func fixedStatement() {
            let none = SchoolRepository.searchQuery(SchoolQuery(), limit: 50)
            let all = SchoolRepository.searchQuery(
                SchoolQuery(text: "x'; DROP TABLE schools; --", kvkNumber: Fixtures.kvk(1), municipality: Fixtures.amsterdam.code,
                            route: .zRoute, after: UUID(), limit: 10),
                limit: 10)
            #expect(none.sql == all.sql)
            #expect(none.binds.count == all.binds.count)
            #expect(none.binds.count == 16)
            #expect(!all.sql.contains("DROP"))
        }
    }
}
