public import DubbelslotCore
public import Foundation
import Logging
import PostgresNIO

/// Writes a ``DemoDataset`` into the database in one transaction.
///
/// Rows go in per table as arrays expanded by `unnest`, a fixed handful of statements whatever the
/// dataset's size. Signal references are drawn from `signal_reference_counters_by_municipality` like any
/// intake, so later signals continue the numbering. The schools' normalised names (`school_name_keys`, for
/// signal matching) and the dataset's corroboration links (`signal_relations`) are written too.
public struct DemoDataWriter: Sendable {
    /// The store written to.
    public let store: Store

    /// A writer into `store`.
    public init(store: Store) {
        self.store = store
    }

    /// What a write did.
    public enum Outcome: Sendable, Equatable {
        /// Everything was written.
        case written(schools: Int, decisions: Int, visits: Int, signals: Int)
        /// Fictional schools were already present; nothing was written.
        case alreadyPresent(schools: Int)
    }

    /// Writes the dataset unless fictional schools are already present.
    ///
    /// - Throws: a database error; nothing is written then.
    public func write(_ data: DemoDataset) async throws -> Outcome {
        let logger = store.logger
        return try await StoreError.translating(logger: logger) {
            try await store.client.withTransaction(logger: logger) { c in
                // One writer at a time: two runs starting together must not both write.
                try await c.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger).collect()
                let existing = try await c.query("SELECT count(*)::int8 FROM schools WHERE is_fictional", logger: logger)
                    .firstRow()?.decode(Int.self) ?? 0
                if existing > 0 { return .alreadyPresent(schools: existing) }
                try await Self.writeSchools(data, on: c, logger: logger)
                try await Self.writeDecisions(data, on: c, logger: logger)
                try await Self.writeVisits(data, on: c, logger: logger)
                try await Self.writeSignals(data, on: c, logger: logger)
                try await AuditLog.append(on: c, actor: DemoDataset.actor, action: "demo.write", subject: "demo-data",
                                          details: ["schools": String(data.schools.count), "decisions": String(data.decisions.count),
                                                    "visits": String(data.visits.count), "signals": String(data.signals.count)],
                                          logger: logger)
                return .written(schools: data.schools.count, decisions: data.decisions.count, visits: data.visits.count, signals: data.signals.count)
            }
        }
    }

    static let lockKey: Int64 = 0x4442_534C_4445_4D4F  // "DBSLDEMO"

    private static func writeSchools(_ data: DemoDataset, on c: PostgresConnection, logger: Logger) async throws {
        let s = data.schools
        let actor = DemoDataset.actor
        try await c.query(
            """
            INSERT INTO schools (id, name, trade_names, kvk_number, municipality_code, routes, is_fictional, recorded_at, recorded_by)
            SELECT id, name, string_to_array(trade_names, '|'), kvk, municipality, string_to_array(routes, '|'), true,
                   \(data.anchor.startInstant()), \(actor)
            FROM unnest(\(s.map(\.id)), \(s.map(\.name)), \(s.map { $0.tradeNames.joined(separator: "|") }),
                        \(s.map(\.kvkNumber.rawValue)), \(s.map(\.municipalityCode.rawValue)),
                        \(s.map { $0.routes.map(\.rawValue).sorted().joined(separator: "|") }))
                 AS t(id, name, trade_names, kvk, municipality, routes)
            """, logger: logger).collect()
        let locations = s.flatMap { school in school.locations.map { (school.id, $0) } }
        try await c.query(
            """
            INSERT INTO school_locations (id, school_id, vestigingsnummer, municipality_code, address, recorded_at, recorded_by)
            SELECT id, school_id, nullif(number, ''), municipality, address, \(data.anchor.startInstant()), \(actor)
            FROM unnest(\(locations.map(\.1.id)), \(locations.map(\.0)), \(locations.map { $0.1.vestigingsnummer?.rawValue ?? "" }),
                        \(locations.map(\.1.municipalityCode.rawValue)), \(locations.map(\.1.address)))
                 AS t(id, school_id, number, municipality, address)
            """, logger: logger).collect()
        let keys = s.flatMap { school in
            SchoolRepository.nameKeys(name: school.name, tradeNames: school.tradeNames).map { (school.id, $0) }
        }
        try await c.query(
            """
            INSERT INTO school_name_keys (school_id, normalized_name)
            SELECT * FROM unnest(\(keys.map(\.0)), \(keys.map(\.1))) AS t(school_id, normalized_name)
            """, logger: logger).collect()
    }

    private static func writeDecisions(_ data: DemoDataset, on c: PostgresConnection, logger: Logger) async throws {
        let d = data.decisions
        try await c.query(
            """
            INSERT INTO quality_mark_decisions (id, school_id, status, valid_during, decided_on, reference, reason, recorded_at, recorded_by)
            SELECT id, school_id, status,
                   daterange(DATE '1970-01-01' + from_day, CASE WHEN until_day < 0 THEN NULL ELSE DATE '1970-01-01' + until_day END, '[)'),
                   DATE '1970-01-01' + decided_day, reference, nullif(reason, ''), recorded_at, \(DemoDataset.actor)
            FROM unnest(\(d.map(\.id)), \(d.map(\.schoolId)), \(d.map(\.status.rawValue)),
                        \(d.map { Int32($0.validDuring.from.daysSinceEpoch) }), \(d.map { Int32($0.validDuring.until?.daysSinceEpoch ?? -1) }),
                        \(d.map { Int32($0.decidedOn.daysSinceEpoch) }), \(d.map { $0.reference ?? "" }), \(d.map { $0.reason ?? "" }),
                        \(d.map(\.recordedAt)))
                 AS t(id, school_id, status, from_day, until_day, decided_day, reference, reason, recorded_at)
            """, logger: logger).collect()
    }

    private static func writeVisits(_ data: DemoDataset, on c: PostgresConnection, logger: Logger) async throws {
        let v = data.visits
        try await c.query(
            """
            INSERT INTO supervision_visits (id, school_id, location_id, kind, announced, visited_on, outcome, recorded_at, recorded_by)
            SELECT id, school_id, location_id, kind, announced, DATE '1970-01-01' + visited_day, outcome, recorded_at, \(DemoDataset.actor)
            FROM unnest(\(v.map(\.id)), \(v.map(\.schoolId)), \(v.map { $0.locationId ?? $0.id }), \(v.map(\.kind.rawValue)),
                        \(v.map(\.announced)), \(v.map { Int32($0.visitedOn.daysSinceEpoch) }), \(v.map(\.outcome.rawValue)), \(v.map(\.recordedAt)))
                 AS t(id, school_id, location_or_self, kind, announced, visited_day, outcome, recorded_at)
            CROSS JOIN LATERAL (SELECT CASE WHEN location_or_self = id THEN NULL ELSE location_or_self END AS location_id) l
            """, logger: logger).collect()
        let findings = v.flatMap { visit in visit.findings.enumerated().map { (visit, $0.offset, $0.element) } }
        try await c.query(
            """
            INSERT INTO visit_findings (id, visit_id, ordinal, norm_code, severity, note, recorded_at, recorded_by)
            SELECT id, visit_id, ordinal, norm_code, severity, nullif(note, ''), recorded_at, \(DemoDataset.actor)
            FROM unnest(\(findings.map(\.2.id)), \(findings.map(\.0.id)), \(findings.map { Int32($0.1) }), \(findings.map(\.2.normCode)),
                        \(findings.map(\.2.severity.rawValue)), \(findings.map { $0.2.note ?? "" }), \(findings.map(\.0.recordedAt)))
                 AS t(id, visit_id, ordinal, norm_code, severity, note, recorded_at)
            """, logger: logger).collect()
    }

    private static func writeSignals(_ data: DemoDataset, on c: PostgresConnection, logger: Logger) async throws {
        // Reserve a block of reference numbers per municipality and year, as intake would one by one.
        var references: [UUID: String] = [:]
        let byCounter = Dictionary(grouping: data.signals) {
            MunicipalityYear(code: $0.signal.municipalityCode.rawValue, year: LocalDate(instant: $0.signal.receivedAt).year)
        }
        for (counter, signals) in byCounter.sorted(by: { ($0.key.code, $0.key.year) < ($1.key.code, $1.key.year) }) {
            let last = try await c.query(
                """
                INSERT INTO signal_reference_counters_by_municipality AS c (municipality_code, year, last)
                VALUES (\(counter.code), \(counter.year), \(signals.count))
                ON CONFLICT (municipality_code, year) DO UPDATE SET last = c.last + \(signals.count) RETURNING last
                """, logger: logger).firstRow()?.decode(Int.self) ?? signals.count
            for (offset, s) in signals.enumerated() {
                references[s.signal.id] = "SIG-\(counter.code)-\(counter.year)-" + String(format: "%06d", last - signals.count + 1 + offset)
            }
        }
        let s = data.signals.map(\.signal)
        try await c.query(
            """
            INSERT INTO fraud_signals (id, reference, municipality_code, school_id, reported_school_name, reported_kvk_number,
                                       category, severity, observed_from, observed_until, summary, source, status,
                                       received_at, recorded_at, recorded_by)
            SELECT id, reference, municipality, school_id, reported_name, nullif(reported_kvk, ''), category, severity,
                   DATE '1970-01-01' + from_day, DATE '1970-01-01' + nullif(until_day, -1), summary, source, status, received_at, received_at,
                   \(DemoDataset.actor)
            FROM unnest(\(s.map(\.id)), \(s.map { references[$0.id]! }), \(s.map(\.municipalityCode.rawValue)), \(s.map { $0.schoolId! }),
                        \(s.map(\.reportedSchoolName)), \(s.map { $0.reportedKvkNumber?.rawValue ?? "" }), \(s.map(\.category.rawValue)),
                        \(s.map(\.severity.rawValue)), \(s.map { Int32($0.observedFrom.daysSinceEpoch) }),
                        \(s.map { Int32($0.observedUntil?.daysSinceEpoch ?? -1) }), \(s.map(\.summary)),
                        \(s.map(\.source.rawValue)), \(s.map(\.status.rawValue)), \(s.map(\.receivedAt)))
                 AS t(id, reference, municipality, school_id, reported_name, reported_kvk, category, severity, from_day, until_day,
                      summary, source, status, received_at)
            """, logger: logger).collect()
        let transitions = data.signals.flatMap { s in s.transitions.map { (s.signal.id, $0) } }
        try await c.query(
            """
            INSERT INTO signal_transitions (signal_id, from_status, to_status, at, by, note, recorded_at, recorded_by)
            SELECT signal_id, nullif(from_status, ''), to_status, at, \(DemoDataset.actor), note, at, \(DemoDataset.actor)
            FROM unnest(\(transitions.map(\.0)), \(transitions.map { $0.1.from?.rawValue ?? "" }), \(transitions.map(\.1.to.rawValue)),
                        \(transitions.map(\.1.at)), \(transitions.map(\.1.note)))
                 AS t(signal_id, from_status, to_status, at, note)
            """, logger: logger).collect()
        // Corroboration links as an inspector would have made them, dated at the later report.
        let pairs = data.corroborations
        try await c.query(
            """
            INSERT INTO signal_relations (signal_id, related_signal_id, kind, note, at, by, recorded_at, recorded_by)
            SELECT t.signal_id, t.related_id, 'corroborating', 'Demo: same school and category, another municipality.',
                   greatest(a.received_at, b.received_at), \(DemoDataset.actor), greatest(a.received_at, b.received_at), \(DemoDataset.actor)
            FROM unnest(\(pairs.map(\.first)), \(pairs.map(\.second))) AS t(signal_id, related_id)
            JOIN fraud_signals a ON a.id = t.signal_id
            JOIN fraud_signals b ON b.id = t.related_id
            """, logger: logger).collect()
    }
}

/// The key of a reference counter: a municipality's CBS code and a year.
private struct MunicipalityYear: Hashable {
    let code: String
    let year: Int
}
