import Crypto
import DubbelslotCore
import DubbelslotStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The web pages under `/app` (docs/decisions/0018-web-pages-and-sessions.md): server-rendered Dutch HTML over the
/// same handlers as the API.
///
/// A page resolves its session to the token's principal, then calls the generated ``APIImplementation``
/// methods in-process under ``AuthMiddleware/withGrant(_:operationID:municipalities:_:)``, so the one
/// ``AccessPolicy`` table decides what each page shows and allows; a page whose operation the role
/// lacks answers with a Dutch 403 page.
struct WebController: Sendable {
    let api: APIImplementation
    let store: Store
    let settings: WebSettings
    let logger: Logger
    let pages: Pages

    /// The session cookie (opaque random id; only its SHA-256 is stored).
    static let sessionCookie = "dbs_sessie"
    /// The sign-in form's double-submit cookie, before a session exists.
    static let signInCookie = "dbs_aanmelden"

    init(api: APIImplementation, store: Store, settings: WebSettings, logger: Logger) throws {
        self.api = api
        self.store = store
        self.settings = settings
        self.logger = logger
        self.pages = try Pages()
    }

    func register(on router: Router<BasicRequestContext>) throws {
        // Any other page under /app: a Dutch 404 page rather than the API's problem+json.
        router.get("/app/**") { request, _ in
            errorPage(request, status: .notFound, title: "Niet gevonden", message: "Deze pagina bestaat niet.")
        }
        // Form targets asked with GET (a bookmark, a reload after the redirect was lost): a Dutch 405
        // page with Allow (RFC 9110 §15.5.6), not the API's English problem+json and not a 404.
        for path in ["/app/aanmelden", "/app/afmelden", "/app/scholen/{id}/inkoopcheck", "/app/inkoopchecks/{id}/besluit",
                     "/app/inspectie/signalen/{id}/overgang", "/app/scholen/{id}/keurmerk/{decision}/rectificatie"] {
            router.get(RouterPath(path)) { request, _ in
                var response = errorPage(request, status: .methodNotAllowed, title: "Dit is een formulier",
                                         message: "Deze pagina verwerkt een ingevuld formulier en is niet om te openen. Ga terug en verstuur het formulier opnieuw, of begin bij de startpagina.")
                response.headers[.allow] = "POST"
                return response
            }
        }
        router.get("/app/static/app.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: pages.stylesheet)))
        }
        router.get("/app") { request, _ in await signInPage(request) }
        router.post("/app/aanmelden") { request, context in await signIn(request, context: context) }
        router.post("/app/afmelden") { request, context in
            await page(request, context, form: true) { web in
                try await store.webSessions.delete(id: web.sessionId)
                var response = Response(status: .seeOther, headers: [.location: "/app/?afgemeld=1"])
                response.setCookie(expiredCookie(Self.sessionCookie, request))
                return response
            }
        }
        router.get("/app/zoeken") { request, context in await page(request, context) { try await search($0) } }
        router.get("/app/scholen/{id}") { request, context in
            await page(request, context) { try await schoolPage($0, id: context.parameters.get("id") ?? "") }
        }
        router.post("/app/scholen/{id}/inkoopcheck") { request, context in
            await page(request, context, form: true) { try await createCheck($0, schoolId: context.parameters.get("id") ?? "") }
        }
        router.get("/app/inkoopchecks/{id}") { request, context in
            await page(request, context) { try await checkPage($0, id: context.parameters.get("id") ?? "") }
        }
        router.post("/app/inkoopchecks/{id}/besluit") { request, context in
            await page(request, context, form: true) { try await recordDecision($0, id: context.parameters.get("id") ?? "") }
        }
        router.get("/app/vergelijken") { request, context in await page(request, context) { try await compare($0, csv: false) } }
        router.get("/app/vergelijken.csv") { request, context in await page(request, context) { try await compare($0, csv: true) } }
        router.get("/app/signalen") { request, context in await page(request, context) { try await signalList($0) } }
        router.get("/app/signalen/nieuw") { request, context in await page(request, context) { try await signalForm($0) } }
        router.post("/app/signalen") { request, context in await page(request, context, form: true) { try await reportSignal($0) } }
        router.get("/app/inspectie") { request, context in await page(request, context) { try await inspectionQueue($0) } }
        router.get("/app/abonnementen") { request, context in await page(request, context) { try await subscriptionsPage($0) } }
        router.get("/app/inspectie/signalen/{id}") { request, context in
            await page(request, context) { try await inspectionSignal($0, id: context.parameters.get("id") ?? "") }
        }
        router.post("/app/inspectie/signalen/{id}/overgang") { request, context in
            await page(request, context, form: true) { try await transition($0, id: context.parameters.get("id") ?? "") }
        }
        router.get("/app/scholen/{id}/bezoek") { request, context in
            await page(request, context) { try await visitForm($0, schoolId: context.parameters.get("id") ?? "") }
        }
        router.post("/app/scholen/{id}/bezoek") { request, context in
            await page(request, context, form: true) { try await recordVisit($0, schoolId: context.parameters.get("id") ?? "") }
        }
        router.get("/app/scholen/{id}/keurmerk") { request, context in
            await page(request, context) { try await markForm($0, schoolId: context.parameters.get("id") ?? "") }
        }
        router.post("/app/scholen/{id}/keurmerk") { request, context in
            await page(request, context, form: true) { try await recordMark($0, schoolId: context.parameters.get("id") ?? "") }
        }
        router.post("/app/scholen/{id}/keurmerk/{decision}/rectificatie") { request, context in
            await page(request, context, form: true) {
                try await rectifyMark($0, schoolId: context.parameters.get("id") ?? "", decisionId: context.parameters.get("decision") ?? "")
            }
        }
    }

