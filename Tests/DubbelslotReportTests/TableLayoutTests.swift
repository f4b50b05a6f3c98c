import DubbelslotReport
import Foundation
import Testing

extension ReportTests {
    /// The `table` format's layout: names cut in the middle, columns fitted to the width.
    @Suite("Table layout")
    struct TableLayoutTests {
        @Test("a name that fits is returned unchanged")
        func shortNameUnchanged() {
            #expect(TableLayout.cutMiddle("Taalschool Noord", to: 30) == "Taalschool Noord")
            #expect(TableLayout.cutMiddle("Taalschool Noord", to: 16) == "Taalschool Noord", "exactly the width")
            #expect(TableLayout.cutMiddle("", to: 0) == "")
        }

        @Test("a long name keeps its start and its end, within the width")
        func longNameKeepsStartAndEnd() {
            let name = "Taalinstituut Zuid-Holland Voorbeeld 048 B.V."
            let cut = TableLayout.cutMiddle(name, to: 32)
            #expect(cut == "Taalinstituu…Voorbeeld 048 B.V.", "12 of the start, 19 of the end less a space")
            #expect(cut.count <= 32)
            // Twenty names that differ only at the end stay twenty different texts, even when narrow.
            let names = (1...20).map { "Taalinstituut Voorbeeld \(String(format: "%03d", $0)) B.V." }
            for width in [14, 16, 20, 32] {
                let cuts = names.map { TableLayout.cutMiddle($0, to: width) }
                #expect(Set(cuts).count == 20, "width \(width): \(cuts)")
                #expect(cuts.allSatisfy { $0.count <= width && $0.hasSuffix("B.V.") })
            }
        }

        @Test("every width from 0 to the name's length is respected")
        func widthRespected() {
            let name = "Taalhuis Yıldız Kılıç Voorbeeld 017 B.V."
            for width in 0...name.count {
                let cut = TableLayout.cutMiddle(name, to: width)
                #expect(cut.count <= width, "width \(width): \(cut)")
                if width >= 4 { #expect(cut.first == "T" && cut.last == ".", "width \(width): \(cut)") }
            }
            #expect(TableLayout.cutMiddle(name, to: 1) == "…")
        }

        @Test("characters are grapheme clusters: an accent or a flag is never cut in half")
        func graphemeClusters() {
            let combining = "Cafe\u{301} Taal Voorbeeld 003 B.V."   // "é" as e + U+0301: one character
            #expect(combining.count == 28)
            let cut = TableLayout.cutMiddle(combining, to: 12)
            #expect(cut.count == 12)
            #expect(cut.hasPrefix("Café"), "the accent stays with its letter: \(cut)")
            let flags = "🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱"
            let flagCut = TableLayout.cutMiddle(flags, to: 5)
            #expect(flagCut == "🇳🇱…🇳🇱🇳🇱🇳🇱")
            #expect(flagCut.unicodeScalars.count == 4 * 2 + 1, "whole flags only")
        }

        @Test("columns that fit keep their width")
        func columnsThatFit() {
            #expect(TableLayout.fit(natural: [2, 30, 8], width: 44) == [2, 30, 8])
            #expect(TableLayout.fit(natural: [2, 30, 8], width: 200) == [2, 30, 8])
        }

        @Test("the widest columns give way first, and the table fits its width")
        func widestGiveWayFirst() {
            let natural = [2, 32, 8, 6, 90]   // #, school, KvK, seat, largest contributions
            for width in [60, 80, 100, 120, 150] {
                let widths = TableLayout.fit(natural: natural, width: width)
                #expect(widths.reduce(0, +) + 2 * (natural.count - 1) == min(width, 138 + 8), "width \(width): \(widths)")
                #expect(widths[0] == 2 && widths[2] == 8 && widths[3] == 6, "short columns untouched: \(widths)")
                #expect(widths[4] >= widths[1], "the longer text column is never narrower than the name's")
            }
            #expect(TableLayout.fit(natural: natural, width: 120)[1] == 32, "at 120 every name is whole")
        }

        @Test("no column is narrowed below its minimum; then the table is wider than asked")
        func minimums() {
            let widths = TableLayout.fit(natural: [20, 20, 3], minimum: [10, 6, 6], width: 24)
            #expect(widths == [10, 7, 3])
            #expect(TableLayout.fit(natural: [20, 20], minimum: [12, 12], width: 10) == [12, 12])
        }
    }
}
