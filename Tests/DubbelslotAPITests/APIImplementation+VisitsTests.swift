import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import HTTPTypes
import Testing

extension APITests {
    /// Supervision visits: recorded by an inspector, read back by others.
    @Suite struct APIImplementationVisitsTests {
        @Test func recordsListsAndGetsVisits() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 901, locationsIn: [APIFixtures.amsterdam])
                let location = try #require(school.locations.first)
                let today = APIFixtures.today
                let path = "/v1/schools/\(school.id.text)/visits"
                // Call: an older visit at the location, then one today.
                let older = try await api.post(path, as: .inspector, json: APIFixtures.json(
                    APIFixtures.newVisitBody(on: today.adding(days: -200), locationId: location.id)))
                let newer = try await api.post(path, as: .inspector, json: APIFixtures.json(
                    ["kind": "financial", "announced": true, "visitedOn": today.description, "outcome": "compliant", "findings": [Any]()]))
                // Checks
                #expect(older.status == .created, "\(older.text)")
                #expect(newer.status == .created, "\(newer.text)")
                let visit = try older.json(Components.Schemas.SupervisionVisit.self)
                #expect(visit.schoolId == school.id.text)
                #expect(visit.locationId == location.id.text)
                #expect(visit.kind == .classroom)
                #expect(visit.outcome == .minorFindings)
                #expect(visit.findings.map(\.normCode) == ["4.2"])
                #expect(visit.findings.first?.severity == .minor)
                #expect(visit.recordedBy.hasPrefix("inspector:"))

                let list = try await api.get(path, as: .buyer)
                #expect(list.status == .ok)
                let items = try list.json(Components.Schemas.SupervisionVisitList.self).items
                #expect(items.map(\.visitedOn) == [today.description, today.adding(days: -200).description])

                let one = try await api.get("/v1/visits/\(visit.id)", as: .analyst)
                #expect(one.status == .ok)
                #expect(try one.json(Components.Schemas.SupervisionVisit.self) == visit)
                #expect(try await api.count("visit_findings") == 1)
            }
        }
    }
}
