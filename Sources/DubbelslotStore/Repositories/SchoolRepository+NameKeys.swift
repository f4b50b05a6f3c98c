import DubbelslotCore
import Foundation
import Logging
import PostgresNIO

extension SchoolRepository {
    /// Makes `school_name_keys` hold exactly the normalised names of every school, and returns how many
    /// rows it added and removed together (0 when it was up to date).
    ///
    /// The keys are Core's ``SchoolNameNormalizer`` of the registered name and of each trade name;
    /// names that normalise to the empty string get none. ``create(_:actor:)``, ``upsert(_:actor:progress:)``
    /// and the demo-data writer keep the keys up to date themselves; this fills them for schools
    /// written before `sql/0019_school_name_keys.sql` or after a change of the normaliser. Idempotent;
    /// run after migrating (`dubbelslot migrate`, ``LocalSetup``). One transaction; the schools read are
    /// locked `FOR SHARE`, so a concurrent rename waits rather than losing its keys.
    @discardableResult
    public func rebuildNameKeys() async throws -> Int {
        try await StoreError.translating(logger: logger) {
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    "SELECT id, name, trade_names FROM schools ORDER BY id FOR SHARE", logger: logger)
                var schoolIds: [UUID] = [], keySchools: [UUID] = [], keys: [String] = []
                for try await (id, name, tradeNames) in rows.decode((UUID, String, [String]).self) {
                    schoolIds.append(id)
                    for key in Self.nameKeys(name: name, tradeNames: tradeNames) {
                        keySchools.append(id)
                        keys.append(key)
                    }
                }
                return try await Self.replaceNameKeys(of: schoolIds, with: keySchools, keys, on: connection, logger: logger)
            }
        }
    }

    /// The distinct non-empty normalised forms of a school's names, sorted.
    static func nameKeys(name: String, tradeNames: [String]) -> [String] {
        Set(([name] + tradeNames).map(SchoolNameNormalizer.normalize)).filter { !$0.isEmpty }.sorted()
    }

    /// Makes the name keys of `schoolIds` exactly the pairs (`keySchools[i]`, `keys[i]`), in one
    /// statement; returns how many rows it added and removed together. The caller holds the transaction.
    static func replaceNameKeys(of schoolIds: [UUID], with keySchools: [UUID], _ keys: [String], on connection: PostgresConnection,
                                logger: Logger) async throws -> Int {
        let counts = try await connection.query(
            """
            WITH wanted AS (
                SELECT * FROM unnest(\(keySchools)::uuid[], \(keys)::text[]) AS w(school_id, normalized_name)
            ), removed AS (
                DELETE FROM school_name_keys k
                WHERE k.school_id = ANY(\(schoolIds)::uuid[])
                  AND NOT EXISTS (SELECT 1 FROM wanted w
                                  WHERE w.school_id = k.school_id AND w.normalized_name = k.normalized_name)
                RETURNING 1
            ), added AS (
                INSERT INTO school_name_keys (school_id, normalized_name)
                SELECT school_id, normalized_name FROM wanted
                ON CONFLICT DO NOTHING
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM added)::int8 + (SELECT count(*) FROM removed)::int8
            """, logger: logger).firstRow()
        return try counts?.decode(Int.self) ?? 0
    }

    /// Replaces the name keys of one school by those of `name` and `tradeNames`; the caller holds the transaction.
    static func writeNameKeys(schoolId: UUID, name: String, tradeNames: [String], on connection: PostgresConnection,
                              logger: Logger) async throws {
        let keys = nameKeys(name: name, tradeNames: tradeNames)
        _ = try await replaceNameKeys(of: [schoolId], with: Array(repeating: schoolId, count: keys.count), keys, on: connection, logger: logger)
    }
}
