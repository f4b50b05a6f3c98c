import DubbelslotCore
import DubbelslotStore
import Foundation
import HTTPTypes
import NIOCore
import Testing

extension APITests {
    /// The web pages' forms and exports (docs/decisions/0018-web-pages-and-sessions.md), through real requests on a real
    /// PostgreSQL.
    @Suite struct WebControllerTests {
        typealias Browser = WebControllerSessionTests.Browser

        @Test func theComparisonCSVOpensInDutchExcelAndIsFormulaSafe() async throws {
            try await withAPI { api in
                try await APIFixtures.school(api.store, 1, name: "=HYPERLINK(\"http://x\") Taalschool")
                try await APIFixtures.school(api.store, 2)
                var browser = Browser(api: api)
                try await browser.signIn(api.token(.buyer))
                let page = try await browser.request(.get, "/app/vergelijken?gemeente=GM0363&sorteer=naam&richting=op")
                #expect(page.status == .ok)
                #expect(page.text.contains("aria-sort=\"ascending\""))
                let reply = try await browser.request(.get, "/app/vergelijken.csv?gemeente=GM0363&sorteer=naam")
                #expect(reply.status == .ok)
                #expect(reply.headers[.contentType] == "text/csv; charset=utf-8")
                let bytes = Array(reply.body.readableBytesView)
                #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 byte-order mark")
                let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
                let lines = text.components(separatedBy: "\r\n")
                #expect(lines[0] == "school;kvk;gemeente;oordeel;score;band;slot 1 keurmerk;slot 2 toezicht;dekking;peildatum")
                #expect(lines.contains { $0.hasPrefix("\"'=HYPERLINK(\"\"http://x\"\") Taalschool\";") }, "\(lines)")
                #expect(lines.contains { $0.contains(";0,0;") }, "decimal comma")
            }
        }

