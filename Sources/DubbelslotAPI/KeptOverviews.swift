import CZlib
import DubbelslotCore
import DubbelslotOpenAPI
import Foundation
import Metrics
import OpenAPIRuntime
import Synchronization

/// Overviews of one school, kept in memory while the school's evidence holds, so that asking for the
/// overview of a school again does not re-read and re-assess all of its evidence
/// (docs/decisions/0022-overviews-kept-while-evidence-holds.md).
///
/// Only overviews of *now* are kept (no `asOf`, no shadow model). An entry holds while the school's
/// evidence generation (sql/0035, moved by triggers in the transaction of every evidence change) is
/// the one it was computed under and the school's record is unchanged; the key holds the model
/// version, the request (business date, route, contract period, location) and the language. An
/// answer from an entry is the kept overview with `asOf` set to the instant of the request: the same
/// answer, byte for byte, as asking again with that `asOf`, because no evidence changed in between.
///
/// An entry answers two kinds of caller, each with the overview as it is shown to them, kept once such
/// a caller asked: one who may read none of the signals it names in full (buyers: every signal
/// contribution summed per month) and one who may read all of them (inspectors, analysts: the whole
/// overview). Any other caller is assessed in full; no role is such a caller today.
final class KeptOverviews: Sendable {
    struct Key: Hashable {
        let schoolId: UUID
        let modelVersion: String
        let request: AssessmentRequest
        let language: TextLanguage
    }

    /// A kept overview, in the forms asked for so far, each as the answer's JSON after its `asOf`
    /// (see ``Wire``), compressed (``Deflated``).
    struct Entry: Sendable {
        /// The school's evidence generation read before its evidence.
        let generation: Int64
        /// The school's record the overview was made with.
        let school: School
        /// The reporting municipalities of the signals the overview names.
        let namedMunicipalities: Set<MunicipalityCode>
        /// The overview with every signal withheld (a few kB whatever the evidence).
        var withheldFromAll: Deflated?
        /// The whole overview (at 1,000× volume 2.5–370 kB a school, 31 kB the median; a sixth of
        /// that compressed).
        var whole: Deflated?

        /// About the bytes it holds.
        var bytes: Int { (withheldFromAll?.bytes.count ?? 0) + (whole?.bytes.count ?? 0) + 8 * namedMunicipalities.count + 256 }

        /// The form for a caller who may read in full the signals of `readable` (`nil`: none), if kept.
        func form(for readable: MunicipalityScope?) -> Deflated? {
            let readsSome = readable.map { scope in namedMunicipalities.contains { scope.contains($0) } } ?? false
            let readsAll = readable.map { scope in namedMunicipalities.allSatisfy { scope.contains($0) } } ?? namedMunicipalities.isEmpty
            // With no signal named both forms are the same overview.
            if !readsSome { return withheldFromAll ?? (readsAll ? whole : nil) }
            return readsAll ? whole : nil
        }
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())
    /// At most about this many bytes are kept (compressed). A full cache drops the entries of other
    /// dates, then arbitrary entries until a quarter is free. At 1,000× volume (about 800 signals a
    /// school) the whole overviews of the benchmark's 1,000 schools take about 12 MB.
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
    init(capacity: Int = 64 << 20, dateTranscoder: any DateTranscoder) {
        self.capacity = capacity
        self.wire = Wire(dateTranscoder: dateTranscoder)
    }

    /// The kept form for a caller who may read in full the signals of `readable` (`nil`: none), if
    /// what is kept under `key` was made under `generation` with this very `school` record.
    private func form(_ key: Key, generation: Int64, school: School, readable: MunicipalityScope?) -> Data? {
        let found: Deflated? = state.withLock { state in
            guard let entry = state.entries[key], entry.generation == generation, entry.school == school else { return nil }
            return entry.form(for: readable)
        }
        return found?.inflated()
    }

    /// The overview kept under `key` as shown to a caller who may read in full the signals of
    /// `readable` (`nil`: none), its `asOf` still to be set; `nil` when nothing holds for this caller.
    func get(_ key: Key, generation: Int64, school: School, readable: MunicipalityScope?) -> Components.Schemas.DoubleLockOverview? {
        form(key, generation: generation, school: school, readable: readable).flatMap { try? wire.decode($0) }
    }

