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
            throw SettingsError("cannot read the risk model file \(path)")
        }
        let model: RiskModel
        do {
            model = try YAMLDecoder().decode(RiskModel.self, from: text)
        } catch {
            throw SettingsError("\(path) is not a valid risk model: \(Self.describe(error))")
        }
        do {
            try model.validate()
        } catch let failure as ValidationFailure {
            throw SettingsError("\(path) breaks the model's rules: \(failure.errors.map(\.description).joined(separator: "; "))")
        }
        return model
    }

    /// A decoding error as a reader of the YAML file needs it: the key path and what is wrong.
    static func describe(_ error: any Error) -> String {
        func path(_ codingPath: [any CodingKey]) -> String { codingPath.map(\.stringValue).joined(separator: ".") }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing key \((path(context.codingPath) + "." + key.stringValue).trimmingCharacters(in: CharacterSet(charactersIn: ".")))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong kind of value at \(path(context.codingPath))"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not YAML of the expected shape" : "unreadable value at \(path(context.codingPath))"
        default:
            return "not YAML of the expected shape"
        }
    }
}
