import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

extension APITests {
    /// Overviews of now are kept while the school's evidence holds (KeptOverviews): every answer must be
    /// the one the full assessment gives when asked again with the answer's own `asOf`.
    @Suite struct KeptOverviewsTests {
        /// The overview of now and the overview asked again with its `asOf`, for a caller's token.
        private func nowAndAgain(_ api: APIHarness, _ path: String, token: String) async throws
            -> (now: Components.Schemas.DoubleLockOverview, again: Components.Schemas.DoubleLockOverview) {
            let reply = try await api.send(.get, path, token: token)
            #expect(reply.status == .ok, "\(reply.text)")
            let now = try reply.json(Components.Schemas.DoubleLockOverview.self)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let asOf = formatter.string(from: now.asOf)
            let again = try await api.send(.get, "\(path)?asOf=\(asOf)", token: token).json(Components.Schemas.DoubleLockOverview.self)
            return (now, again)
        }

        /// School `n` with a fixed-term mark and a high signal from Utrecht; its overview's path; the tokens
        /// of Amsterdam's buyer, Utrecht's buyer, an inspector and an analyst.
        private func markedSchoolWithUtrechtSignal(_ api: APIHarness, _ n: Int) async throws -> (School, String, [String]) {
            let today = APIFixtures.today
            let school = try await APIFixtures.school(api.store, n)
            try await APIFixtures.mark(api.store, school, .grantedFixedTerm, from: today.adding(days: -300), until: today.adding(days: 100))
            try await APIFixtures.signal(api.store, from: APIFixtures.utrecht, about: school, severity: .high)
            let utrechtBuyer = try await APIFixtures.token(api.store, .buyer, municipality: APIFixtures.utrecht)
            return (school, "/v1/schools/\(school.id.text)/overview", [api.token(.buyer), utrechtBuyer, api.token(.inspector), api.token(.analyst)])
        }

        /// School `n` with an indefinite mark and a low signal from `municipality`.
        private func markedSchoolWithLowSignal(_ api: APIHarness, _ n: Int, from municipality: Municipality = APIFixtures.amsterdam) async throws -> School {
            let school = try await APIFixtures.school(api.store, n)
            try await APIFixtures.mark(api.store, school, .grantedIndefinite, from: APIFixtures.today.adding(days: -300), until: nil)
            try await APIFixtures.signal(api.store, from: municipality, about: school, severity: .low)
            return school
        }

        @Test("each caller's overview of now equals the full assessment asked again with its asOf, before and after every change")
        func keptEqualsAssessedAgain() async throws {
            try await withAPI { api in
                let today = APIFixtures.today
                let (school, path, callers) = try await markedSchoolWithUtrechtSignal(api, 931)

                var known = 1
                func check(_ step: String) async throws {
                    for token in callers {
                        // Twice: the second answer comes from what the first kept.
                        for _ in 0..<2 {
                            let (now, again) = try await nowAndAgain(api, path, token: token)
                            #expect(now == again, "\(step): a kept overview differs from the assessment at its asOf")
                            #expect(now.coverage.signalsKnown == known, "\(step)")
                        }
                    }
                }
                try await check("first")

                // A signal from Amsterdam: Amsterdam's buyer now reads one signal in full, Utrecht's another.
                _ = try await api.post("/v1/signals", as: .signaller, json: APIFixtures.json(APIFixtures.newSignalBody(schoolId: school.id)))
                known += 1
                try await check("after intake")

                try await APIFixtures.visit(api.store, school, .financial, on: today.adding(days: -3), outcome: .majorFindings)
                try await check("after a visit")

                try await APIFixtures.mark(api.store, school, .suspended, from: today.adding(days: -1), until: today.adding(days: 30))
                try await check("after a suspension")
                let suspended = try await api.get(path, as: .buyer).json(Components.Schemas.DoubleLockOverview.self)
                #expect(suspended.verdict == .blocked)

                // The school's record is no evidence, but the overview shows it.
                _ = try await api.database.query("UPDATE schools SET name = 'Taalschool Hernoemd 931 B.V.' WHERE id = \(school.id)").collect()
                try await check("after a rename")
                #expect(try await api.get(path, as: .buyer).json(Components.Schemas.DoubleLockOverview.self).school.name == "Taalschool Hernoemd 931 B.V.")
            }
        }

