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
    /// At most this many entries; a full cache drops every entry of another date, then, if still full, all.
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
                // Rows of other dates first; when one date alone fills it, start again (deleting entries one
                // by one was a fifth of a 100,000-school ranking's CPU).
                entries = entries.filter { $0.key.date == key.date }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = Entry(generation: generation, assessment: Ranking.rowOnly(assessment))
        }
    }

    /// How many entries are kept (for tests and metrics).
    var count: Int { entries.withLock { $0.count } }

    /// The gate of a list: one computation of missing rows at a time per model version, date and route
    /// (striped over 16 gates, so the memory is bounded whatever dates are asked). Eight requests for a
    /// cold list would otherwise each read every school's evidence at once (measured at 1,000× volume:
    /// none finished within 2 s, and the server grew to 190 MB); after waiting, a request finds the rows
    /// the one before it kept. Lists of other dates (the risk report asks two at once) run beside it.
    func gate(modelVersion: String, date: LocalDate, route: Route?) -> Gate {
        var hasher = Hasher()
        hasher.combine(modelVersion)
        hasher.combine(date)
        hasher.combine(route)
        return gates[Int(UInt(bitPattern: hasher.finalize()) % UInt(gates.count))]
    }

    private let gates = (0..<16).map { _ in Gate() }
}

/// A first-come, first-served lock for async code: ``enter()`` waits until no one else is inside.
actor Gate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Waits for the gate; pair every call with one ``leave()``.
    func enter() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Lets the next waiting caller in, or opens the gate.
    func leave() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
