package import Logging
package import PostgresNIO

extension PostgresConnection {
    /// Streams `count` rows into `table` with `COPY table (columns) FROM STDIN` in text format.
    ///
    /// `encode(i, &rows)` appends row `i` (0..<`count`), one field per column in order, then calls
    /// ``CopyTextRows/endRow()``. Rows are sent in chunks of about 64 KiB; `progress` hears after
    /// each chunk and after the last.
    /// - Parameters:
    ///   - table: a constant table name of ours (quoted as an identifier, never user input).
    ///   - columns: constant column names of `table`.
    /// - Throws: what `encode` throws (the COPY is then abandoned); `PSQLError` when PostgreSQL refuses
    ///   a value or the stream. The caller's transaction is then unusable.
    package func copyRows(into table: String, columns: [String], count: Int, logger: Logger,
                          progress: ImportProgressHandler? = nil,
                          encode: (Int, inout CopyTextRows) throws -> Void) async throws {
        let chunkBytes = 1 << 16
        let clock = ContinuousClock(), start = clock.now
        try await copyFrom(table: table, columns: columns, logger: logger) { writer in
            var rows = CopyTextRows(capacity: chunkBytes + 4096)
            for i in 0..<count {
                try encode(i, &rows)
                if rows.buffer.readableBytes >= chunkBytes {
                    try await writer.write(rows.buffer)
                    rows.buffer.clear()
                    progress?(ImportProgress(rowsDone: i + 1, rowsTotal: count, elapsed: clock.now - start))
                }
            }
            if rows.buffer.readableBytes > 0 { try await writer.write(rows.buffer) }
        }
        progress?(ImportProgress(rowsDone: count, rowsTotal: count, elapsed: clock.now - start))
    }
}
