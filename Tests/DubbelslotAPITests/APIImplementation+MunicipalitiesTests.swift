import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import HTTPTypes
import Testing

extension APITests {
    /// `/v1/municipalities`: the list and one municipality.
    @Suite struct APIImplementationMunicipalitiesTests {
        @Test func listsAndGetsMunicipalities() async throws {
            try await withAPI { api in
                let list = try await api.get("/v1/municipalities", as: .buyer)
                #expect(list.status == .ok)
                let codes = try list.json(Components.Schemas.MunicipalityList.self).items.map(\.code)
                #expect(codes == ["GM0344", "GM0362", "GM0363", "GM0599"])

                let one = try await api.get("/v1/municipalities/GM0363", as: .signaller)
                #expect(one.status == .ok)
                let amsterdam = try one.json(Components.Schemas.Municipality.self)
                #expect(amsterdam.name == "Amsterdam")
                #expect(amsterdam.provinceCode == "PV27")
                #expect(amsterdam.provinceName == "Noord-Holland")

                try expectProblem(try await api.get("/v1/municipalities/GM9999", as: .buyer), 404, "not-found")
                try expectProblem(try await api.get("/v1/municipalities/GM363", as: .buyer), 400, "validation", field: "code")
            }
        }
    }
}
