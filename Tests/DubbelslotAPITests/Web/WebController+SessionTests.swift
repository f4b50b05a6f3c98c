import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import HTTPTypes
import NIOCore
import PostgresNIO
import Testing

extension APITests {
    /// The web pages' sessions (docs/decisions/0018-web-pages-and-sessions.md): sign-in, the cookie, CSRF, idle timeout,
    /// revocation, sign-out, and the policy table deciding what a page shows; through real requests on a real PostgreSQL.
    @Suite struct WebControllerSessionTests {
        /// A browser's cookie jar and the last CSRF token it saw, enough to drive the forms.
        struct Browser {
            let api: APIHarness
            var cookies: [String: String] = [:]

            var cookieHeader: HTTPFields {
                cookies.isEmpty ? [:] : [.cookie: cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")]
            }

            mutating func request(_ method: HTTPRequest.Method, _ path: String, form: [String: String]? = nil,
                                  headers extra: HTTPFields = [:]) async throws -> Reply {
                var headers = cookieHeader
                for field in extra { headers.append(field) }
                var body: String?
                if let form {
                    headers[.contentType] = "application/x-www-form-urlencoded"
                    body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
                }
                let reply = try await api.send(method, path, token: nil, body: body, headers: headers)
                for value in reply.headers[values: .setCookie] {
                    let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                    let name = String(pair[0]), cookie = pair.count > 1 ? String(pair[1]) : ""
                    if cookie.isEmpty { cookies.removeValue(forKey: name) } else { cookies[name] = cookie }
                }
                return reply
            }

            /// The `csrf` hidden field of a page.
            static func csrf(_ reply: Reply) throws -> String {
                try #require(reply.text.firstMatch(of: /name="csrf" value="([A-Za-z0-9_-]+)"/)).1.description
            }

            /// Signs in with `token`; returns the reply to the sign-in POST.
            @discardableResult
            mutating func signIn(_ token: String) async throws -> Reply {
                let page = try await request(.get, "/app/")
                return try await request(.post, "/app/aanmelden", form: ["csrf": try Self.csrf(page), "token": token])
            }
        }