    // MARK: Sign-in

    private func signInPage(_ request: Request, error: String? = nil, status: HTTPResponse.Status = .ok) async -> Response {
        if error == nil, let id = request.cookies[Self.sessionCookie]?.value,
           let session = try? await store.webSessions.resume(id: id, idleTimeout: settings.idleTimeout) {
            return Response(status: .seeOther, headers: [.location: Self.home(session.principal.role)])
        }
        let csrf = WebSessionRepository.randomToken()
        var context: [String: Any] = ["title": "Aanmelden", "csrf": csrf]
        if let error { context["error"] = error }
        if request.uri.queryParameters.get("afgemeld") != nil { context["notice"] = "U bent afgemeld." }
        if request.uri.queryParameters.get("verlopen") != nil {
            context["notice"] = "Uw sessie is beëindigd (te lang niet actief, of het token is ingetrokken of verlopen). Meld u opnieuw aan."
        }
        var response = pages.html("signin", context, status: status)
        response.setCookie(Cookie(name: Self.signInCookie, value: csrf, maxAge: 3600, path: "/app", secure: secure(request),
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    private func signIn(_ request: Request, context: BasicRequestContext) async -> Response {
        do {
            let form = try await Self.form(request, context: context)
            guard let sent = form["csrf"], let expected = request.cookies[Self.signInCookie]?.value, Self.same(sent, expected) else {
                return forbiddenForm(request)
            }
            let secret = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty else { return await signInPage(request, error: "Vul uw toegangstoken in.", status: .badRequest) }
            guard let principal = try await store.tokens.authenticate(secret: secret) else {
                return await signInPage(request, error: "Dit token is onbekend, ingetrokken of verlopen.", status: .unauthorized)
            }
            let (id, _) = try await store.webSessions.create(for: principal, idleTimeout: settings.idleTimeout)
            var response = Response(status: .seeOther, headers: [.location: Self.home(principal.role)])
            response.setCookie(Cookie(name: Self.sessionCookie, value: id, path: "/app", secure: secure(request), httpOnly: true, sameSite: .strict))
            response.setCookie(expiredCookie(Self.signInCookie, request))
            return response
        } catch {
            logger.error("web sign-in failed", metadata: ["error": "\(String(reflecting: error))"])
            return errorPage(request, status: .internalServerError, title: "Er ging iets mis",
                             message: "Er ging iets mis bij het aanmelden. De fout is vastgelegd; probeer het later opnieuw.")
        }
    }

    /// The first page after signing in, by role.
    static func home(_ role: Role) -> String {
        switch role {
        case .signaller: "/app/signalen"
        case .inspector: "/app/inspectie"
        default: "/app/zoeken"
        }
    }

    // MARK: Every page

    /// Runs a page for a signed-in session; `form`: a POST whose body must carry the session's CSRF token.
    func page(_ request: Request, _ context: BasicRequestContext, form: Bool = false,
              _ body: (WebRequest) async throws -> Response) async -> Response {
        do {
            guard let id = request.cookies[Self.sessionCookie]?.value,
                  let session = try await store.webSessions.resume(id: id, idleTimeout: settings.idleTimeout) else {
                if form { return forbiddenForm(request) }
                var response = Response(status: .seeOther, headers: [.location: "/app/?verlopen=1"])
                response.setCookie(expiredCookie(Self.sessionCookie, request))
                return response
            }
            var fields: [String: String] = [:]
            if form {
                fields = try await Self.form(request, context: context)
                guard let sent = fields["csrf"], Self.same(sent, session.csrfToken) else { return forbiddenForm(request) }
            }
            let web = WebRequest(controller: self, request: request, session: session, sessionId: id, form: fields)
            do {
                return try await body(web)
            } catch {
                return failure(error, web: web)
            }
        } catch {
            logger.error("web page failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return errorPage(request, status: .internalServerError, title: "Er ging iets mis",
                             message: "Er ging iets mis. De fout is vastgelegd; probeer het later opnieuw.")
        }
    }

    /// An error a page did not handle itself, as a Dutch page with the right status.
    func failure(_ error: any Error, web: WebRequest) -> Response {
        let problem = OpenAPIProblemMiddleware.problem(for: error, operationID: "web", logger: logger)
        switch problem.kind {
        case .forbidden:
            return web.render("error", ["title": "Geen toegang",
                                        "message": "Uw rol (\(Dutch.role(web.principal.role))) geeft geen toegang tot deze pagina of handeling."],
                              status: .forbidden)
        case .notFound:
            return web.render("error", ["title": "Niet gevonden", "message": "Wat u zoekt bestaat niet (meer)."], status: .notFound)
        case .validation, .unknownReference, .conflict, .preconditionFailed, .overlappingPeriod, .idempotencyKeyReused:
            return web.render("error", ["title": "Niet gelukt", "message": Dutch.problem(problem)], status: problem.httpStatus)
        default:
            return web.render("error", ["title": "Er ging iets mis", "message": "Er ging iets mis. De fout is vastgelegd; probeer het later opnieuw."],
                              status: .internalServerError)
        }
    }

    private func forbiddenForm(_ request: Request) -> Response {
        errorPage(request, status: .forbidden, title: "Formulier geweigerd",
                  message: "Dit formulier is niet vanaf deze sessie verstuurd (het beveiligingskenmerk ontbreekt of klopt niet). Open de pagina opnieuw en probeer het nog eens.")
    }

    private func errorPage(_ request: Request, status: HTTPResponse.Status, title: String, message: String) -> Response {
        pages.html("error", ["title": title, "message": message], status: status)
    }

    private func secure(_ request: Request) -> Bool {
        settings.secureCookies || request.uri.scheme == .https
            || request.headers[.init("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    private func expiredCookie(_ name: String, _ request: Request) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/app", secure: secure(request), httpOnly: true, sameSite: .strict)
    }

    /// Constant-time comparison of two tokens (no early exit on the first differing byte).
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// The fields of an `application/x-www-form-urlencoded` body (at most 1 MiB, the API's JSON limit, which
    /// `BodyLimitMiddleware` enforces with a 413 first; each field's own length rule then answers at the
    /// field); repeated names keep the last value.
    static func form(_ request: Request, context: BasicRequestContext) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 1024 * 1024)
        let text = String(buffer: buffer)
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let name = parts.first else { continue }
            fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}
