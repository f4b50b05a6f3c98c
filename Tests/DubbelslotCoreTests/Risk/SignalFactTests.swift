import DubbelslotCore
import Foundation
import Testing

extension CoreTests {
    /// The fields an assessment reads of a signal, and the id order the rules break ties with.
    @Suite struct SignalFactTests {
        @Test func idsSortAsTheirTextDoes() {
            var rng = SeededGenerator(seed: 7)
            func randomId() -> UUID {
                var bytes = [UInt8](repeating: 0, count: 16)
                for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
                // Shared prefixes, so that later bytes decide too.
                if Bool.random(using: &rng) { bytes[0] = 0x7f; bytes[1] = 0xa0 }
                return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                                   bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
            }
            let ids = (0..<300).map { _ in randomId() }
            for _ in 0..<3_000 {
                let a = ids.randomElement(using: &rng)!, b = ids.randomElement(using: &rng)!
                #expect(UUID.inTextOrder(a, b) == (a.uuidString < b.uuidString))
                let x = Array(ids.shuffled(using: &rng).prefix(Int.random(in: 0...3, using: &rng)))
                let y = Array(ids.shuffled(using: &rng).prefix(Int.random(in: 0...3, using: &rng)))
                #expect(UUID.inTextOrder(x, y) == (x.map(\.uuidString).joined() < y.map(\.uuidString).joined()))
                #expect(UUID.inTextOrder(x, x + [a]) && !UUID.inTextOrder(x + [a], x))
            }
        }

        @Test func theReceivedDayIsAmsterdams() {
            // 23:30 on 31 March in Amsterdam is 21:30 UTC: still March there.
            let lateEvening = LocalDate(iso8601: "2026-04-01")!.startInstant().addingTimeInterval(-1800)
            let fact = SignalFact(id: UUID(), municipalityCode: MunicipalityCode("GM0363")!, schoolId: nil, category: .other, severity: .low,
                                  status: .received, receivedAt: lateEvening)
            #expect(fact.receivedOn == LocalDate(iso8601: "2026-03-31")!)
        }
    }
}
