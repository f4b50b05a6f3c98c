import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    /// The database refuses bad data on its own, whatever code writes it.
    @Suite("Database constraints")
    struct ConstraintTests {
        static let badKvKNumbers = ["1234567", "123456789", "1234567a", "abcdefgh", "", " 1234567"]

        @Test("schools: a KvK number must be exactly 8 digits", arguments: badKvKNumbers)
        func badKvK(_ kvk: String) async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let state = await sqlState {
                    try await execute(client, """
                        INSERT INTO schools (name, kvk_number, municipality_code, recorded_by)
                        VALUES ('Fictieve School', \(kvk), 'GM0363', 'cli:test')
                        """)
                }
                #expect(state == "23514")
            }
        }

        @Test("schools: a KvK number is unique, leading zeros and all")
        func duplicateKvK() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                try await execute(client, "INSERT INTO schools (name, kvk_number, municipality_code, recorded_by) VALUES ('A', '00012345', 'GM0363', 't')")
                let state = await sqlState {
                    try await execute(client, "INSERT INTO schools (name, kvk_number, municipality_code, recorded_by) VALUES ('B', '00012345', 'GM0363', 't')")
                }
                #expect(state == "23505")
            }
        }

        @Test("schools: routes must be known route names")
        func badRoute() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let state = await sqlState {
                    try await execute(client, """
                        INSERT INTO schools (name, kvk_number, municipality_code, routes, recorded_by)
                        VALUES ('A', '00050001', 'GM0363', ARRAY['b1Route', 'b2Route'], 't')
                        """)
                }
                #expect(state == "23514")
            }
        }

        @Test("school locations: a vestigingsnummer must be exactly 12 digits", arguments: ["12345678901", "1234567890123", "12345678901x"])
        func badVestigingsnummer(_ number: String) async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let state = await sqlState {
                    try await execute(client, """
                        INSERT INTO school_locations (school_id, vestigingsnummer, municipality_code, address, recorded_by)
                        VALUES (\(school.id), \(number), 'GM0363', 'Voorbeeldstraat 1, Amsterdam', 't')
                        """)
                }
                #expect(state == "23514")
            }
        }

        @Test("municipalities: the code must be GM plus 4 digits", arguments: ["GM363", "GM03630", "gm0363", "XX0363"])
        func badMunicipalityCode(_ code: String) async throws {
            try await withTestDatabase { _, client in
                let state = await sqlState {
                    try await execute(client, """
                        INSERT INTO municipalities (code, name, province_code, province_name, recorded_by)
                        VALUES (\(code), 'Nergenshuizen', 'PV27', 'Noord-Holland', 't')
                        """)
                }
                #expect(state == "23514")
            }
        }

        @Test("municipalities: the province code must be PV plus 2 digits")
        func badProvinceCode() async throws {
            try await withTestDatabase { _, client in
                let state = await sqlState {
                    try await execute(client, """
                        INSERT INTO municipalities (code, name, province_code, province_name, recorded_by)
                        VALUES ('GM9999', 'Nergenshuizen', 'PV7', 'Noord-Holland', 't')
                        """)
                }
                #expect(state == "23514")
            }
        }

        @Test("quality marks: a school's periods never overlap (23P01)")
        func overlappingPeriods() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let other = try await store.schools.create(Fixtures.newSchool(2), actor: Fixtures.actor)
                func insert(_ school: School, _ period: String) async -> String? {
                    await sqlState {
                        try await execute(client, """
                            INSERT INTO quality_mark_decisions (school_id, status, valid_during, decided_on, recorded_by)
                            VALUES (\(school.id), 'grantedFixedTerm', \(period)::daterange, '2024-12-01', 't')
                            """)
                    }
                }
                #expect(await insert(school, "[2025-01-01,2026-01-01)") == nil)
                #expect(await insert(school, "[2025-12-31,2027-01-01)") == "23P01")
                #expect(await insert(school, "[2024-01-01,)") == "23P01")
                // Half-open: a period may start on the day the previous one ends.
                #expect(await insert(school, "[2026-01-01,2027-01-01)") == nil)
                // Another school's periods are its own.
                #expect(await insert(other, "[2025-06-01,2026-06-01)") == nil)
            }
        }

        @Test("quality marks: the end may not lie before the start, and a period is never empty")
        func badPeriods() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                func insert(_ period: String) async -> String? {
                    await sqlState {
                        try await execute(client, """
                            INSERT INTO quality_mark_decisions (school_id, status, valid_during, decided_on, recorded_by)
                            VALUES (\(school.id), 'aspirant', \(period)::daterange, '2024-12-01', 't')
                            """)
                    }
                }
                #expect(await insert("[2025-06-01,2025-01-01)") == "22000")  // range lower bound must be <= upper bound
                #expect(await insert("[2025-06-01,2025-06-01)") == "23514")  // empty
                #expect(await insert("(,2025-06-01)") == "23514")             // no start
                #expect(await insert("[2025-01-01,2025-06-01)") == nil)
            }
        }

        @Test("quality marks: the status must be one of the eight")
        func badStatus() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let school = try await store.schools.create(Fixtures.newSchool(1), actor: Fixtures.actor)
                let state = await sqlState {
                    try await execute(client, """
                        INSERT INTO quality_mark_decisions (school_id, status, valid_during, decided_on, recorded_by)
                        VALUES (\(school.id), 'granted', '[2025-01-01,)', '2024-12-01', 't')
                        """)
                }
                #expect(state == "23514")
            }
        }

        @Test("signals: reference shape, observed period and reported KvK number are checked")
        func signalChecks() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                func insert(reference: String, from: String = "2025-01-01", until: String? = nil, kvk: String? = nil) async -> String? {
                    await sqlState {
                        try await execute(client, """
                            INSERT INTO fraud_signals (reference, municipality_code, reported_school_name, reported_kvk_number,
                                category, severity, observed_from, observed_until, summary, source, status, recorded_by)
                            VALUES (\(reference), 'GM0363', 'X', \(kvk)::text, 'kickbacks', 'high', \(from)::date, \(until)::date,
                                    'Samenvatting', 'media', 'received', 't')
                            """)
                    }
                }
                #expect(await insert(reference: "SIG-2025-12345") == "23514")
                #expect(await insert(reference: "SIG-2025-000001", from: "2025-02-01", until: "2025-01-31") == "23514")
                #expect(await insert(reference: "SIG-2025-000001", kvk: "1234") == "23514")
                // observed_until is exclusive: an empty period is refused.
                #expect(await insert(reference: "SIG-2025-000001", until: "2025-01-01") == "23514")
                #expect(await insert(reference: "SIG-2025-000001", until: "2025-01-02") == nil)
                #expect(await insert(reference: "SIG-2025-000001") == "23505")
                // A municipality's reference names that municipality (these rows are Amsterdam's).
                #expect(await insert(reference: "SIG-GM0363-2025-000001") == nil)
                #expect(await insert(reference: "SIG-GM0344-2025-000001") == "23514")
                #expect(await insert(reference: "SIG-GM363-2025-000002") == "23514")
            }
        }

        @Test("tokens: buyers and signallers need a municipality; secrets are stored as SHA-256 hex")
        func tokenChecks() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let hash = String(repeating: "ab", count: 32)
                // Every token belongs to an organisation since 0022.
                try await execute(client, "INSERT INTO organisations (id, recorded_by) VALUES ('GM0363', 't'), ('operator', 't')")
                func insert(_ role: String, _ municipality: String?, hash: String) async -> String? {
                    await sqlState {
                        try await execute(client, """
                            INSERT INTO api_tokens (secret_sha256, role, municipality_code, organisation_id, label, recorded_by)
                            VALUES (\(hash), \(role), \(municipality)::text, coalesce(\(municipality)::text, 'operator'), 'label', 't')
                            """)
                    }
                }
                #expect(await insert("buyer", nil, hash: hash) == "23514")
                #expect(await insert("signaller", nil, hash: hash) == "23514")
                #expect(await insert("inspector", nil, hash: "not-a-hash") == "23514")
                #expect(await insert("superuser", nil, hash: hash) == "23514")
                #expect(await insert("buyer", "GM0363", hash: hash) == nil)
                #expect(await insert("analyst", nil, hash: hash) == "23505")
            }
        }
    }
}
