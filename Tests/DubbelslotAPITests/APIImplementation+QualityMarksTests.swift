import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import HTTPTypes
import Testing

extension APITests {
    /// Lock 1 as the quality-mark body decides (decisions that supersede, per location, rectified) and
    /// risk model 1.1.0, through the API, on the inputs a trial with real quality-mark histories found
    /// wrong. Every school is fictional ("Taalschool Voorbeeld NNN B.V.").
    @Suite struct APIImplementationQualityMarksTests {
        static func decisions(_ api: APIHarness, _ school: School) async throws -> [Components.Schemas.QualityMarkDecision] {
            try await api.get("/v1/schools/\(school.id.text)/quality-mark-decisions", as: .analyst)
                .json(Components.Schemas.QualityMarkDecisionList.self).items
        }

        static func overview(_ api: APIHarness, _ school: School, _ query: String = "", headers: HTTPFields = [:]) async throws -> Reply {
            try await api.send(.get, "/v1/schools/\(school.id.text)/overview\(query.isEmpty ? "" : "?")\(query)", token: api.token(.buyer), headers: headers)
        }

        @Test func aMarkInForceIsEndedBySuspensionWithdrawalOrLapseAndThePastStaysAnswerable() async throws {
            try await withAPI { api in
                for (n, (status, until)) in [("suspended", nil), ("suspended", "2017-10-01"), ("withdrawn", nil), ("lapsed", nil)].enumerated() {
                    let school = try await APIFixtures.school(api.store, 920 + n)
                    let path = "/v1/schools/\(school.id.text)/quality-mark-decisions"
                    let grant = try await api.post(path, as: .inspector, json: APIFixtures.json(
                        ["status": "grantedIndefinite", "validFrom": "2016-01-01", "decidedOn": "2016-01-10"]))
                    #expect(grant.status == .created, "\(grant.text)")
                    try await Task.sleep(for: .milliseconds(5))
                    let beforeSuspension = Date()
                    try await Task.sleep(for: .milliseconds(5))
                    var body = ["status": status, "validFrom": "2017-07-03", "decidedOn": "2017-07-05"]
                    if let until { body["validUntil"] = until }
                    let ending = try await api.post(path, as: .inspector, json: APIFixtures.json(body))
                    #expect(ending.status == .created, "\(status): \(ending.text)")
                    let recorded = try ending.json(Components.Schemas.QualityMarkDecision.self)

                    let history = try await Self.decisions(api, school)
                    #expect(history.map(\.status.rawValue) == ["grantedIndefinite", status])
                    #expect(history[0].validUntil == "2017-07-03")
                    #expect(history[0].endedBy == recorded.id)
                    #expect(history[0].declaredUntil == nil, "the grant was open-ended as decided")

                    let now = try await Self.overview(api, school, "date=2017-07-04").json(Components.Schemas.DoubleLockOverview.self)
                    #expect(now.qualityMark.state == .closed, "\(status)")
                    #expect(now.qualityMark.decisionInForce?.id == recorded.id)
                    // As of an instant before the suspension was recorded: the grant open-ended, lock 1 open.
                    let then = try await Self.overview(api, school, "date=2017-07-04&asOf=\(AsOfTests.iso(beforeSuspension).replacingOccurrences(of: "+", with: "%2B"))")
                        .json(Components.Schemas.DoubleLockOverview.self)
                    // No model was in force in 2017-07 here, but the question is about what was known at asOf (today).
                    #expect(then.qualityMark.state == .open)
                    #expect(then.qualityMark.decisionInForce?.validUntil == nil)
                    #expect(then.qualityMark.decisionInForce?.status == .grantedIndefinite)
                }
            }
        }

