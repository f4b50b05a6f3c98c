import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    /// Matching the school (docs/decisions/0009-matching-signals-to-schools.md): identifiers first, then normalised names
    /// by pg_trgm similarity.
    @Suite("Signal matching")
    struct SignalRepositoryMatchingTests {
        /// A register with the issue's names and some near misses.
        static func register(_ store: Store) async throws -> [String: School] {
            try await Fixtures.seedMunicipalities(store)
            var schools: [String: School] = [:]
            let entries: [(Int, String, [String], Municipality)] = [
                (1, "Taalschool 't Hooft B.V.", [], Fixtures.amsterdam),
                (2, "IJsselschool", [], Fixtures.utrecht),
                (3, "Café Taal", ["Taalcafé Noord"], Fixtures.rotterdam),
                (4, "Stichting Taalhuis Oost", ["De Taalbrug"], Fixtures.groningen),
                (5, "Taalschool Hoofddorp B.V.", [], Fixtures.amstelveen),
            ]
            for (n, name, tradeNames, municipality) in entries {
                schools[name] = try await store.schools.create(Fixtures.newSchool(n, name: name, tradeNames: tradeNames, in: municipality),
                                                               actor: Fixtures.actor)
            }
            return schools
        }

        static func report(_ store: Store, name: String, place: String? = nil, kvk: KvKNumber? = nil) async throws -> FraudSignal {
            var new = Fixtures.newSignal(kvk: kvk)
            new.reportedSchoolName = name
            new.reportedPlace = place
            return try await store.signals.record(new, actor: "signaller:1")
        }

        @Test("the issue's names are found from the way a municipality writes them", arguments: [
            ("taalschool t hooft bv", "Taalschool 't Hooft B.V."),
            ("Ĳsselschool", "IJsselschool"),
            ("Cafe Taal", "Café Taal"),
            ("TAALCAFE NOORD", "Café Taal"),  // a trade name
            ("taalhuis oost", "Stichting Taalhuis Oost"),
            ("Taalschool t Hoft", "Taalschool 't Hooft B.V."),  // a typo: similar, not equal
        ])
        func found(reported: String, registered: String) async throws {
            try await withTestDatabase { store, _ in
                let schools = try await Self.register(store)
                let signal = try await Self.report(store, name: reported)
                #expect(signal.schoolId == nil, "unmatched until an inspector links it")
                let candidates = try await store.signals.candidates(for: signal.id)
                #expect(candidates.first?.school.id == schools[registered]?.id, "\(candidates.map { ($0.school.name, $0.score) })")
                #expect(candidates.first?.features == [.name])
                #expect(candidates.allSatisfy { $0.score >= SignalRepository.nameSimilarityThreshold && $0.score <= 1 })
                #expect(candidates.map(\.score) == candidates.map(\.score).sorted(by: >))
            }
        }

        @Test("exact normalised names score 1; a similar name scores less")
        func scores() async throws {
            try await withTestDatabase { store, _ in
                _ = try await Self.register(store)
                let exact = try await store.signals.candidates(for: try await Self.report(store, name: "taalschool t hooft bv").id)
                #expect(exact.first?.score == 1)
                let typo = try await store.signals.candidates(for: try await Self.report(store, name: "Taalschool t Hoft").id)
                #expect((typo.first?.score ?? 1) < 1)
            }
        }

        @Test("a name only in Arabic script, or only a legal form, matches nothing", arguments: ["مدرسة اللغة الهولندية", "B.V.", "  "])
        func nothingMatches(reported: String) async throws {
            try await withTestDatabase { store, _ in
                _ = try await Self.register(store)
                var new = Fixtures.newSignal()
                new.reportedSchoolName = reported.trimmingCharacters(in: .whitespaces).isEmpty ? "-" : reported
                let signal = try await store.signals.record(new, actor: "signaller:1")
                #expect(try await store.signals.candidates(for: signal.id).isEmpty)
            }
        }

        @Test("identifiers come first: a KvK match is the only candidate, name and place added when they agree")
        func identifiersFirst() async throws {
            try await withTestDatabase { store, _ in
                let schools = try await Self.register(store)
                let hooft = schools["Taalschool 't Hooft B.V."]!
                // The KvK number of 't Hooft, reported under another school's name: the identifier wins.
                let wrongName = try await Self.report(store, name: "IJsselschool", kvk: hooft.kvkNumber)
                #expect(wrongName.schoolId == hooft.id, "linked at intake")
                let byKvk = try await store.signals.candidates(for: wrongName.id)
                #expect(byKvk.map(\.school.id) == [hooft.id])
                #expect(byKvk.first?.features == [.kvkNumber] && byKvk.first?.score == 1)
                let agreeing = try await Self.report(store, name: "Taalschool 't Hooft", place: "amsterdam", kvk: hooft.kvkNumber)
                #expect(try await store.signals.candidates(for: agreeing.id).first?.features == [.kvkNumber, .name, .place])
            }
        }

        @Test("a vestigingsnummer matches the school of that location")
        func byVestigingsnummer() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(7, locations: [
                    NewSchoolLocation(vestigingsnummer: Fixtures.vestiging(7), municipalityCode: Fixtures.utrecht.code, address: "Voorbeeldweg 7, Utrecht"),
                ]), actor: Fixtures.actor)
                var new = Fixtures.newSignal()
                new.reportedVestigingsnummer = Fixtures.vestiging(7)
                new.reportedSchoolName = "Onbekende aanbieder"
                new.reportedPlace = "Utrecht"
                let signal = try await store.signals.record(new, actor: "signaller:1")
                let candidates = try await store.signals.candidates(for: signal.id)
                #expect(candidates.map(\.school.id) == [school.id])
                #expect(candidates.first?.features == [.vestigingsnummer, .place], "place: a location lies in Utrecht")
            }
        }

        @Test("the place feature ranks an equally named school in the reported place first")
        func placeRanks() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let rotterdam = try await store.schools.create(Fixtures.newSchool(1, name: "Taalpunt", in: Fixtures.rotterdam), actor: Fixtures.actor)
                let groningen = try await store.schools.create(Fixtures.newSchool(2, name: "Taalpunt B.V.", in: Fixtures.groningen), actor: Fixtures.actor)
                let signal = try await Self.report(store, name: "Taalpunt", place: "Groningen")
                let candidates = try await store.signals.candidates(for: signal.id)
                #expect(candidates.map(\.school.id) == [groningen.id, rotterdam.id])
                #expect(candidates.map(\.features) == [[.name, .place], [.name]])
            }
        }

        @Test("a rejected school is not proposed again; rejecting the linked school unlinks it")
        func rejection() async throws {
            try await withTestDatabase { store, client in
                let schools = try await Self.register(store)
                let hooft = schools["Taalschool 't Hooft B.V."]!
                let signal = try await Self.report(store, name: "taalschool t hooft bv")
                #expect(try await store.signals.candidates(for: signal.id).first?.school.id == hooft.id)
                let after = try await store.signals.rejectCandidate(signal.id, schoolId: hooft.id, note: "Andere vestiging, andere eigenaar.",
                                                                    actor: "inspector:1")
                #expect(after.version == 1, "not linked, so the signal did not change")
                #expect(try await store.signals.candidates(for: signal.id).allSatisfy { $0.school.id != hooft.id })
                try await store.signals.rejectCandidate(signal.id, schoolId: hooft.id, note: "Nogmaals.", actor: "inspector:2")  // no-op

                // Linked by KvK at intake, then judged "not this school": unlinked, and never proposed again.
                let linked = try await Self.report(store, name: "Taalschool 't Hooft", kvk: hooft.kvkNumber)
                #expect(linked.schoolId == hooft.id)
                let unlinked = try await store.signals.rejectCandidate(linked.id, schoolId: hooft.id, note: "KvK-nummer verkeerd overgenomen.",
                                                                       actor: "inspector:1")
                #expect(unlinked.signal.schoolId == nil && unlinked.version == 2)
                #expect(try await store.signals.candidates(for: linked.id).allSatisfy { $0.school.id != hooft.id })
                let links = try await execute(client, "SELECT school_id FROM signal_school_links WHERE signal_id = \(linked.id)")
                #expect(try links.map { try $0.decode(UUID?.self) } == [nil])

                let unknown = await storeError {
                    _ = try await store.signals.rejectCandidate(signal.id, schoolId: UUID(), note: "x", actor: "inspector:1")
                }
                #expect(unknown == .unknownReference(field: "schoolId"))
            }
        }

        @Test("an inspector links a signal to a school: version plus one, the decision kept")
        func link() async throws {
            try await withTestDatabase { store, client in
                let schools = try await Self.register(store)
                let signal = try await Self.report(store, name: "Ĳsselschool")
                let linked = try await store.signals.link(signal.id, schoolId: schools["IJsselschool"]!.id, note: "Zelfde adres.", actor: "inspector:1")
                #expect(linked.signal.schoolId == schools["IJsselschool"]!.id && linked.version == 2)
                let rows = try await execute(client, "SELECT school_id, note, by FROM signal_school_links WHERE signal_id = \(signal.id)")
                let (school, note, by) = try rows[0].decode((UUID?, String, String).self)
                #expect(rows.count == 1 && school == schools["IJsselschool"]!.id && note == "Zelfde adres." && by == "inspector:1")
                let unknownSchool = await storeError { _ = try await store.signals.link(signal.id, schoolId: UUID(), note: "x", actor: "inspector:1") }
                #expect(unknownSchool == .unknownReference(field: "schoolId"))
                do {
                    _ = try await store.signals.link(UUID(), schoolId: schools["IJsselschool"]!.id, note: "x", actor: "inspector:1")
                    Issue.record("linked an unknown signal")
                } catch let error as SignalWorkflowError {
                    #expect(error.kind == .notFound)
                }
            }
        }

        @Test("name keys follow upserts, and a rebuild restores them and is idempotent")
        func nameKeys() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                func keys() async throws -> [String] {
                    try await execute(client, "SELECT normalized_name FROM school_name_keys ORDER BY 1").map { try $0.decode(String.self) }
                }
                _ = try await store.schools.upsert([Fixtures.newSchool(1, name: "Taalschool 't Hooft B.V.", tradeNames: ["'t Hooft", "مدرسة"])],
                                                   actor: Fixtures.actor)
                #expect(try await keys() == ["t hooft", "taalschool t hooft"], "the Arabic trade name has no key")
                _ = try await store.schools.upsert([Fixtures.newSchool(1, name: "Taalschool De Hoeve B.V.")], actor: Fixtures.actor)
                #expect(try await keys() == ["taalschool de hoeve"])
                _ = try await store.schools.create(Fixtures.newSchool(2, name: "Ĳsselschool"), actor: Fixtures.actor)
                try await execute(client, "DELETE FROM school_name_keys")
                try await execute(client, "INSERT INTO school_name_keys SELECT id, 'stale' FROM schools LIMIT 1")
                #expect(try await store.schools.rebuildNameKeys() == 3, "two added, one removed")
                #expect(try await keys() == ["ijsselschool", "taalschool de hoeve"])
                #expect(try await store.schools.rebuildNameKeys() == 0)
            }
        }
    }
}
