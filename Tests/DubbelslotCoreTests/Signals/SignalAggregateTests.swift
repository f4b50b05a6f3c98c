import DubbelslotCore
import Foundation
import Testing

extension CoreTests {
    /// The counts every municipality may see of the signals on a school
    /// (docs/decisions/0011-one-access-policy-and-signal-visibility.md).
    @Suite struct SignalAggregateTests {
        @Test func countsByCategorySeverityStatusAndMonthWithoutDuplicatesOrLaterSignals() {
            let first = signal(.high, .substantiated, municipality: "GM0363", receivedOn: LocalDate(iso8601: "2026-01-31")!)
            // 23:30 on 31 March in Amsterdam is still March, though it is 21:30 or 22:30 UTC.
            let lateEvening = FraudSignal(
                id: UUID(), reference: "SIG-2026-000002", municipalityCode: MunicipalityCode("GM0599")!, schoolId: schoolId,
                reportedSchoolName: "Taalschool Voorbeeld 001 B.V.", reportedKvkNumber: nil, reportedPlace: nil, category: .kickbacks,
                severity: .medium, observedFrom: LocalDate(iso8601: "2026-02-01")!, observedUntil: nil, summary: "test", source: .media,
                status: .received, receivedAt: LocalDate(iso8601: "2026-04-01")!.startInstant().addingTimeInterval(-1800),
                recordedAt: Date(), recordedBy: "test")
            let second = signal(.medium, .unfounded, municipality: "GM0363", receivedOn: LocalDate(iso8601: "2026-01-02")!)
            let duplicate = FraudSignal(
                id: UUID(), reference: "SIG-2026-000004", municipalityCode: MunicipalityCode("GM0344")!, schoolId: schoolId,
                reportedSchoolName: "x", reportedKvkNumber: nil, reportedPlace: nil, category: .examFraud, severity: .high,
                observedFrom: LocalDate(iso8601: "2026-01-01")!, observedUntil: nil, summary: "test", source: .media, status: .received,
                receivedAt: LocalDate(iso8601: "2026-02-01")!.startInstant(), recordedAt: Date(), recordedBy: "test", duplicateOf: first.id)
            let later = signal(.low, .received, municipality: "GM0344", receivedOn: LocalDate(iso8601: "2026-05-02")!)

            let aggregate = SignalAggregate([later, first, lateEvening.fact, duplicate.fact, second], through: LocalDate(iso8601: "2026-05-01")!)
            #expect(aggregate.total == 3)
            #expect(aggregate.reportingMunicipalities == 2)
            #expect(aggregate.byCategory.map(\.0) == [.lessonsNotGiven, .kickbacks])
            #expect(aggregate.byCategory.map(\.1) == [2, 1])
            #expect(aggregate.bySeverity.map(\.0) == [.medium, .high] && aggregate.bySeverity.map(\.1) == [2, 1])
            #expect(aggregate.byStatus.map(\.0) == [.received, .substantiated, .unfounded])
            #expect(aggregate.byMonth.map(\.0) == ["2026-01", "2026-03"] && aggregate.byMonth.map(\.1) == [2, 1])

            let empty = SignalAggregate([], through: today)
            #expect(empty.total == 0 && empty.byMonth.isEmpty && empty.reportingMunicipalities == 0)
        }
    }
}
