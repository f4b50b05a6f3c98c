import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import PostgresNIO
import Testing

extension StoreTests {
    @Suite("TokenRepository")
    struct TokenRepositoryTests {
        @Test("create returns a dbs_ secret once; only its SHA-256 is stored; authenticate finds the principal")
        func createAndAuthenticate() async throws {
            try await withTestDatabase { store, client in
                try await Fixtures.seedMunicipalities(store)
                let (info, secret) = try await store.tokens.create(role: .buyer, municipality: Fixtures.utrecht.code,
                                                                   label: "Gemeente Utrecht inkoop", actor: Fixtures.actor)
                #expect(secret.wholeMatch(of: /dbs_[A-Za-z0-9_-]{43}/) != nil)
                #expect(info.role == .buyer)
                #expect(info.municipalityCode == Fixtures.utrecht.code)
                #expect(info.revokedAt == nil)

                let stored = try await execute(client, "SELECT secret_sha256 FROM api_tokens WHERE id = \(info.id)")[0].decode(String.self)
                #expect(stored.count == 64)
                #expect(!stored.contains(secret.dropFirst(4)))

                let principal = try await store.tokens.authenticate(secret: secret)
                #expect(principal == TokenPrincipal(tokenId: info.id, role: .buyer, municipalityCode: Fixtures.utrecht.code,
                                                    label: "Gemeente Utrecht inkoop"))
                #expect(try await store.tokens.authenticate(secret: secret + "x") == nil)
                #expect(try await store.tokens.authenticate(secret: "nonsense") == nil)
            }
        }

        @Test("revoke stops authentication at once; a second revoke returns false")
        func revoke() async throws {
            try await withTestDatabase { store, _ in
                let (info, secret) = try await store.tokens.create(role: .inspector, municipality: nil, label: "Inspecteur", actor: Fixtures.actor)
                #expect(try await store.tokens.revoke(info.id, actor: "admin:1"))
                #expect(try await store.tokens.authenticate(secret: secret) == nil)
                #expect(try await store.tokens.revoke(info.id, actor: "admin:1") == false)
                #expect(try await store.tokens.revoke(UUID(), actor: "admin:1") == false)
                let listed = try await store.tokens.list()
                #expect(listed.map(\.id) == [info.id])
                #expect(listed.first?.revokedAt != nil)
            }
        }

        @Test("an expired token does not authenticate")
        func expired() async throws {
            try await withTestDatabase { store, client in
                let (info, secret) = try await store.tokens.create(role: .analyst, municipality: nil, label: "Analist", actor: Fixtures.actor)
                try await execute(client, "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = \(info.id)")
                #expect(try await store.tokens.authenticate(secret: secret) == nil)
            }
        }

        @Test("buyers and signallers need a municipality; an unknown one is an unknown reference")
        func municipalityRules() async throws {
            try await withTestDatabase { store, _ in
                await #expect(throws: ValidationFailure.self) {
                    _ = try await store.tokens.create(role: .signaller, municipality: nil, label: "Melder", actor: Fixtures.actor)
                }
                let error = await storeError {
                    _ = try await store.tokens.create(role: .buyer, municipality: MunicipalityCode("GM9999")!, label: "Koper", actor: Fixtures.actor)
                }
                #expect(error == .unknownReference(field: "municipalityCode"))
            }
        }

        @Test("list returns every token oldest first, without secrets")
        func list() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let first = try await store.tokens.create(role: .admin, municipality: nil, label: "Beheer", actor: Fixtures.actor).info
                let second = try await store.tokens.create(role: .signaller, municipality: Fixtures.amsterdam.code, label: "Melder", actor: Fixtures.actor).info
                let listed = try await store.tokens.list()
                #expect(Set(listed) == Set([first, second]))
                #expect(listed.first?.createdAt ?? .distantFuture <= listed.last?.createdAt ?? .distantPast)
            }
        }

        @Test("a token of a disabled organisation is refused at once, and works again when it is enabled")
        func disabledOrganisation() async throws {
            try await withTestDatabase { store, _ in
                try await Fixtures.seedMunicipalities(store)
                let (buyer, buyerSecret) = try await store.tokens.create(role: .buyer, municipality: Fixtures.utrecht.code, label: "Koper", actor: Fixtures.actor)
                let (_, otherSecret) = try await store.tokens.create(role: .buyer, municipality: Fixtures.amsterdam.code, label: "Koper", actor: Fixtures.actor)
                let (inspector, inspectorSecret) = try await store.tokens.create(role: .inspector, municipality: nil, organisation: nil, label: "Inspecteur",
                                                                                expiresAt: Date().addingTimeInterval(3600), actor: Fixtures.actor)
                #expect(buyer.organisation == "GM0344")
                #expect(inspector.organisation == "blik-op-werk")
                #expect(inspector.expiresAt != nil)

                #expect(try await store.tokens.setOrganisationDisabled("GM0344", disabled: true, actor: "cli:test"))
                #expect(try await store.tokens.authenticate(secret: buyerSecret) == nil)
                #expect(try await store.tokens.authenticate(secret: otherSecret) != nil, "another organisation's token still works")
                #expect(try await store.tokens.authenticate(secret: inspectorSecret) != nil)
                #expect(try await store.tokens.setOrganisationDisabled("GM0344", disabled: true, actor: "cli:test") == false)
                #expect(try await store.tokens.list().first { $0.id == buyer.id }?.organisationDisabled == true)

                #expect(try await store.tokens.setOrganisationDisabled("GM0344", disabled: false, actor: "cli:test"))
                #expect(try await store.tokens.authenticate(secret: buyerSecret) != nil)
                #expect(try await store.tokens.setOrganisationDisabled("no-such-body", disabled: true, actor: "cli:test") == false)
            }
        }

        @Test("an organisation must be a CBS code or a slug")
        func organisationShape() async throws {
            try await withTestDatabase { store, _ in
                await #expect(throws: ValidationFailure.self) {
                    _ = try await store.tokens.create(role: .analyst, municipality: nil, organisation: "Inspectie SZW!", label: "Analist",
                                                      expiresAt: nil, actor: Fixtures.actor)
                }
                let (info, _) = try await store.tokens.create(role: .analyst, municipality: nil, organisation: "arbeidsinspectie", label: "Analist",
                                                              expiresAt: nil, actor: Fixtures.actor)
                #expect(info.organisation == "arbeidsinspectie")
            }
        }
    }
}
