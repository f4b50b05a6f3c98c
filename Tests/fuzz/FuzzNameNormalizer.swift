// libFuzzer target: the school-name normaliser and the Latin fold; the fold must give ASCII only.
import DubbelslotCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let normalized = SchoolNameNormalizer.normalize(text)
    precondition(normalized.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x20 },
                 "the normaliser gave more than a-z, 0-9 and spaces")
    precondition(SchoolNameNormalizer.normalize(normalized) == normalized, "the normaliser is not idempotent")
    return 0
}
