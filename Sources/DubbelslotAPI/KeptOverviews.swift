import DubbelslotCore
import DubbelslotOpenAPI
import Foundation
import Metrics
import OpenAPIRuntime
import Synchronization

/// Whole overviews of one school, kept in memory while the school's evidence holds, so that asking
/// for the overview of a school again does not re-read and re-assess all of its evidence
/// (docs/decisions/0022-overviews-kept-while-evidence-holds.md).
///
/// Only overviews of *now* are kept (no `asOf`, no shadow model). An entry holds while the school's
/// evidence generation (sql/0035, moved by triggers in the transaction of every evidence change) is
/// the one it was computed under and the school's record is unchanged; the key holds the model
/// version, the request (business date, route, contract period, location) and the language. An
/// answer from an entry is the kept overview with `asOf` set to the instant of the request: the same
/// answer, byte for byte, as asking again with that `asOf`, because no evidence changed in between.
///
/// An entry keeps the overview withheld from a caller who may read none of its signals, which
/// answers such callers as it is, and the whole overview once a caller who may read some of them
/// asked; such a caller's answer is withheld anew from the municipality of every signal named.
final class KeptOverviews: Sendable {
    struct Key: Hashable {
        let schoolId: UUID
        let modelVersion: String
        let request: AssessmentRequest
        let language: TextLanguage
    }

    /// A kept overview with what it takes to answer any caller.
    struct Entry: Sendable {
        /// The school's evidence generation read before its evidence.
        let generation: Int64
        /// The school's record the overview was made with.
        let school: School
        /// The overview as a caller sees it who may read none of its signals in full (every signal
        /// contribution summed per month), as the answer's JSON after its `asOf` (see ``Wire``). A few
        /// kB whatever the evidence: what other municipalities' buyers are shown.
        let withheldFromAll: Data
        /// The reporting municipalities of the signals the overview names: a caller who may read
        /// signals of none of them is answered from ``withheldFromAll``.
        let namedMunicipalities: Set<MunicipalityCode>
        /// The whole overview, nothing withheld, as the answer's JSON after its `asOf`, with the
        /// reporting municipality of every signal it names (by lowercase id). Kept only once a caller who may read some of those
        /// signals asked: at 1,000× volume it is some 140 kB a school, fifty times the withheld one.
        let whole: (encoded: Data, signalMunicipalities: [String: MunicipalityCode])?

        /// About the bytes it holds.
        var bytes: Int {
            withheldFromAll.count + 8 * namedMunicipalities.count + 256
                + (whole.map { $0.encoded.count + 80 * $0.signalMunicipalities.count } ?? 0)
        }
    }

    /// What a kept entry gives a caller.
    enum Kept {
        /// The overview with every signal withheld: the caller may read none of the signals it names.
        case withheldFromAll(Components.Schemas.DoubleLockOverview)
        /// The whole overview and the reporting municipality of each signal it names, to withhold from.
        case whole(Components.Schemas.DoubleLockOverview, signalMunicipalities: [String: MunicipalityCode])
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())
    /// At most about this many bytes are kept. A full cache drops the entries of other dates, then
    /// arbitrary entries until a quarter is free. At 1,000× volume (about 800 signals a school) 32 MB
    /// holds the withheld overviews of some ten thousand schools (about 3 kB each as JSON), or the
    /// whole ones of about 220 (142 kB each, measured).
    let capacity: Int

    /// How many overviews and how many bytes are kept, for `/metrics` (`dubbelslot_kept_overviews`,
    /// `dubbelslot_kept_overview_bytes`).
    private let entriesGauge = Gauge(label: "dubbelslot_kept_overviews")
    private let bytesGauge = Gauge(label: "dubbelslot_kept_overview_bytes")

    /// The JSON of answers, as the API encodes them.
    let wire: Wire

    /// - Parameters:
    ///   - capacity: bytes kept at most.
    ///   - dateTranscoder: the instants' format in answers: the one the API's converter is configured with.
    init(capacity: Int = 32 << 20, dateTranscoder: any DateTranscoder) {
        self.capacity = capacity
        self.wire = Wire(dateTranscoder: dateTranscoder)
    }

    /// An overview's JSON exactly as the API's converter writes it (keys sorted, no whitespace,
    /// instants by the API's date transcoder), kept without its `asOf`: with sorted keys `asOf` is
    /// the first member, so an answer is `{"asOf":"…"` followed by the kept rest.
    struct Wire: Sendable {
        let dateTranscoder: any DateTranscoder

        /// The encoded overview after its `asOf` member (starting with `,` or `}`).
        /// - Throws: ``UncheckedValue`` when the encoding does not begin with `asOf` (kept nothing then).
        func rest(of overview: Components.Schemas.DoubleLockOverview) throws -> Data {
            var blank = overview
            blank.asOf = Date(timeIntervalSince1970: 0)
            let data = try encoder().encode(blank)
            let head = try head(asOf: blank.asOf)
            guard data.starts(with: head) else { throw UncheckedValue(type: "overview JSON beginning with asOf") }
            return data.dropFirst(head.count)
        }

        /// The answer: `asOf` and then `rest` (from ``rest(of:)``).
        func bytes(asOf: Date, rest: Data) throws -> Data { try head(asOf: asOf) + rest }

