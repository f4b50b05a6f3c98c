public import DubbelslotCore
import Foundation
import Yams

/// Loads the risk model's weights from `config/risk-model.yaml` (parsed with Yams) and checks them.
public enum RiskModelFile {
    /// - Throws: ``SettingsError`` naming the file when it is missing, malformed, or breaks ``RiskModel/validate()``.
    public static func load(path: String) throws -> RiskModel {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SettingsError("cannot read the risk model at \(path) (set riskModel.path)")
        }
        let model: RiskModel
        do {
            model = try YAMLDecoder().decode(RiskModel.self, from: text)
        } catch {
            throw SettingsError("\(path) is not a valid risk model: \(error)")
        }
        do {
            try model.validate()
        } catch let failure as ValidationFailure {
            throw SettingsError("\(path) breaks the model's rules: \(failure.errors.map(\.description).joined(separator: "; "))")
        }
        return model
    }
}
