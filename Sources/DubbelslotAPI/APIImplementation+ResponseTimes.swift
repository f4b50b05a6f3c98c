import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation

extension APIImplementation {
    /// Response times of signals received in `[from, to)`, per group, as of now
    /// (docs/decisions/0010-response-times-in-dutch-working-days.md), counted only over the municipalities the caller
    /// may see (a signaller: its labour-market region).
    func getSignalResponseTimes(_ input: Operations.GetSignalResponseTimes.Input) async throws -> Operations.GetSignalResponseTimes.Output {
        var rules = InputRules()
        let parsed = (from: rules.requiredDate(input.query.from, "from"), to: rules.requiredDate(input.query.to, "to"))
        let groupBy = input.query.groupBy?.converted(to: ResponseTimeGrouping.self) ?? .municipality
        if let from = parsed.from, let to = parsed.to, to <= from { rules.fail("to", "must be after from (exclusive end)") }
        let (from, to) = try rules.checked(parsed.from, parsed.to)
        let groups = try await store.signals.responseTimes(from: from, to: to, groupBy: groupBy, now: Date(), norms: responseTimeNorms,
                                                           visible: Principal.visible)
        return .ok(.init(body: .json(.init(
            from: from.description, to: to.description, groupBy: groupBy.converted(),
            triageNormWorkingDays: responseTimeNorms.triageWorkingDays, conclusionNormWorkingDays: responseTimeNorms.conclusionWorkingDays,
            groups: groups.map {
                .init(key: $0.key, received: $0.signals, receivedToTriaged: .init($0.receivedToTriaged), triagedToConcluded: .init($0.triagedToConcluded),
                      receivedToConcluded: .init($0.receivedToConcluded), openPastTriageNorm: $0.openPastTriageNorm,
                      openPastConclusionNorm: $0.openPastConclusionNorm)
            }))))
    }
}

extension Components.Schemas.DurationStats {
    init(_ d: DurationSummary) {
        self.init(count: d.count, medianWorkingDays: d.medianWorkingDays.map(Double.init), p90WorkingDays: d.p90WorkingDays.map(Double.init),
                  medianHours: d.medianHours, p90Hours: d.p90Hours)
    }
}
