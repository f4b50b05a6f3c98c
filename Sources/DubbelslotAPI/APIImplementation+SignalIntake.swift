import Crypto
import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import NIOPosix
import OpenAPIRuntime

extension APIImplementation {
    /// The largest CSV a municipality may send in one batch (bytes): 5 MiB, some ten thousand signals.
    static let maximumBatchBytes = 5 * 1024 * 1024

    /// Bulk intake from a municipality's case system: validated whole, one transaction, idempotent on caseReference.
    func reportSignalBatch(_ input: Operations.ReportSignalBatch.Input) async throws -> Operations.ReportSignalBatch.Output {
        guard case .csv(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send text/csv.") }
        let principal = try Principal.required()
        guard let municipality = principal.municipalityCode, Principal.visible.contains(municipality) else {
            throw Problem(.forbidden, detail: "This token acts for no municipality.")
        }
        let data: Data
        do {
            data = try await Data(collecting: body, upTo: Self.maximumBatchBytes)
        } catch {
            throw Problem(.payloadTooLarge, detail: "Send at most \(Self.maximumBatchBytes / 1024 / 1024) MiB per batch.")
        }
        // Parsing is CPU work in proportion to the file: on NIO's blocking pool, not the cooperative one.
        let table = try await NIOThreadPool.singleton.runIfActive { try CSVFile.parse(data) }
        let intakes = try await SignalImporter(store: store).importSignals(table, municipality: municipality, today: todayInAmsterdam(),
                                                                           actor: try Principal.actor())
        // A valid table has one intake per record, in file order.
        let items = zip(table.records, intakes).map { record, intake in
            Components.Schemas.SignalBatchResult.ItemsPayloadPayload(line: record.line, created: intake.created,
                                                                      signal: .init(intake.signal.signal, version: intake.signal.version))
        }
        return .ok(.init(body: .json(.init(created: intakes.filter(\.created).count, unchanged: intakes.filter { !$0.created }.count, items: items))))
    }

    /// Refuses an `Idempotency-Key` that is not 1–200 printable ASCII characters without spaces (200:
    /// the longest key the tables hold, sql/0020 and sql/0032).
    static func checkIdempotencyKey(_ key: String?) throws {
        if let key, !(1...200).contains(key.count) || !key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) {
            throw Problem.invalid("Idempotency-Key", "must be 1-200 printable ASCII characters without spaces")
        }
    }

    /// SHA-256 (swift-crypto) over the request body re-encoded with sorted keys: equal bodies, equal hashes,
    /// whatever the client's key order or whitespace.
    static func requestHash(_ body: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return SHA256.hash(data: try encoder.encode(body)).lowercaseHex
    }
}