        /// The overview of `rest` (from ``rest(of:)``), its `asOf` 1970-01-01T00:00:00Z.
        func decode(_ rest: Data) throws -> Components.Schemas.DoubleLockOverview {
            let decoder = JSONDecoder()
            let transcoder = dateTranscoder
            decoder.dateDecodingStrategy = .custom { decoder in
                try transcoder.decode(try decoder.singleValueContainer().decode(String.self))
            }
            return try decoder.decode(Components.Schemas.DoubleLockOverview.self, from: try bytes(asOf: Date(timeIntervalSince1970: 0), rest: rest))
        }

        private func head(asOf: Date) throws -> Data { Data("{\"asOf\":\"\(try dateTranscoder.encode(asOf))\"".utf8) }

        private func encoder() -> JSONEncoder {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let transcoder = dateTranscoder
            encoder.dateEncodingStrategy = .custom { date, encoder in
                var container = encoder.singleValueContainer()
                try container.encode(try transcoder.encode(date))
            }
            return encoder
        }
    }

    /// What is kept under `key` for a caller who may read in full the signals of `readable`
    /// (`nil`: none), if it was made under `generation` with this very `school` record; `nil` when
    /// nothing holds, or when the caller may read some of the overview's signals and only the
    /// withheld overview is kept.
    func get(_ key: Key, generation: Int64, school: School, readable: MunicipalityScope?) -> Kept? {
        let found: Entry? = state.withLock { state in
            guard let entry = state.entries[key], entry.generation == generation, entry.school == school else { return nil }
            return entry
        }
        guard let found else { return nil }
        let readsSome = readable.map { scope in found.namedMunicipalities.contains { scope.contains($0) } } ?? false
        if !readsSome {
            return (try? wire.decode(found.withheldFromAll)).map { .withheldFromAll($0) }
        }
        guard let whole = found.whole, let overview = try? wire.decode(whole.encoded) else { return nil }
        return .whole(overview, signalMunicipalities: whole.signalMunicipalities)
    }

    /// The answer's bytes, as the API would encode them with `asOf`, for a caller who may read in
    /// full the signals of `readable` (`nil`: none), when what is kept under `key` holds (made
    /// under `generation` with this `school` record) and needs nothing withheld for this caller:
    /// the caller reads none of the overview's signals, or all of them and the whole overview is
    /// kept. `nil` otherwise; then the handler answers.
    func answer(_ key: Key, generation: Int64, school: School, readable: MunicipalityScope?, asOf: Date) -> Data? {
        let found: Entry? = state.withLock { state in
            guard let entry = state.entries[key], entry.generation == generation, entry.school == school else { return nil }
            return entry
        }
        guard let found else { return nil }
        let readsSome = readable.map { scope in found.namedMunicipalities.contains { scope.contains($0) } } ?? false
        if !readsSome { return try? wire.bytes(asOf: asOf, rest: found.withheldFromAll) }
        guard let whole = found.whole, let scope = readable, found.namedMunicipalities.allSatisfy({ scope.contains($0) }) else { return nil }
        return try? wire.bytes(asOf: asOf, rest: whole.encoded)
    }

    /// Keeps an overview under `key`, in place of what was kept there.
    ///
    /// - Parameters:
    ///   - generation: the school's evidence generation read before the evidence the overview rests on.
    ///   - school: the school's record the overview was made with.
    ///   - overview: the whole overview, nothing withheld.
    ///   - signalMunicipalities: the reporting municipality of every signal `overview` names.
    ///   - withheldFromAll: `overview` withheld from a caller who may read none of its signals.
    ///   - keepWhole: whether to keep `overview` itself too (the caller could read some of its signals).
    func put(_ key: Key, generation: Int64, school: School, overview: Components.Schemas.DoubleLockOverview,
             signalMunicipalities: [String: MunicipalityCode], withheldFromAll: Components.Schemas.DoubleLockOverview,
             keepWhole: Bool) {
        guard let withheld = try? wire.rest(of: withheldFromAll) else { return }
        var whole: (Data, [String: MunicipalityCode])?
        if keepWhole {
            guard let encoded = try? wire.rest(of: overview) else { return }
            whole = (encoded, signalMunicipalities)
        }
        let entry = Entry(generation: generation, school: school, withheldFromAll: withheld,
                          namedMunicipalities: Set(signalMunicipalities.values), whole: whole)
        guard entry.bytes <= capacity / 4 else { return }
        let kept = state.withLock { state in
            if let old = state.entries.removeValue(forKey: key) { state.bytes -= old.bytes }
            if state.bytes + entry.bytes > capacity {
                state.entries = state.entries.filter { $0.key.request.date == key.request.date }
                state.bytes = state.entries.values.reduce(0) { $0 + $1.bytes }
                // Then arbitrary entries (a dictionary's order), until a quarter is free.
                while state.bytes + entry.bytes > capacity * 3 / 4, let victim = state.entries.first {
                    state.entries.removeValue(forKey: victim.key)
                    state.bytes -= victim.value.bytes
                }
            }
            state.entries[key] = entry
            state.bytes += entry.bytes
            return (state.entries.count, state.bytes)
        }
        entriesGauge.record(kept.0)
        bytesGauge.record(kept.1)
    }

    /// How many overviews are kept (for tests).
    var count: Int { state.withLock { $0.entries.count } }
}