        @Test("the kept overview is what answers: a change that moves no generation is not seen until one does")
        func keptIsUsed() async throws {
            try await withAPI { api in
                let today = APIFixtures.today
                let school = try await markedSchoolWithLowSignal(api, 932)
                let path = "/v1/schools/\(school.id.text)/overview"
                let before = try await api.get(path, as: .inspector).json(Components.Schemas.DoubleLockOverview.self)

                // Behind the triggers' back (no write path of the service can do this): the signal becomes high.
                _ = try await api.database.query("ALTER TABLE fraud_signals DISABLE TRIGGER USER").collect()
                _ = try await api.database.query("UPDATE fraud_signals SET severity = 'high' WHERE school_id = \(school.id)").collect()
                _ = try await api.database.query("ALTER TABLE fraud_signals ENABLE TRIGGER USER").collect()
                let kept = try await api.get(path, as: .inspector).json(Components.Schemas.DoubleLockOverview.self)
                #expect(kept.oversight.score == before.oversight.score, "the kept overview answered")
                #expect(kept.asOf > before.asOf)

                // Any evidence change of the school moves its generation: the next answer is assessed anew.
                try await APIFixtures.visit(api.store, school, .classroom, on: today.adding(days: -1))
                let fresh = try await api.get(path, as: .inspector).json(Components.Schemas.DoubleLockOverview.self)
                #expect(fresh.oversight.score > before.oversight.score)
            }
        }

        @Test("an answer for a caller who reads none of the signals keeps only the withheld overview; one who reads them is assessed in full")
        func withheldKeptApart() async throws {
            try await withAPI { api in
                let school = try await markedSchoolWithLowSignal(api, 933, from: APIFixtures.utrecht)
                let path = "/v1/schools/\(school.id.text)/overview"
                func score(_ role: Role) async throws -> Double {
                    try await api.get(path, as: role).json(Components.Schemas.DoubleLockOverview.self).oversight.score
                }
                func behindTheTriggersBack(_ severity: String) async throws {
                    _ = try await api.database.query("ALTER TABLE fraud_signals DISABLE TRIGGER USER").collect()
                    _ = try await api.database.query("UPDATE fraud_signals SET severity = \(severity) WHERE school_id = \(school.id)").collect()
                    _ = try await api.database.query("ALTER TABLE fraud_signals ENABLE TRIGGER USER").collect()
                }
                // A buyer reads no signal in full (AccessPolicy: getSignal); an inspector reads every one.
                let before = try await score(.buyer)
                try await behindTheTriggersBack("high")
                #expect(try await score(.buyer) == before, "the buyer is answered from the withheld overview kept")
                // The withheld overview cannot answer the inspector: the full assessment does, and sees the change.
                let assessed = try await score(.inspector)
                #expect(assessed > before)
                // Now kept whole beside the withheld one (same generation): after one more change behind the
                // triggers' back, each caller is answered from the form kept for it.
                try await behindTheTriggersBack("low")
                #expect(try await score(.inspector) == assessed)
                #expect(try await score(.buyer) == before)
            }
        }

        @Test("a kept answer is byte for byte the full assessment's at the same asOf, for every caller")
        func keptBytesEqualAssessed() async throws {
            try await withAPI { api in
                let (school, path, callers) = try await markedSchoolWithUtrechtSignal(api, 934)
                try await APIFixtures.visit(api.store, school, .financial, on: APIFixtures.today.adding(days: -3), outcome: .majorFindings)
                _ = try await api.post("/v1/signals", as: .signaller, json: APIFixtures.json(APIFixtures.newSignalBody(schoolId: school.id)))
                for token in callers {
                    for language in ["en", "nl"] {
                        _ = try await api.send(.get, path, token: token, headers: [.acceptLanguage: language])
                        let kept = try await api.send(.get, path, token: token, headers: [.acceptLanguage: language])
                        #expect(kept.status == .ok)
                        #expect(kept.headers[.contentType] == "application/json; charset=utf-8")
                        let asOf = try kept.json(Components.Schemas.DoubleLockOverview.self).asOf
                        let formatter = ISO8601DateFormatter()
                        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                        let again = try await api.send(.get, "\(path)?asOf=\(formatter.string(from: asOf))", token: token,
                                                       headers: [.acceptLanguage: language])
                        #expect(kept.text == again.text, "\(language): the kept bytes differ from the assessment's")
                    }
                }
            }
        }
    }
}
