package import Foundation
package import PostgresNIO

/// Rows in PostgreSQL's text `COPY` format, written into a buffer for `COPY … FROM STDIN`.
///
/// Fields are separated by a tab and rows end with a newline. In a value, a backslash, tab, newline
/// and carriage return are written as `\\`, `\t`, `\n` and `\r`; every other byte (UTF-8 included)
/// is sent as it is, and `nil` is written as `\N` (SQL NULL), so the text `\N` itself arrives as the
/// two characters it is. The rules are PostgreSQL's ("COPY", section "Text Format"). PostgresNIO
/// streams bytes but does not encode rows, hence this type.
package struct CopyTextRows: Sendable {
    /// The encoded rows not yet sent.
    package var buffer: ByteBuffer
    private var atRowStart = true

    /// An empty buffer with room for `capacity` bytes (defaults to 64 KiB) before it grows.
    package init(capacity: Int = 1 << 16) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Appends a text field; `nil` is SQL NULL.
    package mutating func append(_ value: String?) {
        startField()
        guard let value else {
            buffer.writeStaticString("\\N")
            return
        }
        let utf8 = value.utf8
        guard utf8.contains(where: Self.needsEscape) else {
            buffer.writeString(value)
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    /// Appends an integer field in decimal; `nil` is SQL NULL.
    package mutating func append(_ value: Int?) {
        append(value.map { String($0) })
    }

    /// Appends a boolean field (`t` or `f`).
    package mutating func append(_ value: Bool) {
        append(value ? "t" : "f")
    }

    /// Appends a UUID field in its hyphenated form; `nil` is SQL NULL.
    package mutating func append(_ value: UUID?) {
        append(value?.uuidString)
    }

    /// Ends the current row.
    package mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        atRowStart = true
    }

    private mutating func startField() {
        if !atRowStart { buffer.writeInteger(UInt8(ascii: "\t")) }
        atRowStart = false
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
