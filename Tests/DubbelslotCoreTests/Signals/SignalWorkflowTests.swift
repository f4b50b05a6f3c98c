import DubbelslotCore
import Testing

extension CoreTests {
    @Suite("Signal workflow")
    struct SignalWorkflowTests {
        @Test("every transition is either allowed or refused, as the table says", arguments: SignalStatus.allCases)
        func transitions(from: SignalStatus) {
            let expected: [SignalStatus: Set<SignalStatus>] = [
                .received: [.triaged], .triaged: [.underInvestigation, .unfounded],
                .underInvestigation: [.substantiated, .unfounded, .inconclusive], .inconclusive: [.underInvestigation],
                .substantiated: [], .unfounded: [],
            ]
            for to in SignalStatus.allCases {
                #expect(SignalWorkflow.allows(from, to) == expected[from]!.contains(to), "\(from) → \(to)")
            }
        }
    }
}
