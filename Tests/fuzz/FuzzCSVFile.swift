// libFuzzer target: the CSV reader of every import and of the batch intake, over any bytes.
import DubbelslotStore
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? CSVFile.parse(Data(bytes: data, count: size))
    return 0
}
