import DubbelslotCore
import Foundation
import Synchronization

/// Assessments of schools for a business date, kept in memory while their evidence holds, so that a
/// municipality's list, the search page's verdicts and today's risk ranking do not re-read every
/// school's whole evidence on every request
/// (docs/decisions/0005-assessments-kept-while-evidence-holds.md).
///
/// An entry is valid while the school's evidence generation (sql/0035, moved by triggers in the
/// transaction of every evidence change) is the one it was computed under; the key holds the model
/// version, the business date and the route, so a new model, a new day or another route is a miss.
/// Only rows are kept (``Ranking/rowOnly(_:)``): the overview of one school is always assessed anew.
final class KeptAssessments: Sendable {
    struct Key: Hashable {
        let schoolId: UUID
        let modelVersion: String
        let date: LocalDate
        let route: Route?
    }

    private struct Entry {
        let generation: Int64
        let assessment: Assessment
    }

    private let entries = Mutex<[Key: Entry]>([:])
    /// At most this many entries; a full cache drops every entry of another date, then half the rest.
    /// 20,000 rows of about 2 kB: some 40 MB at most.
    let capacity: Int

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// The assessment kept under `key`, if it was computed under `generation`.
    func get(_ key: Key, generation: Int64) -> Assessment? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.generation == generation else { return nil }
            return entry.assessment
        }
    }

    /// Keeps `assessment`'s row under `key` and `generation`.
    func put(_ key: Key, generation: Int64, _ assessment: Assessment) {
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.key.date == key.date }
                if entries.count >= capacity {
                    var dropped = 0
                    for k in entries.keys where dropped < capacity / 2 {
                        entries[k] = nil
                        dropped += 1
                    }
                }
            }
            entries[key] = Entry(generation: generation, assessment: Ranking.rowOnly(assessment))
        }
    }

    /// How many entries are kept (for tests and metrics).
    var count: Int { entries.withLock { $0.count } }
}
