import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import HTTPTypes
import Testing

extension APITests {
    /// Quality-mark decisions and supervision visits: recorded by an inspector, read back by others.
    @Suite struct APIImplementationVisitsTests {
        @Test func recordsAndListsQualityMarkDecisions() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 901)
                let today = APIFixtures.today
                let path = "/v1/schools/\(school.id.text)/quality-mark-decisions"
                // Call: a later period first, then an earlier one adjoining it (half-open periods do not overlap).
                let later = try await api.post(path, as: .inspector, json: APIFixtures.json(
                    APIFixtures.newDecisionBody("grantedIndefinite", from: today.adding(days: -100), until: nil)))
                let earlier = try await api.post(path, as: .inspector, json: APIFixtures.json(
                    APIFixtures.newDecisionBody("aspirant", from: today.adding(days: -400), until: today.adding(days: -100))))
                // Checks
                #expect(later.status == .created, "\(later.text)")
                #expect(earlier.status == .created, "\(earlier.text)")
                let recorded = try earlier.json(Components.Schemas.QualityMarkDecision.self)
                #expect(recorded.schoolId == school.id.text)
                #expect(recorded.status == .aspirant)
                #expect(recorded.validFrom == today.adding(days: -400).description)
                #expect(recorded.validUntil == today.adding(days: -100).description)
                #expect(recorded.reference == "BOW-2026-0901")
                #expect(recorded.recordedBy.hasPrefix("inspector:"))

                let list = try await api.get(path, as: .signaller)
                #expect(list.status == .ok)
                let items = try list.json(Components.Schemas.QualityMarkDecisionList.self).items
                #expect(items.map(\.status) == [.aspirant, .grantedIndefinite])
                #expect(items.last?.validUntil == nil)
            }
        }

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
