import DubbelslotCore
import DubbelslotOpenAPI
import Foundation
import Metrics
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
/// The overview is kept whole, before withholding; each caller's answer is withheld anew from the
/// municipality of every signal the overview names.
final class KeptOverviews: Sendable {
    struct Key: Hashable {
        let schoolId: UUID
        let modelVersion: String
        let request: AssessmentRequest
        let language: TextLanguage
    }

    /// A kept overview with what it takes to withhold it for any caller.
    struct Entry: Sendable {
        /// The school's evidence generation read before its evidence.
        let generation: Int64
        /// The school's record the overview was made with.
        let school: School
        /// The whole overview, nothing withheld, as JSON with instants as seconds (lossless): a third of
        /// the memory of the decoded value.
        let encoded: Data
        /// The reporting municipality of every signal the overview names, by lowercase id.
        let signalMunicipalities: [String: MunicipalityCode]

        /// About the bytes it holds.
        var bytes: Int { encoded.count + 80 * signalMunicipalities.count + 256 }
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())
    /// At most about this many bytes are kept. A full cache drops the entries of other dates, then
    /// arbitrary entries until a quarter is free. 32 MB holds the overviews of about a thousand
    /// schools with a thousand signals each (some 31 kB each as JSON).
    let capacity: Int

    /// How many overviews and how many bytes are kept, for `/metrics` (`dubbelslot_kept_overviews`,
    /// `dubbelslot_kept_overview_bytes`).
    private let entriesGauge = Gauge(label: "dubbelslot_kept_overviews")
    private let bytesGauge = Gauge(label: "dubbelslot_kept_overview_bytes")

    init(capacity: Int = 32 << 20) {
        self.capacity = capacity
    }

    /// The overview kept under `key` and the municipalities of the signals it names, if it was made
    /// under `generation` with this very `school` record.
    func get(_ key: Key, generation: Int64, school: School)
        -> (overview: Components.Schemas.DoubleLockOverview, signalMunicipalities: [String: MunicipalityCode])? {
        let found: Entry? = state.withLock { state in
            guard let entry = state.entries[key], entry.generation == generation, entry.school == school else { return nil }
            return entry
        }
        guard let found, let overview = try? JSONDecoder().decode(Components.Schemas.DoubleLockOverview.self, from: found.encoded)
        else { return nil }
        return (overview, found.signalMunicipalities)
    }

    /// Keeps `overview` under `key`, in place of what was kept there.
    ///
    /// - Parameters:
    ///   - generation: the school's evidence generation read before the evidence the overview rests on.
    ///   - school: the school's record the overview was made with.
    ///   - signalMunicipalities: the reporting municipality of every signal the overview names.
    func put(_ key: Key, generation: Int64, school: School, overview: Components.Schemas.DoubleLockOverview,
             signalMunicipalities: [String: MunicipalityCode]) {
        guard let encoded = try? JSONEncoder().encode(overview) else { return }
        let entry = Entry(generation: generation, school: school, encoded: encoded, signalMunicipalities: signalMunicipalities)
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