        /// Found by a new user's trial: "contract nil" on the school page, a silent 400 for an unknown route,
        /// a confirmation for any reference in the link, and a 500 for a form body over 64 KiB.
        @Test func pagesFromANewUsersTrial() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 4)
                let path = "/app/scholen/\(school.id.uuidString.lowercased())"
                var buyer = Browser(api: api)
                try await buyer.signIn(api.token(.buyer))
                let plain = try await buyer.request(.get, path)
                #expect(plain.status == .ok)
                #expect(!plain.text.contains("nil"), "no Swift nil on the page")
                for page in [path + "?route=foo", "/app/zoeken?route=foo", "/app/vergelijken?gemeente=GM0363&route=foo"] {
                    let reply = try await buyer.request(.get, page)
                    #expect(reply.status == .badRequest, "\(page)")
                    #expect(reply.text.contains("id=\"route-fout\""), "\(page): the route's error is at the route field")
                }
                var signaller = Browser(api: api)
                try await signaller.signIn(api.token(.signaller))
                let forged = try await signaller.request(.get, "/app/signalen?gemeld=SIG-2099-999999")
                #expect(forged.status == .ok)
                #expect(!forged.text.contains("SIG-2099-999999"), "no confirmation of a reference that is not ours")
                let form = try await signaller.request(.get, "/app/signalen/nieuw")
                let before = try await api.writableCounts()
                let long = try await signaller.request(.post, "/app/signalen", form: [
                    "csrf": try Browser.csrf(form), "summary": String(repeating: "lang verhaal ", count: 6_000),
                ])
                #expect(long.status == .badRequest, "a 70 kB form is checked by the rules, not a 500")
                #expect(try await api.writableCounts() == before)
            }
        }

        @Test func theVisitFormShowsEachErrorAtItsRowAndWritesNothing() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 3)
                let path = "/app/scholen/\(school.id.uuidString.lowercased())/bezoek"
                var browser = Browser(api: api)
                try await browser.signIn(api.token(.inspector))
                let csrf = try Browser.csrf(try await browser.request(.get, path))
                let before = try await api.writableCounts()
                // Row 3 filled (rows 1 and 2 empty) with a phone number in its note.
                let reply = try await browser.request(.post, path, form: [
                    "csrf": csrf, "kind": "classroom", "outcome": "minorFindings", "visitedOn": APIFixtures.today.description,
                    "norm2": "4.2", "note2": "Bel de directeur op 0612345678.",
                ])
                #expect(reply.status == .badRequest)
                #expect(reply.text.contains("id=\"note2-fout\""), "the error is at the row it belongs to")
                #expect(reply.text.contains(">Bel de directeur op 0612345678.</textarea>"))
                #expect(try await api.writableCounts() == before)
                let ok = try await browser.request(.post, path, form: [
                    "csrf": csrf, "kind": "classroom", "outcome": "minorFindings", "visitedOn": APIFixtures.today.description,
                    "norm2": "4.2", "note2": "Twee lessen zonder docent.",
                ])
                #expect(ok.status == .seeOther)
                #expect(try await api.count("visit_findings") == before["visit_findings"]! + 1)
            }
        }

        @Test func aVisitIsConfirmedAnUnknownNormIsRefusedInDutchAndAFormTargetAskedWithGetIsADutch405() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 6)
                let id = school.id.uuidString.lowercased()
                let path = "/app/scholen/\(id)/bezoek"
                var browser = Browser(api: api)
                try await browser.signIn(api.token(.inspector))
                let form = try await browser.request(.get, path)
                #expect(!form.text.contains("aria-invalid"), "an empty form marks fields invalid")
                let csrf = try Browser.csrf(form)
                let before = try await api.writableCounts()
                let tampered = try await browser.request(.post, path, form: [
                    "csrf": csrf, "kind": "classroom", "outcome": "minorFindings", "visitedOn": APIFixtures.today.description,
                    "norm0": "4.2", "severity0": "bogus",
                ])
                #expect(tampered.status == .badRequest && tampered.text.contains("Kies de ernst"), "\(tampered.status)")
                #expect(try await api.writableCounts() == before)
                let unknown = try await browser.request(.post, path, form: [
                    "csrf": csrf, "kind": "classroom", "outcome": "minorFindings", "visitedOn": APIFixtures.today.description,
                    "norm0": "abc", "note0": "Presentielijst onvolledig.",
                ])
                #expect(unknown.status == .badRequest)
                #expect(unknown.text.contains("Geen bestaande normcode"), "\(unknown.text)")
                #expect(!unknown.text.contains("must be"), "an English rule on a Dutch page")
                #expect(try await api.writableCounts() == before)
                let ok = try await browser.request(.post, path, form: [
                    "csrf": csrf, "kind": "classroom", "outcome": "minorFindings", "visitedOn": APIFixtures.today.description,
                    "norm0": "4.2.1", "note0": "Presentielijst onvolledig.",
                ])
                #expect(ok.status == .seeOther)
                let location = try #require(ok.headers[.location])
                let after = try await browser.request(.get, location)
                #expect(after.text.contains("Het toezichtbezoek is vastgelegd."), "no confirmation after the visit")
                for target in ["/app/scholen/\(id)/inkoopcheck", "/app/aanmelden", "/app/inspectie/signalen/\(UUID().text)/overgang"] {
                    let get = try await browser.request(.get, target)
                    #expect(get.status == .methodNotAllowed && get.headers[.allow] == "POST", "\(target): \(get.status)")
                    #expect(get.headers[.contentType]?.hasPrefix("text/html") == true && get.text.contains("Dit is een formulier"), "\(target)")
                }
            }
        }

        @Test func aCheckFormPostedTwiceRecordsOneCheck() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 7)
                let id = school.id.uuidString.lowercased()
                var browser = Browser(api: api)
                try await browser.signIn(api.token(.buyer))
                let page = try await browser.request(.get, "/app/scholen/\(id)")
                let csrf = try Browser.csrf(page)
                let formId = try #require(page.text.firstMatch(of: /name="formulier" value="([0-9a-f-]{36})"/)?.1)
                let form = ["csrf": csrf, "formulier": String(formId), "contractVan": APIFixtures.today.description]
                let first = try await browser.request(.post, "/app/scholen/\(id)/inkoopcheck", form: form)
                let second = try await browser.request(.post, "/app/scholen/\(id)/inkoopcheck", form: form)
                #expect(first.status == .seeOther && second.status == .seeOther)
                #expect(first.headers[.location] == second.headers[.location], "the second post leads to the first check")
                #expect(try await api.count("procurement_checks") == 1)
                // The same form with another period (the back button, edited): not a second check under its id.
                var edited = form
                edited["contractVan"] = APIFixtures.today.adding(days: 1).description
                let third = try await browser.request(.post, "/app/scholen/\(id)/inkoopcheck", form: edited)
                #expect(third.status == .unprocessableContent && third.text.contains("al verstuurd"), "\(third.status) \(third.text.prefix(300))")
                #expect(try await api.count("procurement_checks") == 1)
            }
        }

        @Test func aLocationIsNamedByItsAddressAndOnlyRectifiableDecisionsOfferTheForm() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 5, locationsIn: [APIFixtures.amsterdam])
                let location = school.locations[0]
                try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: APIFixtures.today.adding(days: -400), until: nil)
                let suspension = try await api.store.qualityMarks.record(
                    NewQualityMarkDecision(status: .suspended, validDuring: DateRange(from: APIFixtures.today.adding(days: -30), until: nil)!,
                                           decidedOn: APIFixtures.today.adding(days: -31), locationId: location.id),
                    schoolId: school.id, actor: APIFixtures.actor)
                let id = school.id.uuidString.lowercased()
                var browser = Browser(api: api)
                try await browser.signIn(api.token(.inspector))
                let page = try await browser.request(.get, "/app/scholen/\(id)")
                #expect(page.text.contains("Locatie Vestiging 1: \(location.address)"), "lock 1 names the location by its address")
                #expect(!page.text.contains("Locatie \(location.id.uuidString.lowercased())"))
                #expect(page.text.contains("/keurmerk/\(suspension.id.uuidString.lowercased())/rectificatie"))
                // Rectified through the page: the location's suspension counts no more.
                let csrf = try Browser.csrf(page)
                let done = try await browser.request(.post, "/app/scholen/\(id)/keurmerk/\(suspension.id.uuidString.lowercased())/rectificatie",
                                                     form: ["csrf": csrf, "reason": "Verkeerde vestiging gekozen."])
                #expect(done.status == .seeOther)
                let after = try await browser.request(.get, "/app/scholen/\(id)")
                #expect(after.text.contains("Gerectificeerd op") && after.text.contains("Verkeerde vestiging gekozen."))
                #expect(!after.text.contains("/keurmerk/\(suspension.id.uuidString.lowercased())/rectificatie"), "a rectification is never undone")
                // A later decision of the whole school sets a location's own decision aside there; the history says so.
                let place = try await api.store.qualityMarks.record(
                    NewQualityMarkDecision(status: .suspended, validDuring: DateRange(from: APIFixtures.today.adding(days: -20), until: nil)!,
                                           decidedOn: APIFixtures.today.adding(days: -21), locationId: location.id),
                    schoolId: school.id, actor: APIFixtures.actor)
                _ = try await api.store.qualityMarks.record(
                    NewQualityMarkDecision(status: .withdrawn, validDuring: DateRange(from: APIFixtures.today.adding(days: -10), until: nil)!,
                                           decidedOn: APIFixtures.today.adding(days: -11)),
                    schoolId: school.id, actor: APIFixtures.actor)
                let overridden = try await browser.request(.get, "/app/scholen/\(id)")
                #expect(overridden.text.contains("voor deze vestiging opzijgezet door het besluit ‘ingetrokken’"), "\(place.id)")
                // A bad location id in the address bar is explained in Dutch.
                let bad = try await browser.request(.get, "/app/scholen/\(id)?vestiging=abc")
                #expect(bad.text.contains("Geen geldige verwijzing"))
            }
        }

        @Test func theSearchFormsPlusIsASpace() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 77, name: "Taalhuis Plus Voorbeeld 077 B.V.")
                var browser = Browser(api: api)
                try await browser.signIn(api.token(.buyer))
                // A browser's GET form sends "Plus Voorbeeld" as Plus+Voorbeeld.
                let found = try await browser.request(.get, "/app/zoeken?naam=Plus+Voorbeeld")
                #expect(found.text.contains(school.name))
                #expect(found.text.contains("value=\"Plus Voorbeeld\""), "the field shows what was typed")
            }
        }

        @Test func eachSearchHitShowsTheVerdictItsOverviewGives() async throws {
            try await withAPI { api in
                let today = LocalDate(instant: Date())
                let held = try await APIFixtures.school(api.store, 81, name: "Verdict Voorbeeld Houder 081 B.V.")
                _ = try await APIFixtures.mark(api.store, held, .grantedIndefinite, from: today.adding(days: -400), until: nil)
                _ = try await APIFixtures.visit(api.store, held, on: today.adding(days: -30))
                let none = try await APIFixtures.school(api.store, 82, name: "Verdict Voorbeeld Zonder 082 B.V.")
                var browser = Browser(api: api)
                try await browser.signIn(api.token(.buyer))
                let found = try await browser.request(.get, "/app/zoeken?naam=Verdict+Voorbeeld")
                var seen: Set<String> = []
                for school in [held, none] {
                    struct Overview: Decodable { let verdict: String }
                    let overview = try await api.get("/v1/schools/\(school.id.uuidString.lowercased())/overview", as: .buyer).json(Overview.self)
                    let row = try #require(found.text.components(separatedBy: "<tr>").first { $0.contains(school.name) })
                    #expect(row.contains("v-\(overview.verdict)"), "\(school.name): \(row)")
                    seen.insert(overview.verdict)
                }
                #expect(seen.count == 2, "the two schools differ in verdict, so a swapped row would show")
            }
        }

        @Test func theExactNameIsOnTheFirstPageAndTheRestFollowsPageByPage() async throws {
            try await withAPI { api in
                for n in 1...27 { _ = try await APIFixtures.school(api.store, 300 + n, name: "Aan Het Taalhuis Voorbeeld \(n)") }
                let exact = try await APIFixtures.school(api.store, 400, name: "Taalhuis")
                var browser = Browser(api: api)
                try await browser.signIn(api.token(.inspector))
                let first = try await browser.request(.get, "/app/zoeken?naam=taalhuis")
                let rows = first.text.components(separatedBy: "<tr>").dropFirst(2)
                #expect(rows.first?.contains(">\(exact.name)</a>") == true, "the exact match is not the first row")
                let next = try #require(first.text.firstMatch(of: /<a href="([^"]+)">Volgende resultaten<\/a>/)?.1)
                let second = try await browser.request(.get, String(next).replacingOccurrences(of: "&amp;", with: "&"))
                #expect(second.status == .ok)
                #expect(second.text.contains("Aan Het Taalhuis Voorbeeld") && !second.text.contains(">\(exact.name)</a>"))
                #expect(!second.text.contains("Volgende resultaten"), "28 schools fill two pages of 25")
            }
        }

        @Test func theSchoolPageSaysLetOpWhere110Does() async throws {
            try await withAPI { api in
                try await api.store.riskModels.publish(try APITestSupport.shippedRiskModel(), actor: APIFixtures.actor)
                func school(_ n: Int) async throws -> School {
                    let s = try await APIFixtures.school(api.store, n)
                    try await APIFixtures.mark(api.store, s, .grantedIndefinite, from: LocalDate(iso8601: "2016-01-01")!, until: nil)
                    return s
                }
                // An open high-severity signal; three municipalities' reports; a refused visit as the only visit.
                let open = try await school(6)
                try await APIFixtures.visit(api.store, open, .classroom, on: APIFixtures.today.adding(days: -200))
                try await APIFixtures.signal(api.store, about: open, severity: .high, category: .examFraud)
                let reported = try await school(7)
                try await APIFixtures.visit(api.store, reported, .classroom, on: APIFixtures.today.adding(days: -200))
                for town in [APIFixtures.amsterdam, APIFixtures.rotterdam, APIFixtures.utrecht] {
                    try await APIFixtures.signal(api.store, from: town, about: reported, severity: .low)
                }
                let refused = try await school(8)
                try await APIFixtures.visit(api.store, refused, .classroom, on: LocalDate(iso8601: "2026-03-02")!, outcome: .accessRefused)
                var browser = Browser(api: api)
                try await browser.signIn(api.token(.buyer))
                let a = try await browser.request(.get, "/app/scholen/\(open.id.uuidString.lowercased())")
                #expect(a.text.contains("Let op") && a.text.contains("Open ernstige signalen") && a.text.contains("kijk eerst zelf"))
                let b = try await browser.request(.get, "/app/scholen/\(reported.id.uuidString.lowercased())")
                #expect(b.text.contains("3 verschillende gemeenten meldden deze school."))
                #expect(b.text.contains("3 signalen van 3 gemeenten.") && a.text.contains("1 signaal van 1 gemeente."), "counts in the right number")
                let c = try await browser.request(.get, "/app/scholen/\(refused.id.uuidString.lowercased())?datum=2027-03-04")
                #expect(c.text.contains("Let op") && c.text.contains("onvoldoende gegevens"))
            }
        }

        @Test func aSuspensionEndsTheMarkAndAStepTheLifecycleForbidsIsShownAtItsField() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 4)
                try await APIFixtures.mark(api.store, school, .grantedFixedTerm, from: APIFixtures.today.adding(days: -100), until: nil)
                let path = "/app/scholen/\(school.id.uuidString.lowercased())/keurmerk"
                var browser = Browser(api: api)
                try await browser.signIn(api.token(.inspector))
                let form = try await browser.request(.get, path)
                #expect(form.text.contains("Welk besluit kan op welk volgen"))
                let csrf = try Browser.csrf(form)
                // The suspension supersedes the mark in force: recorded, and the school page shows how the mark ended.
                let suspended = try await browser.request(.post, path, form: [
                    "csrf": csrf, "status": "suspended", "validFrom": APIFixtures.today.adding(days: -10).description,
                    "decidedOn": APIFixtures.today.adding(days: -10).description, "reason": "Lessen niet gegeven.",
                ])
                #expect(suspended.status == .seeOther)
                let page = try await browser.request(.get, "/app/scholen/\(school.id.uuidString.lowercased())")
                #expect(page.text.contains("beëindigd door het besluit ‘geschorst’"))
                #expect(page.text.contains("Het keurmerk is op"), "lock 1's reason in Dutch")
                // Aspirant cannot follow a suspension: shown at the status field, in Dutch, and nothing written.
                let refused = try await browser.request(.post, path, form: [
                    "csrf": csrf, "status": "aspirant", "validFrom": APIFixtures.today.description,
                    "decidedOn": APIFixtures.today.description,
                ])
                #expect(refused.status == .badRequest)
                #expect(refused.text.contains("id=\"status-fout\""))
                #expect(refused.text.contains("kan niet volgen op een besluit ‘geschorst’"))
                #expect(try await api.count("quality_mark_decisions") == 2)
            }
        }

        @Test func aProcurementCheckIsRecordedAndPrintable() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 5)
                let card = "/app/scholen/\(school.id.uuidString.lowercased())"
                var browser = Browser(api: api)
                try await browser.signIn(api.token(.buyer))
                let csrf = try Browser.csrf(try await browser.request(.get, card))
                let bad = try await browser.request(.post, card + "/inkoopcheck", form: ["csrf": csrf, "contractVan": "2027-02-30"])
                #expect(bad.status == .badRequest)
                #expect(bad.text.contains("id=\"check-van-fout\""))
                let made = try await browser.request(.post, card + "/inkoopcheck", form: ["csrf": csrf, "contractVan": "2027-01-01", "contractTot": "2027-12-31"])
                #expect(made.status == .seeOther)
                let location = try #require(made.headers[.location])
                let page = try await browser.request(.get, location)
                #expect(page.status == .ok)
                #expect(page.text.contains("1 januari 2027 tot en met 31 december 2027"))
                let css = try await browser.request(.get, "/app/static/app.css")
                #expect(css.text.contains("@media print"))
                // A closed lock 1 (no mark) blocks: proceeding needs a reason.
                let refused = try await browser.request(.post, location + "/besluit", form: ["csrf": csrf, "decision": "proceed"])
                #expect(refused.status == .badRequest)
                #expect(refused.text.contains("id=\"reden-fout\""))
                let decided = try await browser.request(.post, location + "/besluit",
                                                        form: ["csrf": csrf, "decision": "proceed", "reason": "Keurmerk aangevraagd; voorwaardelijk."])
                #expect(decided.status == .seeOther)
                #expect(try await browser.request(.get, location).text.contains("Keurmerk aangevraagd; voorwaardelijk."))
            }
        }
    }
}