    /// The answer's bytes, as the API would encode them with `asOf`, for a caller who may read in
    /// full the signals of `readable` (`nil`: none); `nil` when nothing holds for this caller.
    func answer(_ key: Key, generation: Int64, school: School, readable: MunicipalityScope?, asOf: Date) -> Data? {
        form(key, generation: generation, school: school, readable: readable).flatMap { try? wire.bytes(asOf: asOf, rest: $0) }
    }

    /// Keeps the forms of an overview given, beside the forms kept under `key` for the same
    /// `generation` and `school` record (in place of any other entry).
    ///
    /// - Parameters:
    ///   - generation: the school's evidence generation read before the evidence the overview rests on.
    ///   - school: the school's record the overview was made with.
    ///   - namedMunicipalities: the reporting municipalities of the signals the overview names.
    ///   - withheldFromAll: the overview withheld from a caller who may read none of its signals.
    ///   - whole: the whole overview, nothing withheld.
    func put(_ key: Key, generation: Int64, school: School, namedMunicipalities: Set<MunicipalityCode>,
             withheldFromAll: Components.Schemas.DoubleLockOverview?, whole: Components.Schemas.DoubleLockOverview?) {
        let withheld = withheldFromAll.flatMap { try? wire.rest(of: $0) }.flatMap(Deflated.init)
        let wholeBytes = whole.flatMap { try? wire.rest(of: $0) }.flatMap(Deflated.init)
        guard withheld != nil || wholeBytes != nil else { return }
        let kept: (Int, Int)? = state.withLock { state in
            var entry = Entry(generation: generation, school: school, namedMunicipalities: namedMunicipalities)
            if let old = state.entries.removeValue(forKey: key) {
                state.bytes -= old.bytes
                if old.generation == generation, old.school == school { entry = old }
            }
            entry.withheldFromAll = withheld ?? entry.withheldFromAll
            entry.whole = wholeBytes ?? entry.whole
            guard entry.bytes <= capacity / 4 else { return nil }
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
        if let kept {
            entriesGauge.record(kept.0)
            bytesGauge.record(kept.1)
        }
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

    /// Bytes kept compressed with zlib's `compress2` at level 1: a kept overview's JSON is repeated
    /// member names, rule names and ids, and shrinks to about a sixth (measured: 30.0 kB to 4.9 kB);
    /// inflating one costs a fraction of a millisecond, encoding it anew several.
    struct Deflated: Sendable {
        /// The compressed bytes (zlib format, RFC 1950).
        let bytes: Data
        /// The length of the bytes before compression.
        let count: Int

        /// `nil` when zlib fails (then nothing is kept).
        init?(_ data: Data) {
            var length = compressBound(uLong(data.count))
            var out = Data(count: Int(length))
            let status = out.withUnsafeMutableBytes { target in
                data.withUnsafeBytes { source in
                    compress2(target.bindMemory(to: Bytef.self).baseAddress, &length,
                              source.bindMemory(to: Bytef.self).baseAddress, uLong(data.count), 1)
                }
            }
            guard status == Z_OK else { return nil }
            // A copy of exactly the compressed length: shortening `out` would keep its whole buffer.
            bytes = out.withUnsafeBytes { Data($0.prefix(Int(length))) }
            count = data.count
        }

        /// The bytes as they were; `nil` when zlib fails.
        func inflated() -> Data? {
            var length = uLongf(count)
            var out = Data(count: count)
            let status = out.withUnsafeMutableBytes { target in
                bytes.withUnsafeBytes { source in
                    uncompress(target.bindMemory(to: Bytef.self).baseAddress, &length,
                               source.bindMemory(to: Bytef.self).baseAddress, uLong(bytes.count))
                }
            }
            guard status == Z_OK, Int(length) == count else { return nil }
            return out
        }
    }

    /// How many overviews are kept (for tests).
    var count: Int { state.withLock { $0.entries.count } }
}
