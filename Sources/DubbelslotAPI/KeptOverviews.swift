import DubbelslotCore
import DubbelslotOpenAPI
import Foundation
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
        /// The whole overview, nothing withheld.
        let overview: Components.Schemas.DoubleLockOverview
        /// The reporting municipality of every signal of the evidence, by lowercase id.
        let signalMunicipalities: [String: MunicipalityCode]

        /// What counts against ``KeptOverviews/capacity``: one per contribution and signal named, ten for the rest.
        var weight: Int { overview.oversight.contributions.count + signalMunicipalities.count + 10 }
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var weight = 0
    }

    private let state = Mutex(State())
    /// At most this much weight (``Entry/weight``) is kept; a full cache drops every entry of another
    /// date, then, if still full, all of them. 200,000 is about 1,000 overviews of schools with a
    /// thousand signals each, measured at some 40 MB.
    let capacity: Int

    init(capacity: Int = 200_000) {
        self.capacity = capacity
    }

    /// The entry kept under `key`, if it was made under `generation` with this very `school` record.
    func get(_ key: Key, generation: Int64, school: School) -> Entry? {
        state.withLock { state in
            guard let entry = state.entries[key], entry.generation == generation, entry.school == school else { return nil }
            return entry
        }
    }

    /// Keeps `entry` under `key`, in place of what was kept there.
    func put(_ key: Key, _ entry: Entry) {
        guard entry.weight <= capacity else { return }
        state.withLock { state in
            if let old = state.entries.removeValue(forKey: key) { state.weight -= old.weight }
            if state.weight + entry.weight > capacity {
                state.entries = state.entries.filter { $0.key.request.date == key.request.date }
                state.weight = state.entries.values.reduce(0) { $0 + $1.weight }
                if state.weight + entry.weight > capacity {
                    state.entries.removeAll(keepingCapacity: true)
                    state.weight = 0
                }
            }
            state.entries[key] = entry
            state.weight += entry.weight
        }
    }

    /// How many overviews are kept (for tests).
    var count: Int { state.withLock { $0.entries.count } }
}
