import DubbelslotCore
import Testing

extension CoreTests {
    @Suite struct HexTests {
        @Test("lowercase hex of bytes")
        func hex() {
            #expect([UInt8]([0x00, 0x0f, 0xa0, 0xff]).lowercaseHex == "000fa0ff")
            #expect([UInt8]().lowercaseHex == "")
        }
    }
}
