import DubbelslotAPI
import DubbelslotCore
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

extension APITests {
    /// Which events reach which subscriptions: the "contracted" filter, signal status changes (the
    /// reporting municipality only), corroborations (inspectors and analysts only) and rectifications.
    /// Every check reads the outbox rows of the test's own subscriptions.
    @Suite("Webhook events")
    struct WebhookEventTests {
        /// Creates a subscription with `token` for `events`; returns its id.
        static func subscribe(_ api: APIHarness, token: String, events: [WebhookEventType], filter: [String: Any]? = nil) async throws -> UUID {
            var body: [String: Any] = ["url": "https://example.org/hook", "events": events.map(\.rawValue)]
            if let filter { body["filter"] = filter }
            let reply = try await api.send(.post, "/v1/subscriptions", token: token, body: APIFixtures.json(body))
            #expect(reply.status.code == 201, "\(reply.text)")
            let subscription = try #require(try reply.object()["subscription"] as? [String: Any])
            return try #require(UUID(uuidString: subscription["id"] as? String ?? ""))
        }

        /// The CloudEvents queued for a subscription, oldest first, as JSON objects.
        static func events(_ api: APIHarness, _ subscription: UUID) async throws -> [[String: Any]] {
            let rows = try await api.database.query(
                "SELECT payload::text FROM webhook_outbox WHERE subscription_id = \(subscription) ORDER BY created_at, id",
                logger: TestLogging.logger)
            var result: [[String: Any]] = []
            for try await text in rows.decode(String.self) {
                result.append(try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]))
            }
            return result
        }

        /// A procurement check of Amsterdam's buyer on `school` from today, decided `decision`.
        static func check(_ api: APIHarness, _ school: School, decision: String) async throws {
            let created = try await api.post("/v1/procurement-checks", as: .buyer,
                                             json: APIFixtures.json(["schoolId": school.id.text, "contractFrom": APIFixtures.today.description]))
            #expect(created.status.code == 201, "\(created.text)")
            let id = try #require(try created.object()["id"] as? String)
            var body = ["decision": decision]
            if decision != "proceed" { body["reason"] = "Eerdere ervaringen met de uitvoering." }
            let decided = try await api.post("/v1/procurement-checks/\(id)/decision", as: .buyer, json: APIFixtures.json(body))
            #expect((200..<300).contains(decided.status.code), "\(decided.text)")
        }

        @Test("a municipality with a proceed check for school A hears of A's suspension, not of school B's")
        func contractedFilter() async throws {
            try await withAPI { api in
                // Setup: two fictional schools with a mark and a visit; Amsterdam proceeds with A, not with B.
                let today = APIFixtures.today
                let a = try await APIFixtures.school(api.store, 951, name: "Taalschool Verzonnen Gecontracteerd 951 B.V.")
                let b = try await APIFixtures.school(api.store, 952, name: "Taalschool Verzonnen Afgewezen 952 B.V.")
                for school in [a, b] {
                    try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: today.adding(days: -300), until: nil)
                    try await APIFixtures.visit(api.store, school, on: today.adding(days: -30))
                }
                try await Self.check(api, a, decision: "proceed")
                try await Self.check(api, b, decision: "doNotProceed")
                let subscription = try await Self.subscribe(api, token: api.token(.buyer), events: [.qualityMarkDecisionRecorded],
                                                            filter: ["contracted": true])
                let listed = try await api.send(.get, "/v1/subscriptions", token: api.token(.buyer))
                #expect(listed.text.contains("\"contracted\":true"), "\(listed.text)")

                // Call: both schools are suspended.
                try await APIFixtures.mark(api.store, a, .suspended, from: today.adding(days: -1), until: today.adding(days: 60))
                try await APIFixtures.mark(api.store, b, .suspended, from: today.adding(days: -1), until: today.adding(days: 60))

                // Checks: one event, about A.
                let events = try await Self.events(api, subscription)
                #expect(events.count == 1)
                #expect(events.first?["subject"] as? String == a.id.text)
                #expect((events.first?["data"] as? [String: Any])?["status"] as? String == "suspended")

                // Bad input: only a municipality can follow what it contracted; still one filter at most.
                func refused(_ token: String, _ filter: [String: Any]) async throws -> Reply {
                    try await api.send(.post, "/v1/subscriptions", token: token, body: APIFixtures.json(
                        ["url": "https://example.org/hook", "events": [WebhookEventType.qualityMarkDecisionRecorded.rawValue], "filter": filter]))
                }
                _ = try expectProblem(try await refused(api.token(.inspector), ["contracted": true]), 400, "validation", field: "filter.contracted")
                _ = try expectProblem(try await refused(api.token(.buyer), ["contracted": true, "schoolId": a.id.text]), 400, "validation", field: "filter")
            }
        }

        @Test("a signal's status change reaches the reporting municipality only, with ids and statuses, no text")
        func signalStatusChanged() async throws {
            try await withAPI { api in
                // Setup: Amsterdam (the reporter) and Rotterdam both subscribe.
                let school = try await APIFixtures.school(api.store, 953)
                let rotterdam = try await APIFixtures.token(api.store, .signaller, municipality: APIFixtures.rotterdam)
                let own = try await Self.subscribe(api, token: api.token(.signaller), events: [.signalStatusChanged])
                let other = try await Self.subscribe(api, token: rotterdam, events: [.signalStatusChanged])
                let signal = try await APIFixtures.signal(api.store, about: school, summary: "Verzonnen tekst die nooit verstuurd mag worden.")

                // Call.
                let triaged = try await api.store.signals.transition(signal.id, to: .triaged, expectedVersion: 1, note: "Beoordeeld.",
                                                                     actor: APIFixtures.actor)

                // Checks.
                let events = try await Self.events(api, own)
                #expect(events.count == 1)
                let event = try #require(events.first)
                #expect(event["type"] as? String == WebhookEventType.signalStatusChanged.rawValue)
                #expect(event["subject"] as? String == school.id.text)
                #expect(event["dataref"] as? String == "/v1/signals/\(signal.id.text)")
                let data = try #require(event["data"] as? [String: String])
                #expect(data == ["signalId": signal.id.text, "schoolId": school.id.text, "fromStatus": "received", "toStatus": "triaged",
                                 "version": String(triaged.version)])
                #expect(try await Self.events(api, other).isEmpty, "another municipality heard of the signal")
            }
        }

        @Test("a corroboration reaches inspectors' organisations, not municipalities")
        func corroborated() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 954)
                let inspectors = try await Self.subscribe(api, token: api.token(.inspector), events: [.signalCorroborated])
                let buyer = try await Self.subscribe(api, token: api.token(.buyer), events: [.signalCorroborated])
                let first = try await APIFixtures.signal(api.store, about: school)
                let second = try await APIFixtures.signal(api.store, from: APIFixtures.rotterdam, about: school)

                let relation = try await api.store.signals.relate(second.id, to: first.id, kind: .corroborating, note: "Zelfde patroon.",
                                                                  actor: APIFixtures.actor)

                let events = try await Self.events(api, inspectors)
                #expect(events.count == 1)
                #expect(events.first?["subject"] as? String == school.id.text)
                #expect(events.first?["data"] as? [String: String] == [
                    "relationId": relation.id.text, "signalId": second.id.text, "relatedSignalId": first.id.text,
                    "schoolId": school.id.text, "category": "lessonsNotGiven",
                ])
                #expect(try await Self.events(api, buyer).isEmpty, "a municipality heard of a corroboration")
            }
        }

        @Test("a rectified decision queues the decision event again, marked as a rectification")
        func rectified() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 955)
                let subscription = try await Self.subscribe(api, token: api.token(.inspector), events: [.qualityMarkDecisionRecorded],
                                                            filter: ["schoolId": school.id.text])
                let today = APIFixtures.today
                let granted = try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: today.adding(days: -300), until: nil)
                let suspended = try await APIFixtures.mark(api.store, school, .suspended, from: today.adding(days: -5), until: today.adding(days: 30))

                _ = try await api.store.qualityMarks.rectify(decisionId: suspended.id, schoolId: school.id, reason: "Verkeerde school gekozen.",
                                                            actor: APIFixtures.actor)

                let events = try await Self.events(api, subscription)
                #expect(events.count == 3)
                #expect(events.last?["data"] as? [String: String] == [
                    "schoolId": school.id.text, "decisionId": suspended.id.text, "status": "suspended", "change": "rectified",
                    "restores": granted.id.text,
                ])
            }
        }

        @Test("a suspension turns a contracted school's verdict to blocked: its municipality hears, others do not; an unchanged verdict is silent")
        func verdictChanged() async throws {
            try await withAPI { api in
                // Setup: Amsterdam proceeds with a clear school; Rotterdam follows every school's verdict changes.
                let today = APIFixtures.today
                let school = try await APIFixtures.school(api.store, 958, name: "Taalschool Verzonnen Oordeel 958 B.V.")
                try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: today.adding(days: -300), until: nil)
                try await APIFixtures.visit(api.store, school, on: today.adding(days: -30))
                try await Self.check(api, school, decision: "proceed")
                let own = try await Self.subscribe(api, token: api.token(.buyer), events: [.schoolVerdictChanged], filter: ["contracted": true])
                let rotterdam = try await APIFixtures.token(api.store, .buyer, municipality: APIFixtures.rotterdam)
                let other = try await Self.subscribe(api, token: rotterdam, events: [.schoolVerdictChanged])

                // Call: a compliant visit (verdict stays clear), then a suspension (lock 1 fails).
                try await APIFixtures.visit(api.store, school, .financial, on: today.adding(days: -2))
                #expect(try await Self.events(api, own).isEmpty, "an unchanged verdict queued an event")
                try await APIFixtures.mark(api.store, school, .suspended, from: today.adding(days: -1), until: today.adding(days: 60))

                // Checks.
                let events = try await Self.events(api, own)
                #expect(events.count == 1)
                let event = try #require(events.first)
                #expect(event["type"] as? String == WebhookEventType.schoolVerdictChanged.rawValue)
                #expect(event["dataref"] as? String == "/v1/schools/\(school.id.text)/overview")
                let data = try #require(event["data"] as? [String: String])
                #expect(data["fromVerdict"] == "clear" && data["toVerdict"] == "blocked" && data["date"] == today.description, "\(data)")
                #expect(data["schoolId"] == school.id.text && data["procurementCheckId"] != nil && data["modelVersion"] != nil)
                #expect(try await Self.events(api, other).isEmpty, "a municipality without a contract heard of the verdict")
            }
        }

        @Test("intake of a substantiated signal and an imported suspension change a contracted school's verdict: each queues the event")
        func verdictChangedByIntakeAndImport() async throws {
            try await withAPI { api in
                // Setup: Amsterdam proceeds with two clear schools and follows their verdicts.
                let today = APIFixtures.today
                var schools: [School] = []
                for n in [961, 962] {
                    let school = try await APIFixtures.school(api.store, n, name: "Taalschool Verzonnen Oordeel \(n) B.V.")
                    try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: today.adding(days: -300), until: nil)
                    try await APIFixtures.visit(api.store, school, on: today.adding(days: -30))
                    try await Self.check(api, school, decision: "proceed")
                    schools.append(school)
                }
                let own = try await Self.subscribe(api, token: api.token(.buyer), events: [.schoolVerdictChanged], filter: ["contracted": true])

                // Call: a substantiated high-severity signal about the first (a hard block), and the quality-mark
                // body's register with a suspension of the second.
                try await APIFixtures.signal(api.store, about: schools[0], severity: .high, status: .substantiated)
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("dbs-register-\(UUID().uuidString.prefix(8)).csv")
                defer { try? FileManager.default.removeItem(at: file) }
                try Data("""
                    kvkNumber,status,validFrom,decidedOn,validUntil
                    \(schools[1].kvkNumber.rawValue),suspended,\(today.adding(days: -1)),\(today.adding(days: -5)),\(today.adding(days: 60))

                    """.utf8).write(to: file)
                _ = try await ReferenceImporter(store: api.store).importQualityMarkDecisions(from: file, today: today, actor: APIFixtures.actor)

                // Checks: one event per school, each from clear to blocked.
                let events = try await Self.events(api, own)
                #expect(events.map { $0["subject"] as? String } == schools.map(\.id.text))
                for event in events {
                    let data = try #require(event["data"] as? [String: String])
                    #expect(data["fromVerdict"] == "clear" && data["toVerdict"] == "blocked", "\(data)")
                }
            }
        }

        @Test("the organisation's page lists its own subscriptions and their deliveries, in Dutch, escaped")
        func subscriptionsPage() async throws {
            try await withAPI { api in
                // Setup: Amsterdam follows the schools it contracted at a URL with a query; the inspectorate has one of its own.
                let body = APIFixtures.json(["url": "https://ontvanger.example.org/hook?bron=dubbelslot&soort=keurmerk",
                                             "events": [WebhookEventType.qualityMarkDecisionRecorded.rawValue], "filter": ["contracted": true]])
                let created = try await api.send(.post, "/v1/subscriptions", token: api.token(.buyer), body: body)
                #expect(created.status.code == 201, "\(created.text)")
                let other = try await Self.subscribe(api, token: api.token(.inspector), events: [.signalCorroborated])
                let school = try await APIFixtures.school(api.store, 957)
                try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: APIFixtures.today.adding(days: -30), until: nil)
                _ = try await api.database.query(
                    """
                    INSERT INTO webhook_outbox (subscription_id, event_id, type, payload)
                    SELECT id, gen_random_uuid(), 'nl.dubbelslot.quality-mark.decision-recorded', '{}'::jsonb FROM webhook_subscriptions
                    WHERE organisation_id = 'GM0363'
                    """, logger: TestLogging.logger).collect()

                // Call.
                var browser = WebControllerSessionTests.Browser(api: api)
                try await browser.signIn(api.token(.buyer))
                let page = try await browser.request(.get, "/app/abonnementen")

                // Checks.
                #expect(page.status == .ok)
                #expect(page.text.contains("lang=\"nl\""))
                #expect(page.text.contains("hook?bron=dubbelslot&amp;soort=keurmerk"), "the URL is escaped")
                #expect(page.text.contains("Scholen die wij contracteerden"))
                #expect(page.text.contains("Keurmerkbesluit vastgelegd of gerectificeerd"))
                #expect(page.text.contains("Wacht op aflevering"))
                #expect(page.text.contains("aria-current=\"page\""), "the menu marks the page")
                #expect(!page.text.contains(other.text), "another organisation's subscription is shown")
            }
        }
    }
}