        @Test func signingInStartsASessionWithASafeCookieStoredOnlyAsAHash() async throws {
            try await withAPI { api in
                var browser = Browser(api: api)
                let reply = try await browser.signIn(api.token(.buyer))
                #expect(reply.status == .seeOther)
                #expect(reply.headers[.location] == "/app/zoeken")
                let cookie = try #require(reply.headers[values: .setCookie].first { $0.hasPrefix("dbs_sessie=") })
                for attribute in ["HttpOnly", "SameSite=Strict", "Path=/app"] { #expect(cookie.contains(attribute), "\(cookie)") }
                #expect(!cookie.contains("Secure"), "plain HTTP on loopback: no Secure flag")
                let id = try #require(browser.cookies["dbs_sessie"])
                #expect(id.count == 43)
                let stored = try await api.database.query("SELECT id_sha256 FROM web_sessions", logger: TestLogging.logger).collect()
                #expect(stored.count == 1)
                #expect(try stored.first!.decode(String.self) != id, "only the hash is stored")

                let page = try await browser.request(.get, "/app/zoeken")
                #expect(page.status == .ok)
                #expect(page.text.contains("<html lang=\"nl\">"))
                #expect(page.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("style-src 'self'") == true)
                // Over HTTPS (behind a proxy) the cookie is Secure.
                var secure = Browser(api: api)
                let page2 = try await secure.request(.get, "/app/", headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
                let signed = try await secure.request(.post, "/app/aanmelden", form: ["csrf": try Browser.csrf(page2), "token": api.token(.buyer)],
                                                      headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
                #expect(signed.headers[values: .setCookie].contains { $0.hasPrefix("dbs_sessie=") && $0.contains("Secure") })
            }
        }

        @Test func withoutASessionPagesSendYouToSignIn() async throws {
            try await withAPI { api in
                var browser = Browser(api: api)
                let reply = try await browser.request(.get, "/app/zoeken")
                #expect(reply.status == .seeOther)
                #expect(reply.headers[.location] == "/app/?verlopen=1")
                browser.cookies["dbs_sessie"] = "made-up"
                #expect(try await browser.request(.get, "/app/zoeken").status == .seeOther)
                let wrong = try await browser.signIn("dbs_unknown")
                #expect(wrong.status == .unauthorized)
                #expect(wrong.text.contains("onbekend, ingetrokken of verlopen"))
            }
        }

        @Test func aFormWithoutTheSessionsCSRFTokenIsRefusedAndWritesNothing() async throws {
            try await withAPI { api in
                var browser = Browser(api: api)
                try await browser.signIn(api.token(.signaller))
                let before = try await api.writableCounts()
                var form = ["category": "lessonsNotGiven", "severity": "medium", "source": "ownCaseWork", "reportedSchoolName": "Taalschool X",
                            "observedFrom": APIFixtures.today.adding(days: -10).description, "summary": "Lessen vonden niet plaats."]
                let missing = try await browser.request(.post, "/app/signalen", form: form)
                #expect(missing.status == .forbidden)
                #expect(missing.text.contains("Formulier geweigerd"))
                form["csrf"] = WebSessionRepository.randomToken()
                #expect(try await browser.request(.post, "/app/signalen", form: form).status == .forbidden)
                #expect(try await api.writableCounts() == before)
                // The sign-in form is protected too (double-submit cookie).
                var other = Browser(api: api)
                let signIn = try await other.request(.post, "/app/aanmelden", form: ["csrf": "x", "token": api.token(.buyer)])
                #expect(signIn.status == .forbidden)
                // With the token the form carries, the same signal is taken in.
                form["csrf"] = try Browser.csrf(try await browser.request(.get, "/app/signalen/nieuw"))
                let accepted = try await browser.request(.post, "/app/signalen", form: form)
                #expect(accepted.status == .seeOther)
                #expect(accepted.headers[.location]?.hasPrefix("/app/signalen?gemeld=SIG-") == true)
            }
        }

        @Test func revokingTheTokenEndsItsSessionOnTheNextRequest() async throws {
            try await withAPI { api in
                let (info, secret) = try await api.store.tokens.create(role: .buyer, municipality: APIFixtures.amsterdam.code, label: "web test",
                                                                       actor: APIFixtures.actor)
                var browser = Browser(api: api)
                try await browser.signIn(secret)
                #expect(try await browser.request(.get, "/app/zoeken").status == .ok)
                #expect(try await api.store.tokens.revoke(info.id, actor: APIFixtures.actor))
                let reply = try await browser.request(.get, "/app/zoeken")
                #expect(reply.status == .seeOther)
                #expect(reply.headers[.location] == "/app/?verlopen=1")
                #expect(try await api.count("web_sessions") == 0, "the ended session is deleted")
            }
        }

        @Test func anIdleSessionEndsAndSigningOutDeletesIt() async throws {
            try await withAPI { api in
                var browser = Browser(api: api)
                try await browser.signIn(api.token(.buyer))
                try await api.database.query("UPDATE web_sessions SET last_seen_at = now() - interval '31 minutes'", logger: TestLogging.logger).collect()
                #expect(try await browser.request(.get, "/app/zoeken").status == .seeOther, "idle longer than web.sessionIdleMinutes (30)")

                var again = Browser(api: api)
                try await again.signIn(api.token(.buyer))
                let page = try await again.request(.get, "/app/zoeken")
                let out = try await again.request(.post, "/app/afmelden", form: ["csrf": try Browser.csrf(page)])
                #expect(out.status == .seeOther)
                #expect(try await api.count("web_sessions") == 0)
                #expect(try await again.request(.get, "/app/zoeken").status == .seeOther)
            }
        }

        @Test func thePolicyTableDecidesWhatPagesShow() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 1)
                var signaller = Browser(api: api)
                try await signaller.signIn(api.token(.signaller))
                // Signallers may not read overviews: the school page is a Dutch 403 page.
                let page = try await signaller.request(.get, "/app/scholen/\(school.id.uuidString.lowercased())")
                #expect(page.status == .forbidden)
                #expect(page.text.contains("Geen toegang"))
                #expect(try await signaller.request(.get, "/app/inspectie").status == .forbidden)
                var buyer = Browser(api: api)
                try await buyer.signIn(api.token(.buyer))
                let card = try await buyer.request(.get, "/app/scholen/\(school.id.uuidString.lowercased())")
                #expect(card.status == .ok)
                #expect(card.text.contains("Slot 1") && card.text.contains("Slot 2"))
                #expect(try await buyer.request(.get, "/app/signalen/nieuw").status == .forbidden)
                #expect(try await buyer.request(.get, "/app/scholen/\(UUID().uuidString.lowercased())").status == .notFound)
                let missing = try await buyer.request(.get, "/app/bestaat/niet")
                #expect(missing.status == .notFound)
                #expect(missing.text.contains("Niet gevonden"))
                #expect(try await buyer.request(.get, "/app/zoeken").status == .ok, "the catch-all does not shadow real pages")
            }
        }

        @Test func aSummaryWithABSNIsRefusedNextToTheFieldKeepingWhatWasTyped() async throws {
            try await withAPI { api in
                var browser = Browser(api: api)
                try await browser.signIn(api.token(.signaller))
                let form = ["csrf": try Browser.csrf(try await browser.request(.get, "/app/signalen/nieuw")), "category": "kickbacks",
                            "severity": "high", "source": "ownCaseWork", "reportedSchoolName": "Taalschool Y",
                            "observedFrom": APIFixtures.today.adding(days: -3).description, "summary": "Inburgeraar 111222333 kreeg geld terug."]
                let before = try await api.writableCounts()
                let reply = try await browser.request(.post, "/app/signalen", form: form)
                #expect(reply.status == .badRequest)
                #expect(reply.text.contains("id=\"summary-fout\""))
                #expect(reply.text.contains("Geen persoonsgegevens"))
                #expect(reply.text.contains(">Inburgeraar 111222333 kreeg geld terug.</textarea>"), "what was typed is kept")
                #expect(reply.text.contains("value=\"Taalschool Y\""))
                #expect(try await api.writableCounts() == before)
            }
        }
    }
}
