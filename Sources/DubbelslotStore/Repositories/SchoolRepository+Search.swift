import DubbelslotCore
import Foundation
import PostgresNIO

extension SchoolRepository {
    /// The largest page ``search(_:)`` returns.
    public static let maximumPageSize = 200

    /// One page of schools matching every filter of `query`, most relevant first: the name or a trade
    /// name is the text, the name starts with it, contains it, or only a similar word
    /// (`school_search_rank`, sql/0033); then by `(name, id)`. Without a text, by `(name, id)`.
    ///
    /// One fixed statement whatever the filters (a `NULL` filter matches everything), plus one query
    /// for the page's locations. Text search folds case and diacritics (`fold_text` in
    /// `sql/0002_search_functions.sql`) and matches a substring of the name or a trade name, or a
    /// word similar to it (pg_trgm `<%`); both use the trigram index `schools_search_trgm_idx`.
    /// - Returns: at most `query.limit` (clamped to 1–200) schools and the cursor of the next page.
    ///   An `after` id that does not exist yields an empty page.
    public func search(_ query: SchoolQuery) async throws -> SchoolPage {
        let limit = min(max(query.limit, 1), Self.maximumPageSize)
        return try await client.withConnection { connection in
            let rows = try await connection.query(Self.searchQuery(query, limit: limit), logger: logger)
            var schools = try await Self.schools(from: rows, on: connection, logger: logger)
            var next: UUID?
            if schools.count > limit {
                schools.removeLast(schools.count - limit)
                next = schools.last?.id
            }
            return SchoolPage(schools: schools, nextCursor: next)
        }
    }

    /// The statement behind ``search(_:)``: the same SQL text and bind count whatever the filters,
    /// asking one row more than `limit` to learn whether another page follows.
    static func searchQuery(_ query: SchoolQuery, limit: Int) -> PostgresQuery {
        let text = query.text?.trimmingCharacters(in: .whitespacesAndNewlines)
        let term: String? = (text?.isEmpty ?? true) ? nil : text
        let pattern = term.map(likeEscaped)
        let kvk = query.kvkNumber?.rawValue
        let municipality = query.municipality?.rawValue
        let route = query.route?.rawValue
        return """
            SELECT \(unescaped: columns)
            FROM schools s
            WHERE (\(term)::text IS NULL
                   OR school_search_text(s.name, s.trade_names) LIKE '%' || fold_text(\(pattern)::text) || '%'
                   OR fold_text(\(term)::text) <% school_search_text(s.name, s.trade_names))
              AND (\(kvk)::text IS NULL OR s.kvk_number = \(kvk)::text)
              AND (\(municipality)::text IS NULL
                   OR s.municipality_code = \(municipality)::text
                   OR EXISTS (SELECT 1 FROM school_locations l
                              WHERE l.school_id = s.id AND l.municipality_code = \(municipality)::text))
              AND (\(route)::text IS NULL OR \(route)::text = ANY(s.routes))
              AND (\(query.after)::uuid IS NULL
                   OR (school_search_rank(s.name, s.trade_names, \(term)::text), s.name, s.id)
                      > (SELECT school_search_rank(a.name, a.trade_names, \(term)::text), a.name, a.id
                         FROM schools a WHERE a.id = \(query.after)::uuid))
            ORDER BY school_search_rank(s.name, s.trade_names, \(term)::text), s.name, s.id
            LIMIT \(limit + 1)
            """
    }

    /// `text` with the `LIKE` wildcards `%` and `_` and the escape character `\` escaped.
    static func likeEscaped(_ text: String) -> String {
        var result = ""
        for c in text {
            if c == "\\" || c == "%" || c == "_" { result.append("\\") }
            result.append(c)
        }
        return result
    }
}
