// libFuzzer target: the personal-data guard over any text (a summary holds up to 4,000 characters).
import DubbelslotCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = PIIGuard.scan(text)
    return 0
}
