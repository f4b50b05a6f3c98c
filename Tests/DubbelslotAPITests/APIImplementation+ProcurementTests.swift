import DubbelslotAPI
import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import DubbelslotTestSupport
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

extension APITests {
    /// docs/decisions/0015-risk-model-versions-and-model-card.md and
    /// docs/decisions/0016-procurement-checks-and-right-of-reply.md: model versions, procurement checks that re-derive
    /// byte for byte, shadow mode, replies, and the model card, through the API on the real database.
    @Suite struct APIImplementationProcurementTests {
        /// A copy of the shipped model with another version and doubled signal points.
        static func heavierModel(_ version: String) throws -> RiskModel {
            var model = try APITestSupport.riskModel()
            model.version = version
            model.signals.severityPoints = model.signals.severityPoints.mapValues { $0 * 2 }
            return model
        }

        /// Runs `sql` with user triggers off, as a superuser tampering behind the service's back would.
        static func tamper(_ api: APIHarness, _ sql: PostgresQuery) async throws {
            try await api.database.withTransaction(logger: TestLogging.logger) { connection in
                _ = try await connection.query("SET LOCAL session_replication_role = replica", logger: TestLogging.logger).collect()
                _ = try await connection.query(sql, logger: TestLogging.logger).collect()
            }
        }

        static func sqlState(_ body: () async throws -> Void) async -> String? {
            do { try await body(); return nil } catch let error as PSQLError { return error.serverInfo?[.sqlState] } catch { return "\(error)" }
        }

        @Test func aPublishedModelNeverChangesAndOneVersionIsInForceAtATime() async throws {
            try await withAPI { api in
                let models = api.store.riskModels
                let shipped = try APITestSupport.riskModel()
                let first = try #require(try await models.current(at: Date()))
                #expect(first.version == shipped.version && first.status == .published)
                // Publishing the same again changes nothing; other weights under the same version are refused.
                #expect(try await models.publish(shipped, actor: APIFixtures.actor) == first)
                var changed = shipped
                changed.bands.high += 1
                await #expect(throws: RiskModelError.versionTaken(shipped.version)) { try await models.publish(changed, actor: APIFixtures.actor) }
                // The database refuses to change or delete a published version, even behind the service's back.
                #expect(await Self.sqlState { _ = try await api.database.query("UPDATE risk_models SET weights = '{}' WHERE version = \(shipped.version)", logger: TestLogging.logger).collect() } == "42501")
                #expect(await Self.sqlState { _ = try await api.database.query("UPDATE risk_models SET published_at = now() WHERE version = \(shipped.version)", logger: TestLogging.logger).collect() } == "42501")
                #expect(await Self.sqlState { _ = try await api.database.query("DELETE FROM risk_models WHERE version = \(shipped.version)", logger: TestLogging.logger).collect() } == "42501")
                // Two versions can never share an instant of publication.
                #expect(await Self.sqlState {
                    _ = try await api.database.query("""
                        INSERT INTO risk_models (version, content_sha256, weights, status, published_at, recorded_by)
                        SELECT 'twin', content_sha256, weights, 'published', published_at, 'test' FROM risk_models WHERE version = \(shipped.version)
                        """, logger: TestLogging.logger).collect()
                } == "23505")

