import DubbelslotReport
import Foundation
import Testing

extension ReportTests {
    @Suite struct ReportRendererTests {
        @Test("the table format keeps what tells twenty schools apart, within the width")
        func tableKeepsNamesApart() throws {
            let schools: [[String: Any]] = (1...20).map { i in
                ["schoolId": "id-\(i)", "name": "Taalinstituut Voorbeeld \(String(format: "%03d", i)) B.V.", "kvkNumber": String(format: "%08d", i),
                 "municipalityCode": "GM0363", "score": 40.0 - Double(i), "band": "elevated", "verdict": "caution", "coverageSufficient": true,
                 "signalsKnown": 2, "topContributions": [["rule": "signals.severityPoints.high", "points": 8.5, "explanation": "x"],
                                                         ["rule": "visits.lastFindings.seriousBreach", "points": 6.0, "explanation": "y"]]]
            }
            let document: [String: Any] = [
                "parameters": ["from": "2026-01-01", "to": "2026-07-01", "top": 20, "sections": ["highestRisk"], "generatedAt": "2026-11-30T00:00:00Z"],
                "modelVersion": "1.1.0", "missing": [String: String](), "highestRisk": schools,
            ]
            let report = try JSONDecoder().decode(RiskReport.self, from: try JSONSerialization.data(withJSONObject: document))
            for width in [100, 120, 160] {
                let text = String(decoding: try ReportRenderer.render(report, as: .table, width: width), as: UTF8.self)
                #expect(text.split(separator: "\n").allSatisfy { $0.count <= width }, "width \(width)")
                let rows = text.split(separator: "\n").filter { $0.contains("GM0363") }
                #expect(rows.count == 20)
                guard width >= 120 else { continue }
                for i in 1...20 {
                    let end = "\(String(format: "%03d", i)) B.V."
                    #expect(rows.contains { $0.contains(end) && $0.hasPrefix(String(format: "%2d", i) + "  Taalins") }, "width \(width): school \(i)\n\(text)")
                }
            }
        }
    }
}