        @Test func aWrongDecisionIsRectifiedAndShownInTheHistory() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 930)
                let path = "/v1/schools/\(school.id.text)/quality-mark-decisions"
                _ = try await api.post(path, as: .inspector, json: APIFixtures.json(["status": "grantedIndefinite", "validFrom": "2016-01-01", "decidedOn": "2016-01-10"]))
                let wrong = try await api.post(path, as: .inspector, json: APIFixtures.json(["status": "withdrawn", "validFrom": "2020-01-01", "decidedOn": "2020-01-02"]))
                    .json(Components.Schemas.QualityMarkDecision.self)
                #expect(try await Self.overview(api, school).json(Components.Schemas.DoubleLockOverview.self).qualityMark.state == .closed)
                let rectify = "\(path)/\(wrong.id)/rectification"
                try expectProblem(try await api.post(rectify, as: .inspector, json: APIFixtures.json(["reason": ""])), 400, "validation", field: "reason")
                try expectProblem(try await api.post(rectify, as: .buyer, json: APIFixtures.json(["reason": "Fout."])), 403, "forbidden")
                try expectProblem(try await api.post("\(path)/\(UUID().text)/rectification", as: .inspector, json: APIFixtures.json(["reason": "Fout."])),
                                  404, "not-found")
                let done = try await api.post(rectify, as: .inspector, json: APIFixtures.json(["reason": "Besluit hoorde bij een andere school."]))
                #expect(done.status == .created, "\(done.text)")
                #expect(try done.json(Components.Schemas.QualityMarkDecision.self).rectification?.reason == "Besluit hoorde bij een andere school.")
                let history = try await Self.decisions(api, school)
                #expect(history.count == 2)
                #expect(history[0].validUntil == nil, "the grant runs again as declared")
                #expect(history[1].rectification != nil)
                #expect(try await Self.overview(api, school).json(Components.Schemas.DoubleLockOverview.self).qualityMark.state == .open)
                try expectProblem(try await api.post(rectify, as: .inspector, json: APIFixtures.json(["reason": "Nog eens."])), 409, "conflict")
            }
        }

        @Test func aRefusedVisitIsNoLookAtTheSchoolIn110() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 931)
                try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: LocalDate(iso8601: "2016-01-01")!, until: nil)
                try await APIFixtures.visit(api.store, school, .classroom, on: LocalDate(iso8601: "2026-03-02")!, outcome: .accessRefused)
                let before = try await Self.overview(api, school, "date=2027-03-04").json(Components.Schemas.DoubleLockOverview.self)
                #expect(before.modelVersion == "1.0.0")
                #expect(before.oversight.band == .low && before.verdict == .clear && before.coverage.sufficient)
                try await api.store.riskModels.publish(try APITestSupport.shippedRiskModel(), actor: APIFixtures.actor)
                let after = try await Self.overview(api, school, "date=2027-03-04").json(Components.Schemas.DoubleLockOverview.self)
                #expect(after.modelVersion == "1.1.0")
                #expect(after.oversight.band == .insufficientData)
                #expect(after.verdict == .caution)
                #expect(after.coverage.sufficient == false)
            }
        }

        @Test func anOpenSeriousInvestigationIsCautionIn110() async throws {
            try await withAPI { api in
                try await api.store.riskModels.publish(try APITestSupport.shippedRiskModel(), actor: APIFixtures.actor)
                for (n, category) in [SignalCategory.inducements, .examFraud, .financialIrregularities].enumerated() {
                    let school = try await APIFixtures.school(api.store, 940 + n)
                    try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: LocalDate(iso8601: "2016-01-01")!, until: nil)
                    try await APIFixtures.visit(api.store, school, .classroom, on: APIFixtures.today.adding(days: -300))
                    let signal = try await APIFixtures.signal(api.store, about: school, severity: .high, category: category)
                    _ = try await api.store.signals.transition(signal.id, to: .triaged, expectedVersion: 1, note: "Ontvankelijk.", actor: APIFixtures.actor)
                    _ = try await api.store.signals.transition(signal.id, to: .underInvestigation, expectedVersion: 2, note: "Onderzoek.", actor: APIFixtures.actor)
                    let o = try await Self.overview(api, school).json(Components.Schemas.DoubleLockOverview.self)
                    #expect(o.verdict == .caution, "\(category)")
                    #expect(o.oversight.state == .attention)
                    #expect((8...12).contains(o.oversight.score))
                    let open = try #require(o.oversight.contributions.first { $0.kind == .openSignals })
                    // A buyer reads no signal in full: the month, no id; an inspector sees which signal it is.
                    #expect(open.evidenceIds == [] && open.evidenceMonth == String(APIFixtures.today.description.prefix(7)))
                    let inspected = try await api.get("/v1/schools/\(school.id.text)/overview", as: .inspector).json(Components.Schemas.DoubleLockOverview.self)
                    #expect(inspected.oversight.contributions.first { $0.kind == .openSignals }?.evidenceIds == [signal.id.text])
                    #expect(open.points == 0)
                    #expect(open.parameters?.additionalProperties == ["count": "1", "severity": "high"])
                }
            }
        }

        @Test func reportsOfThreeMunicipalitiesCorroborateWithoutALinkIn110() async throws {
            try await withAPI { api in
                try await api.store.riskModels.publish(try APITestSupport.shippedRiskModel(), actor: APIFixtures.actor)
                let school = try await APIFixtures.school(api.store, 950)
                try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: LocalDate(iso8601: "2016-01-01")!, until: nil)
                try await APIFixtures.visit(api.store, school, .classroom, on: APIFixtures.today.adding(days: -300))
                for town in [APIFixtures.amsterdam, APIFixtures.rotterdam, APIFixtures.utrecht] {
                    try await APIFixtures.signal(api.store, from: town, about: school, severity: .low)
                }
                let o = try await Self.overview(api, school).json(Components.Schemas.DoubleLockOverview.self)
                let c = try #require(o.oversight.contributions.first { $0.kind == .corroboration })
                #expect(c.rule == "corroboration.pointsPerAdditionalMunicipality")
                #expect(c.points == 12)
                #expect(c.evidenceIds.isEmpty, "a buyer is shown none of the three signals' ids")
                let inspected = try await api.get("/v1/schools/\(school.id.text)/overview", as: .inspector).json(Components.Schemas.DoubleLockOverview.self)
                #expect(inspected.oversight.contributions.first { $0.kind == .corroboration }?.evidenceIds.count == 3)
            }
        }

        @Test func oneLocationIsSuspendedAndACheckForItSaysSo() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 960, locationsIn: [APIFixtures.amsterdam, APIFixtures.amstelveen])
                let (suspended, other) = (school.locations[0], school.locations[1])
                try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: LocalDate(iso8601: "2016-01-01")!, until: nil)
                try await APIFixtures.visit(api.store, school, .classroom, on: APIFixtures.today.adding(days: -30))
                let recorded = try await api.post("/v1/schools/\(school.id.text)/quality-mark-decisions", as: .inspector, json: APIFixtures.json(
                    ["status": "suspended", "validFrom": APIFixtures.today.adding(days: -20).description, "decidedOn": APIFixtures.today.adding(days: -21).description,
                     "locationId": suspended.id.text, "reason": "Fraudeonderzoek op deze vestiging."]))
                #expect(recorded.status == .created, "\(recorded.text)")
                #expect(try recorded.json(Components.Schemas.QualityMarkDecision.self).locationId == suspended.id.text)

                let there = try await Self.overview(api, school, "locationId=\(suspended.id.text)").json(Components.Schemas.DoubleLockOverview.self)
                #expect(there.qualityMark.state == .closed && there.verdict == .blocked)
                #expect(there.locationId == suspended.id.text)
                let elsewhere = try await Self.overview(api, school, "locationId=\(other.id.text)").json(Components.Schemas.DoubleLockOverview.self)
                #expect(elsewhere.qualityMark.state == .open)
                let whole = try await Self.overview(api, school, "contractFrom=\(APIFixtures.today)").json(Components.Schemas.DoubleLockOverview.self)
                #expect(whole.qualityMark.state == .attention)
                #expect(whole.qualityMark.locations?.map(\.locationId) == [suspended.id.text])
                #expect(whole.qualityMark.locations?.first?.coversContractPeriod == false)
                #expect(whole.qualityMark.coversContractPeriod == true)
                // A location of another school, or not a UUID.
                let stranger = try await APIFixtures.school(api.store, 961, locationsIn: [APIFixtures.utrecht])
                try expectProblem(try await Self.overview(api, school, "locationId=\(stranger.locations[0].id.text)"), 422, "unknown-reference", field: "locationId")
                try expectProblem(try await Self.overview(api, school, "locationId=vestiging-1"), 400, "validation", field: "locationId")

                // A procurement check for the suspended location keeps it and re-derives to the same answer.
                let check = try await api.post("/v1/procurement-checks", as: .buyer, json: APIFixtures.json(
                    ["schoolId": school.id.text, "contractFrom": APIFixtures.today.description, "locationId": suspended.id.text]))
                #expect(check.status == .created, "\(check.text)")
                let stored = try check.json(Components.Schemas.ProcurementCheck.self)
                #expect(stored.locationId == suspended.id.text)
                #expect(stored.verdict == .blocked)
                let again = try await api.get("/v1/procurement-checks/\(stored.id)", as: .buyer).json(Components.Schemas.ProcurementCheck.self)
                #expect(again.reproducible == true)
            }
        }

        @Test func asOfTakesTheFormsPeopleSendAndRefusesABareDateWithAnExample() async throws {
            #expect(RFC3339.instant("2017-07-04T12:00+02:00") == Date(timeIntervalSince1970: 1_499_162_400))
            #expect(RFC3339.instant("2017-07-04T10:00Z") == Date(timeIntervalSince1970: 1_499_162_400))
            #expect(RFC3339.instant("2017-07-04t10:00:00z") == Date(timeIntervalSince1970: 1_499_162_400))
            #expect(RFC3339.instant("2017-07-04T12:00:00.250+02:00") == Date(timeIntervalSince1970: 1_499_162_400.25))
            #expect(RFC3339.instant("2017-07-04T12:00 02:00") == Date(timeIntervalSince1970: 1_499_162_400), "a + decoded as a space")
            #expect(RFC3339.instant("2017-07-04T12:00") == nil, "no offset: which clock?")
            #expect(RFC3339.instant("2017-07-04T25:00Z") == nil)
            // Dates that do not exist, impossible offsets, and fractions beyond nanoseconds are refused, not rolled over.
            for bad in ["2026-02-30T10:00Z", "2026-11-31T00:00Z", "2026-03-01T10:00+99:00", "2026-03-01T10:00+24:00", "2026-03-01T10:60Z",
                        "2026-03-01T10:00:00.9999999999Z", "2026-03-01", "2026-03-01 10:00Z", "２０２６-03-01T10:00Z"] {
                #expect(RFC3339.instant(bad) == nil, "\(bad)")
            }
            #expect(RFC3339.instant("2026-11-30T18:15:00.999999999Z") == Date(timeIntervalSince1970: 1_796_062_500.999999))
            #expect(RFC3339.instant("2026-03-01T12:00-0130") == Date(timeIntervalSince1970: 1_772_371_800))
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 970)
                // The current minute in the form without seconds: read as that instant (answered, or refused
                // only when the test's model was published later within that minute).
                let f = DateFormatter()
                f.locale = Locale(identifier: "en_US_POSIX")
                f.timeZone = TimeZone(identifier: "Europe/Amsterdam")
                f.dateFormat = "yyyy-MM-dd'T'HH:mmxxx"
                let minute = f.string(from: Date())
                let answered = try await Self.overview(api, school, "asOf=\(minute.replacingOccurrences(of: "+", with: "%2B"))")
                if answered.status == .ok {
                    let asOf = try answered.json(Components.Schemas.DoubleLockOverview.self).asOf
                    #expect(asOf == RFC3339.instant(minute))
                } else {
                    #expect(try expectProblem(answered, 400, "validation", field: "asOf").errors?.first?.rule.contains("risk model") == true)
                }
                // The issue's own instant is well-formed: refused only because no model was published yet then.
                let early = try expectProblem(try await Self.overview(api, school, "asOf=2017-07-04T12:00%2B02:00"), 400, "validation", field: "asOf")
                #expect(early.errors?.first?.rule.contains("risk model") == true)
                let bare = try expectProblem(try await Self.overview(api, school, "asOf=2017-07-04"), 400, "validation", field: "asOf")
                #expect(bare.errors?.first?.rule.contains("e.g. 2026-03-01T12:00:00+01:00") == true)
            }
        }

        @Test func dutchIsAskedWithAcceptLanguageAndAStoredCheckIsShownInEither() async throws {
            try await withAPI { api in
                try await api.store.riskModels.publish(try APITestSupport.shippedRiskModel(), actor: APIFixtures.actor)
                let school = try await APIFixtures.school(api.store, 980)
                try await APIFixtures.mark(api.store, school, .grantedFixedTerm, from: LocalDate(iso8601: "2024-01-01")!,
                                           until: APIFixtures.today.adding(days: 100))
                try await APIFixtures.visit(api.store, school, .classroom, on: APIFixtures.today.adding(days: -30), outcome: .minorFindings)
                let query = "contractFrom=\(APIFixtures.today)&contractTo=\(APIFixtures.today.adding(days: 365))"
                let english = try await Self.overview(api, school, query).json(Components.Schemas.DoubleLockOverview.self)
                let dutch = try await Self.overview(api, school, query, headers: [.acceptLanguage: "nl-NL,nl;q=0.9,en;q=0.5"])
                    .json(Components.Schemas.DoubleLockOverview.self)
                let lastDay = APIFixtures.today.adding(days: 99)
                #expect(english.qualityMark.reasons.last?.contains("the mark is valid through \(lastDay)") == true)
                #expect(dutch.qualityMark.reasons.last?.contains("het keurmerk geldt tot en met \(DutchTerms.date(lastDay.description))") == true)
                #expect(dutch.qualityMark.reasonDetails?.map(\.rule) == english.qualityMark.reasonDetails?.map(\.rule))
                #expect(dutch.oversight.contributions.first?.explanation.hasPrefix("Toezicht in de klas op") == true)
                #expect(dutch.oversight.score == english.oversight.score)

                let check = try await api.send(.post, "/v1/procurement-checks", token: api.token(.buyer),
                                               body: APIFixtures.json(["schoolId": school.id.text, "contractFrom": APIFixtures.today.description]),
                                               headers: [.acceptLanguage: "nl"])
                let id = try check.json(Components.Schemas.ProcurementCheck.self).id
                let shownDutch = try await api.send(.get, "/v1/procurement-checks/\(id)", token: api.token(.buyer), headers: [.acceptLanguage: "nl"])
                    .json(Components.Schemas.ProcurementCheck.self)
                let shownEnglish = try await api.get("/v1/procurement-checks/\(id)", as: .buyer).json(Components.Schemas.ProcurementCheck.self)
                #expect(shownDutch.reproducible == true && shownEnglish.reproducible == true)
                #expect(shownDutch.assessment.qualityMark.reasons.first?.hasPrefix("Keurmerk verleend (bepaalde tijd) van kracht op") == true)
                #expect(shownEnglish.assessment.qualityMark.reasons.first?.hasPrefix("Quality mark grantedFixedTerm in force on") == true)
            }
        }

        @Test func answersOf100StayWhatTheyWereAfter110IsPublished() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 990)
                try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: LocalDate(iso8601: "2016-01-01")!, until: nil)
                try await APIFixtures.visit(api.store, school, .classroom, on: APIFixtures.today.adding(days: -300), outcome: .minorFindings)
                try await APIFixtures.signal(api.store, about: school, severity: .high)
                try await APIFixtures.signal(api.store, from: APIFixtures.rotterdam, about: school, severity: .medium)
                let shown = try await Self.overview(api, school, "date=\(APIFixtures.today)")
                let shownOverview = try shown.json(Components.Schemas.DoubleLockOverview.self)
                #expect(shownOverview.modelVersion == "1.0.0")
                let check = try await api.post("/v1/procurement-checks", as: .buyer, json: APIFixtures.json(
                    ["schoolId": school.id.text, "contractFrom": APIFixtures.today.description])).json(Components.Schemas.ProcurementCheck.self)
                try await Task.sleep(for: .milliseconds(5))
                try await api.store.riskModels.publish(try APITestSupport.shippedRiskModel(), actor: APIFixtures.actor)

                let replay = try await Self.overview(api, school, "date=\(APIFixtures.today)&asOf=\(AsOfTests.iso(shownOverview.asOf))")
                #expect(replay.text == shown.text, "byte for byte")
                #expect(try await api.get("/v1/procurement-checks/\(check.id)", as: .buyer).json(Components.Schemas.ProcurementCheck.self).reproducible == true)
                let now = try await Self.overview(api, school, "date=\(APIFixtures.today)").json(Components.Schemas.DoubleLockOverview.self)
                #expect(now.modelVersion == "1.1.0")
                #expect(now.verdict == .caution, "an open high signal: look before contracting")
            }
        }

        @Test func recordsAndListsQualityMarkDecisions() async throws {
            try await withAPI { api in
                let school = try await APIFixtures.school(api.store, 901)
                let today = APIFixtures.today
                let path = "/v1/schools/\(school.id.text)/quality-mark-decisions"
                // Call: a later period first, then an earlier one adjoining it (half-open periods do not overlap).
                let later = try await api.post(path, as: .inspector, json: APIFixtures.json(
                    APIFixtures.newDecisionBody("grantedIndefinite", from: today.adding(days: -100), until: nil)))
                let earlier = try await api.post(path, as: .inspector, json: APIFixtures.json(
                    APIFixtures.newDecisionBody("aspirant", from: today.adding(days: -400), until: today.adding(days: -100))))
                // Checks
                #expect(later.status == .created, "\(later.text)")
                #expect(earlier.status == .created, "\(earlier.text)")
                let recorded = try earlier.json(Components.Schemas.QualityMarkDecision.self)
                #expect(recorded.schoolId == school.id.text)
                #expect(recorded.status == .aspirant)
                #expect(recorded.validFrom == today.adding(days: -400).description)
                #expect(recorded.validUntil == today.adding(days: -100).description)
                #expect(recorded.reference == "BOW-2026-0901")
                #expect(recorded.recordedBy.hasPrefix("inspector:"))

                let list = try await api.get(path, as: .signaller)
                #expect(list.status == .ok)
                let items = try list.json(Components.Schemas.QualityMarkDecisionList.self).items
                #expect(items.map(\.status) == [.aspirant, .grantedIndefinite])
                #expect(items.last?.validUntil == nil)
            }
        }
    }
}