                // A draft is never in force; publishing it retires the previous version from that instant on.
                let draft = try await models.saveDraft(try Self.heavierModel("2.0.0-draft"), actor: APIFixtures.actor)
                #expect(draft.status == .draft && draft.publishedAt == nil)
                #expect(try await models.current(at: Date())?.version == shipped.version)
                let between = Date()
                try await Task.sleep(for: .milliseconds(5))
                let second = try await models.publish(try Self.heavierModel("2.0.0-draft"), actor: APIFixtures.actor)
                #expect(second.status == .published && second.publishedAt! > first.publishedAt!)
                #expect(try await models.current(at: between)?.version == shipped.version)
                #expect(try await models.current(at: Date())?.version == "2.0.0-draft")
                #expect(try await models.get(version: shipped.version)?.status == .retired)
                await #expect(throws: RiskModelError.alreadyPublished("2.0.0-draft")) {
                    try await models.saveDraft(try Self.heavierModel("2.0.0-draft"), actor: APIFixtures.actor)
                }
                // A replaced version stays retired (a rollback is a new version); a draft must be stored as published.
                await #expect(throws: RiskModelError.retired(shipped.version)) { try await models.publish(shipped, actor: APIFixtures.actor) }
                try await models.saveDraft(try Self.heavierModel("3.0.0-draft"), actor: APIFixtures.actor)
                var other = try Self.heavierModel("3.0.0-draft")
                other.bands.critical = 70
                await #expect(throws: RiskModelError.draftDiffers("3.0.0-draft")) { try await models.publish(other, actor: APIFixtures.actor) }
                // Every version is in force over a period of its own.
                let all = try await models.all().filter { $0.status != .draft }
                #expect(Set(all.compactMap(\.publishedAt)).count == all.count)
            }
        }

        @Test func aCheckReDerivesByteForByteUntilItsRowIsTamperedWith() async throws {
            try await withAPI { api in
                let today = APIFixtures.today
                let school = try await APIFixtures.school(api.store, 920)
                try await APIFixtures.mark(api.store, school, .grantedFixedTerm, from: today.adding(days: -300), until: today.adding(days: 200))
                try await APIFixtures.visit(api.store, school, on: today.adding(days: -40), outcome: .minorFindings)
                try await APIFixtures.signal(api.store, about: school, severity: .medium)
                let body = APIFixtures.json(["schoolId": school.id.text, "route": "b1Route", "contractFrom": today.adding(days: 30).description,
                                             "contractTo": today.adding(days: 400).description])
                let created = try await api.post("/v1/procurement-checks", as: .buyer, json: body)
                #expect(created.status == .created, "\(created.text)")
                let check = try created.json(Components.Schemas.ProcurementCheck.self)
                #expect(check.municipalityCode == "GM0363" && check.schoolId == school.id.text && check.reproducible == nil)
                #expect(check.modelVersion == "1.0.0" && check.inputDigest.count == 64)
                // What was shown: the overview for that period, with the mark ending inside it.
                #expect(check.assessment.qualityMark.coversContractPeriod == false && check.verdict == .caution)
                #expect(check.assessment.inputDigest == check.inputDigest && check.assessment.asOf == check.asOf)
                let path = "/v1/procurement-checks/\(check.id)"
                #expect(try await api.get(path, as: .buyer).json(Components.Schemas.ProcurementCheck.self).reproducible == true)

                // New evidence changes today's overview but not the stored check.
                try await APIFixtures.signal(api.store, from: APIFixtures.rotterdam, about: school, severity: .high)
                try await APIFixtures.visit(api.store, school, .financial, on: today, outcome: .majorFindings)
                let live = try await api.get("/v1/schools/\(school.id.text)/overview?route=b1Route", as: .buyer).json(Components.Schemas.DoubleLockOverview.self)
                #expect(live.inputDigest != check.inputDigest)
                let again = try await api.get(path, as: .buyer).json(Components.Schemas.ProcurementCheck.self)
                #expect(again.reproducible == true)
                #expect(again.assessment == check.assessment)

                // The service's role cannot change a check.
                #expect(await Self.sqlState { _ = try await api.database.query("UPDATE procurement_checks SET verdict = 'clear'", logger: TestLogging.logger).collect() } == "42501")
                #expect(await Self.sqlState { _ = try await api.database.query("DELETE FROM procurement_checks", logger: TestLogging.logger).collect() } == "42501")
                // A superuser's edit of the stored assessment is found out.
                let id = try #require(UUID(uuidString: check.id))
                try await Self.tamper(api, "UPDATE procurement_checks SET assessment = replace(assessment, '\"verdict\":\"caution\"', '\"verdict\":\"clear\"') WHERE id = \(id)")
                let tampered = try await api.get(path, as: .buyer)
                #expect(try tampered.json(Components.Schemas.ProcurementCheck.self).reproducible == false, "\(tampered.text)")
            }
        }

        /// Found in a new user's trial: retention removing a reply's text must neither leave the text in
        /// an immutable check nor make the check irreproducible.
        @Test func aCheckAskedTwiceWithOneIdempotencyKeyIsRecordedOnce() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 70)
                let body = APIFixtures.json(["schoolId": school.id.text, "contractFrom": APIFixtures.today.description])
                func ask(_ body: String, key: String) async throws -> Reply {
                    try await api.send(.post, "/v1/procurement-checks", token: api.token(.buyer), body: body,
                                       headers: [.contentType: "application/json", HTTPField.Name("Idempotency-Key")!: key])
                }
                let first = try await ask(body, key: "check-1")
                let again = try await ask(body, key: "check-1")
                #expect(first.status == .created && again.status == .created, "\(again.text)")
                #expect(try first.object()["id"] as? String == again.object()["id"] as? String)
                #expect(try await api.count("procurement_checks") == 1)
                // Another question under the same key: refused, nothing written; another key: a second check.
                let other = APIFixtures.json(["schoolId": school.id.text, "contractFrom": APIFixtures.today.adding(days: 1).description])
                try expectProblem(try await ask(other, key: "check-1"), 422, "idempotency-key-reused", field: "Idempotency-Key")
                #expect(try await api.count("procurement_checks") == 1)
                #expect(try await ask(other, key: "check-2").status == .created)
                #expect(try await api.count("procurement_checks") == 2)
                try expectProblem(try await ask(body, key: "met spatie"), 400, "validation", field: "Idempotency-Key")
            }
        }

        @Test func aCheckKeepsNoReplyTextAndSurvivesRetention() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 925)
                let signal = try await APIFixtures.signal(api.store, about: school, severity: .medium)
                _ = try await api.post("/v1/replies", as: .inspector, json: APIFixtures.json([
                    "subjectKind": "signal", "subjectId": signal.id.text, "reply": "REACTIE-TEKST van de school.",
                    "receivedOn": APIFixtures.today.description]))
                let check = try await api.post("/v1/procurement-checks", as: .buyer,
                                               json: APIFixtures.json(["schoolId": school.id.text, "contractFrom": APIFixtures.today.description]))
                    .json(Components.Schemas.ProcurementCheck.self)
                // A buyer is not shown a reply to a signal it may not read (its subject would name the signal).
                #expect(check.assessment.replies.isEmpty)
                let stored = try await api.store.procurementChecks.get(try #require(UUID(uuidString: check.id)))
                #expect(stored?.check.assessment.contains("REACTIE-TEKST") == false)
                #expect(stored?.check.assessment.contains(signal.id.text) == true, "the stored check keeps the reply's subject, without its text")
                // Every signal text is due two years from now.
                let removed = try await api.store.retention.run(RetentionPolicy(unfoundedSignalMonths: 6, signalTextYears: 1),
                                                                now: Date().addingTimeInterval(2 * 366 * 86_400), actor: APIFixtures.actor)
                #expect(removed.map(\.notes).reduce(0, +) >= 1)
                #expect(try await api.get("/v1/procurement-checks/\(check.id)", as: .buyer).json(Components.Schemas.ProcurementCheck.self).reproducible == true)
                try expectProblem(try await api.post("/v1/procurement-checks", as: .buyer, json: APIFixtures.json([
                    "schoolId": school.id.text, "contractFrom": "1900-01-01", "contractTo": "9999-12-31"])), 400, "validation", field: "contractFrom")
            }
        }

        @Test func anEditedCutOffIsFoundOutToo() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 921)
                let created = try await api.post("/v1/procurement-checks", as: .buyer,
                                                 json: APIFixtures.json(["schoolId": school.id.text, "contractFrom": APIFixtures.today.description]))
                let check = try created.json(Components.Schemas.ProcurementCheck.self)
                try await APIFixtures.signal(api.store, about: school, severity: .high)
                let id = try #require(UUID(uuidString: check.id))
                try await Self.tamper(api, "UPDATE procurement_checks SET as_of = now() WHERE id = \(id)")
                #expect(try await api.get("/v1/procurement-checks/\(check.id)", as: .buyer).json(Components.Schemas.ProcurementCheck.self).reproducible == false)
            }
        }

        @Test func theDecisionIsRecordedOnceWithAReasonWhenItGoesAgainstTheVerdict() async throws {
            try await withAPI { api in
                let today = APIFixtures.today
                let school = try await APIFixtures.school(api.store, 922)
                try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: today.adding(days: -300), until: nil)
                try await APIFixtures.visit(api.store, school, on: today.adding(days: -30))
                let check = try await api.post("/v1/procurement-checks", as: .buyer,
                                               json: APIFixtures.json(["schoolId": school.id.text, "contractFrom": today.description]))
                    .json(Components.Schemas.ProcurementCheck.self)
                #expect(check.verdict == .clear)
                let path = "/v1/procurement-checks/\(check.id)/decision"
                let before = try await api.writableCounts()
                try expectProblem(try await api.post(path, as: .buyer, json: APIFixtures.json(["decision": "doNotProceed"])), 400, "validation", field: "reason")
                try expectProblem(try await api.post(path, as: .buyer, json: APIFixtures.json(["decision": "maybe"])), 400, "validation", field: "decision")
                try expectProblem(try await api.post(path, as: .buyer, json: APIFixtures.json(["decision": "doNotProceed", "reason": "Bel 06-12345678 voor uitleg."])),
                                  400, "validation", field: "reason")
                #expect(try await api.writableCounts() == before)
                let decided = try await api.post(path, as: .buyer, json: APIFixtures.json(["decision": "doNotProceed", "reason": "Eerdere ervaringen met de uitvoering."]))
                #expect(decided.status == .created, "\(decided.text)")
                let withDecision = try decided.json(Components.Schemas.ProcurementCheck.self)
                #expect(withDecision.decision?.decision == .doNotProceed && withDecision.decision?.reason == "Eerdere ervaringen met de uitvoering.")
                try expectProblem(try await api.post(path, as: .buyer, json: APIFixtures.json(["decision": "proceed"])), 409, "conflict")
                #expect(try await api.get("/v1/procurement-checks/\(check.id)", as: .analyst).json(Components.Schemas.ProcurementCheck.self).decision?.decision == .doNotProceed)
                // Another municipality's buyer neither reads nor decides it.
                let rotterdam = try await APIFixtures.token(api.store, .buyer, municipality: APIFixtures.rotterdam)
                try expectProblem(try await api.send(.get, "/v1/procurement-checks/\(check.id)", token: rotterdam), 403, "forbidden")
                try expectProblem(try await api.get("/v1/procurement-checks/not-a-uuid", as: .buyer), 404, "not-found")
            }
        }

        @Test func shadowModeShowsADraftBesideTheModelInForce() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 923)
                try await APIFixtures.signal(api.store, about: school, severity: .high, status: .substantiated)
                try await api.store.riskModels.saveDraft(try Self.heavierModel("1.1.0-draft"), actor: APIFixtures.actor)
                let path = "/v1/schools/\(school.id.text)/overview"
                let plain = try await api.get(path, as: .buyer).json(Components.Schemas.DoubleLockOverview.self)
                #expect(plain.shadow == nil)
                let reply = try await api.get("\(path)?shadowModel=1.1.0-draft", as: .buyer)
                let overview = try reply.json(Components.Schemas.DoubleLockOverview.self)
                let shadow = try #require(overview.shadow)
                #expect(overview.modelVersion == "1.0.0" && shadow.modelVersion == "1.1.0-draft" && shadow.modelStatus == "draft")
                #expect(shadow.score > overview.oversight.score)
                #expect(shadow.differences.contains { $0.what == "score" && $0.current == String(overview.oversight.score) && $0.shadow == String(shadow.score) })
                #expect(shadow.differences.contains { $0.what.hasPrefix("contribution signals.severityPoints.high") })
                #expect(overview.verdict == plain.verdict, "the shadow decides nothing")
                try expectProblem(try await api.get("\(path)?shadowModel=9.9.9", as: .buyer), 422, "unknown-reference", field: "shadowModel")
            }
        }

        @Test func aSchoolsReplyIsShownBesideItsEvidence() async throws {
            try await withAPI { api in
                let today = APIFixtures.today
                let school = try await APIFixtures.school(api.store, 924)
                let signal = try await APIFixtures.signal(api.store, about: school, severity: .high)
                let visit = try await APIFixtures.visit(api.store, school, on: today.adding(days: -10), outcome: .majorFindings)
                let unmatched = try await APIFixtures.signal(api.store, about: nil)
                let toSignal = try await api.post("/v1/replies", as: .inspector, json: APIFixtures.json([
                    "subjectKind": "signal", "subjectId": signal.id.text, "reply": "De lessen zijn gegeven; presentielijsten bijgevoegd.",
                    "receivedOn": today.description]))
                #expect(toSignal.status == .created, "\(toSignal.text)")
                let toFinding = try await api.post("/v1/replies", as: .inspector, json: APIFixtures.json([
                    "subjectKind": "finding", "subjectId": visit.findings[0].id.text, "reply": "Wij zijn in bezwaar gegaan.",
                    "receivedOn": today.adding(days: -1).description]))
                #expect(toFinding.status == .created, "\(toFinding.text)")
                let overview = try await api.get("/v1/schools/\(school.id.text)/overview", as: .inspector).json(Components.Schemas.DoubleLockOverview.self)
                #expect(overview.replies.map(\.subjectId) == [signal.id.text, visit.findings[0].id.text])
                #expect(overview.replies.last?.visitId == visit.id.text)
                #expect(overview.replies.first?.reply == "De lessen zijn gegeven; presentielijsten bijgevoegd.")
                // A buyer, who may read no signal in full, sees the reply to the finding only.
                let bought = try await api.get("/v1/schools/\(school.id.text)/overview", as: .buyer).json(Components.Schemas.DoubleLockOverview.self)
                #expect(bought.replies.map(\.subjectId) == [visit.findings[0].id.text])

                let before = try await api.writableCounts()
                try expectProblem(try await api.post("/v1/replies", as: .inspector, json: APIFixtures.json([
                    "subjectKind": "signal", "subjectId": unmatched.id.text, "reply": "Niet van ons.", "receivedOn": today.description])),
                                  422, "unknown-reference", field: "subjectId")
                try expectProblem(try await api.post("/v1/replies", as: .inspector, json: APIFixtures.json([
                    "subjectKind": "finding", "subjectId": signal.id.text, "reply": "Mail info@voorbeeld.nl.", "receivedOn": today.description])),
                                  400, "validation", field: "reply")
                try expectProblem(try await api.post("/v1/replies", as: .inspector, json: APIFixtures.json([
                    "subjectKind": "visit", "subjectId": signal.id.text, "reply": "x", "receivedOn": today.adding(days: 2).description])),
                                  400, "validation")
                #expect(try await api.writableCounts() == before)
            }
        }

        @Test func theModelCardDescribesTheVersionInForce() async throws {
            try await withAPI { api in
                let card = try await api.get("/v1/risk-model", as: .buyer).json(Components.Schemas.RiskModelCard.self)
                #expect(card.version == "1.0.0" && card.status == "published" && card.contentSha256.count == 64)
                #expect(card.neverUses.contains { $0.contains("personal characteristics") })
                #expect(card.history.map(\.version) == ["1.0.0"])
                #expect(card.markdown.contains("# Dubbelslot risk model 1.0.0") && card.markdown.contains("| 16 |") == false)
                #expect(card.markdown.contains("high 16, low 4, medium 8"))
                let weights = try await api.get("/v1/risk-model", as: .signaller).object()["weights"] as? [String: Any]
                #expect((weights?["bands"] as? [String: Any])?["critical"] as? Double == 60)
                try expectProblem(try await api.get("/v1/risk-model?version=0.0.1", as: .buyer), 404, "not-found")
            }
        }
    }
}
