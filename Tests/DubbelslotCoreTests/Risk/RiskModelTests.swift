import DubbelslotCore
import Foundation
import Testing

extension CoreTests {
    @Suite("Shipped risk model")
    struct RiskModelTests {
        @Test func shippedModelIsValid() throws { try shippedModel.validate() }

        @Test("an inconsistent model is refused with every broken key")
        func invalidModel() {
            var m = shippedModel
            m.signals.statusFactor["unfounded"] = 0.2
            m.bands.high = 5
            m.signals.halfLifeDays = 0
            #expect {
                try m.validate()
            } throws: { error in
                let fields = Set((error as? ValidationFailure)?.errors.map(\.field) ?? [])
                return fields == ["signals.statusFactor.unfounded", "bands", "signals.halfLifeDays"]
            }
        }
    }
}
