import DubbelslotCore
import Testing

extension CoreTests {
    @Suite("Signal import rules")
    struct SignalImportRulesTests {
        static let header = ["caseReference", "reportedSchoolName", "reportedKvkNumber", "reportedVestigingsnummer", "reportedPlace",
                             "category", "severity", "observedFrom", "observedUntil", "summary", "source"]
        static let today = LocalDate(iso8601: "2025-06-13")!
        static let good = ["Z-2025-001", "Taalschool 't Hooft B.V.", "00050001", "", "Amsterdam", "lessonsNotGiven", "high",
                           "2025-03-03", "2025-04-01", "Lessen op het rooster vonden niet plaats.", "learnerComplaint"]

        func table(_ rows: [[String]], header: [String] = header) -> CSVTable {
            CSVTable(header: header, records: rows.enumerated().map { i, r in
                CSVRecord(line: i + 2, values: Dictionary(uniqueKeysWithValues: zip(header, r)))
            })
        }

        @Test("a good row comes back whole; empty optional columns are nil")
        func goodRow() throws {
            let rows = try SignalImportRules.validate(table([Self.good]), today: Self.today)
            #expect(rows.count == 1)
            let r = rows[0]
            #expect(r.line == 2 && r.caseReference == "Z-2025-001" && r.reportedSchoolName == "Taalschool 't Hooft B.V.")
            #expect(r.reportedKvkNumber == KvKNumber("00050001") && r.reportedVestigingsnummer == nil && r.reportedPlace == "Amsterdam")
            #expect(r.category == .lessonsNotGiven && r.severity == .high && r.source == .learnerComplaint)
            #expect(r.observedFrom == LocalDate(iso8601: "2025-03-03") && r.observedUntil == LocalDate(iso8601: "2025-04-01"))
        }

        @Test("optional columns may be left out of the header")
        func optionalColumnsAbsent() throws {
            let header = SignalImportRules.requiredColumns
            let values = ["Z-1", "Taalschool", "kickbacks", "low", "2025-01-06", "Cursisten kregen geld voor een handtekening.", "media"]
            let rows = try SignalImportRules.validate(table([values], header: header), today: Self.today)
            #expect(rows.first?.observedUntil == nil && rows.first?.reportedKvkNumber == nil)
        }

        @Test("every broken rule is listed with line, column and rule")
        func everyError() {
            var bad = Self.good
            bad[0] = ""  // caseReference
            bad[2] = "1234567"  // KvK
            bad[3] = "12345"  // vestigingsnummer
            bad[5] = "fraud"  // category
            bad[7] = "2025-02-30"  // observedFrom
            var future = Self.good
            future[0] = "Z-2025-002"
            future[7] = "2025-07-01"
            future[8] = ""
            var until = Self.good
            until[0] = "Z-2025-003"
            until[8] = "2025-03-03"  // not after observedFrom
            until[9] = "Cursist 111222333 tekende niet"  // a BSN
            var repeated = Self.good
            repeated[6] = "urgent"
            #expect {
                _ = try SignalImportRules.validate(table([Self.good, bad, future, until, repeated]), today: Self.today)
            } throws: { error in
                let found = (error as! ValidationFailure).errors.map { "\($0.line!):\($0.field)" }
                return found == [
                    "3:caseReference", "3:reportedKvkNumber", "3:reportedVestigingsnummer", "3:category", "3:observedFrom",
                    "4:observedFrom",
                    "5:observedUntil", "5:summary",
                    "6:severity", "6:caseReference",
                ]
            }
        }

        @Test("a repeated case reference names the first line")
        func duplicateCaseReference() {
            #expect {
                _ = try SignalImportRules.validate(table([Self.good, Self.good]), today: Self.today)
            } throws: { error in
                (error as! ValidationFailure).errors == [FieldError(field: "caseReference", rule: "duplicate case reference, first on line 2", line: 3)]
            }
        }

        @Test("a missing column, and a file without records, are refused")
        func shape() {
            #expect {
                _ = try SignalImportRules.validate(table([], header: Array(Self.header.dropFirst())), today: Self.today)
            } throws: { ($0 as! ValidationFailure).errors == [FieldError(field: "caseReference", rule: "column is missing from the header", line: 1)] }
            #expect {
                _ = try SignalImportRules.validate(table([]), today: Self.today)
            } throws: { ($0 as! ValidationFailure).errors == [FieldError(field: "file", rule: "has no records", line: 2)] }
        }
    }
}
