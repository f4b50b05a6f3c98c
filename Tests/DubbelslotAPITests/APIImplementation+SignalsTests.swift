import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import HTTPTypes
import Testing

extension APITests {
    /// Fraud signals: intake by a signaller, and who may read which.
    @Suite struct APIImplementationSignalsTests {
        @Test func reportsAndReadsASignal() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 901)
                // Call
                let created = try await api.post("/v1/signals", as: .signaller, json: APIFixtures.json(APIFixtures.newSignalBody(schoolId: school.id)))
                // Checks
                #expect(created.status == .created, "\(created.text)")
                let signal = try created.json(Components.Schemas.FraudSignal.self)
                #expect(signal.reference.wholeMatch(of: /SIG-GM[0-9]{4}-[0-9]{4}-[0-9]{6}/) != nil, "\(signal.reference)")
                #expect(signal.status == .received)
                #expect(signal.municipalityCode == "GM0363")
                #expect(signal.schoolId == school.id.text)
                #expect(signal.category == .kickbacks)
                #expect(signal.severity == .medium)
                #expect(signal.source == .learnerComplaint)
                #expect(signal.reportedKvkNumber == "00050901")
                #expect(signal.observedUntil == APIFixtures.today.adding(days: -10).description)

                for role: Role in [.signaller, .inspector, .analyst] {
                    let read = try await api.get("/v1/signals/\(signal.id)", as: role)
                    #expect(read.status == .ok, "\(role): \(read.text)")
                    #expect(try read.json(Components.Schemas.FraudSignal.self) == signal)
                }
                // Unmatched signal: no school id, an unknown KvK number.
                var unmatched = APIFixtures.newSignalBody()
                unmatched["reportedKvkNumber"] = "00000999"
                let second = try await api.post("/v1/signals", as: .signaller, json: APIFixtures.json(unmatched))
                #expect(second.status == .created, "\(second.text)")
                #expect(try second.json(Components.Schemas.FraudSignal.self).schoolId == nil)
                #expect(try await api.count("fraud_signals") == 2)
            }
        }

        @Test func aSignallerSeesOnlyItsOwnMunicipality() async throws {
            try await withAPI { api in
                // Setup: two signals from Amsterdam (the signaller's), two from Rotterdam, one of them substantiated.
                let a = try await APIFixtures.school(api.store, 901)
                let b = try await APIFixtures.school(api.store, 902, in: APIFixtures.rotterdam)
                let own1 = try await APIFixtures.signal(api.store, from: APIFixtures.amsterdam, about: a)
                let own2 = try await APIFixtures.signal(api.store, from: APIFixtures.amsterdam, about: b)
                let other1 = try await APIFixtures.signal(api.store, from: APIFixtures.rotterdam, about: b)
                let other2 = try await APIFixtures.signal(api.store, from: APIFixtures.rotterdam, about: a, status: .substantiated)

                func ids(_ query: String, as role: Role) async throws -> Set<UUID> {
                    let reply = try await api.get("/v1/signals\(query)", as: role)
                    #expect(reply.status == .ok, "\(query): \(reply.text)")
                    return Set(try reply.json(Components.Schemas.SignalPage.self).items.map { UUID(uuidString: $0.id)! })
                }
                #expect(try await ids("", as: .signaller) == [own1.id, own2.id])
                #expect(try await ids("?school=\(b.id.text)", as: .signaller) == [own2.id])
                #expect(try await ids("?status=substantiated", as: .signaller) == [])
                #expect(try await ids("", as: .inspector) == [own1.id, own2.id, other1.id, other2.id])
                #expect(try await ids("?school=\(a.id.text)", as: .analyst) == [own1.id, other2.id])
                #expect(try await ids("?status=substantiated", as: .analyst) == [other2.id])

                // Another municipality's signal is not found for a signaller (a 403 would tell it exists), read by an inspector.
                let hidden = try await api.get("/v1/signals/\(other1.id.text)", as: .signaller)
                let missing = try await api.get("/v1/signals/\(UUID().text)", as: .signaller)
                try expectProblem(hidden, 404, "not-found")
                try expectProblem(missing, 404, "not-found")
                #expect(hidden.text.replacingOccurrences(of: other1.id.text, with: "ID") ==
                        missing.text.replacingOccurrences(of: missing.path.split(separator: "/").last.map(String.init) ?? "", with: "ID"))
                #expect(try await api.get("/v1/signals/\(other1.id.text)", as: .inspector).status == .ok)

                // A Rotterdam signaller sees the other half.
                let rotterdam = try await APIFixtures.token(api.store, .signaller, municipality: APIFixtures.rotterdam)
                let reply = try await api.send(.get, "/v1/signals", token: rotterdam)
                #expect(Set(try reply.json(Components.Schemas.SignalPage.self).items.map(\.id)) == [other1.id.text, other2.id.text])
            }
        }

        @Test func aSignallerMayLeaveOutItsMunicipalityAndTheNameOfARegisteredSchool() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 975)
                var body = APIFixtures.newSignalBody(schoolId: school.id)
                body.removeValue(forKey: "municipalityCode")
                body.removeValue(forKey: "reportedSchoolName")
                let reply = try await api.post("/v1/signals", as: .signaller, json: APIFixtures.json(body))
                #expect(reply.status == .created, "\(reply.text)")
                let signal = try reply.json(Components.Schemas.FraudSignal.self)
                #expect(signal.municipalityCode == APIFixtures.amsterdam.code.rawValue)
                #expect(signal.reportedSchoolName == school.name)
                // Without a school, the name is still required.
                body.removeValue(forKey: "schoolId")
                try expectProblem(try await api.post("/v1/signals", as: .signaller, json: APIFixtures.json(body)), 400, "validation",
                                  field: "reportedSchoolName")
            }
        }

        @Test func aBuyerCannotReadSignals() async throws {
            try await withAPI { api in
                let signal = try await APIFixtures.signal(api.store, about: nil)
                try expectProblem(try await api.get("/v1/signals", as: .buyer), 403, "forbidden")
                try expectProblem(try await api.get("/v1/signals/\(signal.id.text)", as: .buyer), 403, "forbidden")
            }
        }

        @Test func paginatesSignalsNewestFirst() async throws {
            try await withAPI { api in
                var created: [FraudSignal] = []
                for _ in 0..<5 { created.append(try await APIFixtures.signal(api.store, about: nil)) }
                var seen: [String] = []
                var cursor: String?
                var pages = 0
                repeat {
                    let reply = try await api.get("/v1/signals?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), as: .analyst)
                    #expect(reply.status == .ok, "\(reply.text)")
                    let page = try reply.json(Components.Schemas.SignalPage.self)
                    seen += page.items.map(\.id)
                    cursor = page.nextCursor
                    pages += 1
                } while cursor != nil && pages < 10
                #expect(pages == 3)
                let expected = created.sorted { ($0.receivedAt, $0.id.uuidString) > ($1.receivedAt, $1.id.uuidString) }.map(\.id.text)
                #expect(seen == expected)
            }
        }
    }
}
