import DubbelslotStore
import DubbelslotCore
import DubbelslotOpenAPI

extension APIImplementation {
    func listMunicipalities(_ input: Operations.ListMunicipalities.Input) async throws -> Operations.ListMunicipalities.Output {
        .ok(.init(body: .json(.init(items: try await store.municipalities.list().map(Components.Schemas.Municipality.init)))))
    }

    func getMunicipality(_ input: Operations.GetMunicipality.Input) async throws -> Operations.GetMunicipality.Output {
        guard let code = MunicipalityCode(input.path.code) else { throw Problem.invalid("code", MunicipalityCode.rule) }
        guard let m = try await store.municipalities.get(code) else { throw Problem(.notFound, detail: "No municipality with code \(code).") }
        return .ok(.init(body: .json(.init(m))))
    }
}
