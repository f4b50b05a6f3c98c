import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation
import Logging

extension APIImplementation {
    /// Takes in a signal from the token's own municipality.
    ///
    /// `observedUntil` is exclusive, like every `…Until` of the contract. A retry with the same
    /// `Idempotency-Key` returns the first result (docs/decisions/0008-signal-lifecycle-and-intake.md).
    func reportSignal(_ input: Operations.ReportSignal.Input) async throws -> Operations.ReportSignal.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send application/json.") }
        let principal = try Principal.required()
        var rules = InputRules()
        // A signaller acts for one municipality: absent, municipalityCode is the token's own.
        let municipality = rules.municipality(body.municipalityCode ?? principal.municipalityCode?.rawValue, "municipalityCode")
        let schoolId = rules.uuid(body.schoolId, "schoolId")
        let name = rules.name(body.reportedSchoolName, "reportedSchoolName", max: 200, required: body.schoolId == nil)
        let kvk = rules.kvk(body.reportedKvkNumber, "reportedKvkNumber")
        let place = rules.name(body.reportedPlace, "reportedPlace", max: 100)
        let from = rules.requiredDate(body.observedFrom, "observedFrom")
        let until = rules.date(body.observedUntil, "observedUntil")
        if let from, from > todayInAmsterdam() { rules.fail("observedFrom", "must not be in the future") }
        if let from, let until, until <= from { rules.fail("observedUntil", "must be after observedFrom (exclusive end)") }
        let summary = rules.freeText(body.summary, "summary", max: 4000, required: true)
        let caseReference = rules.text(body.caseReference, "caseReference", max: 100)
        let vestiging = rules.vestigingsnummer(body.reportedVestigingsnummer, "reportedVestigingsnummer")
        let (observedFrom, summaryText) = try rules.checked(from, summary)
        guard let municipality, municipality == principal.municipalityCode, Principal.visible.contains(municipality) else {
            throw Problem(.forbidden, detail: "This token reports for \(principal.municipalityCode?.rawValue ?? "no municipality"); municipalityCode must be the same.",
                          errors: [FieldError(field: "municipalityCode", rule: "must be the token's own municipality")])
        }
        try Self.checkIdempotencyKey(input.headers.idempotencyKey)
        // With a school picked from the registry and no name typed, the registered name is what was reported.
        var reportedName = name
        if reportedName == nil, let schoolId {
            guard let school = try await store.schools.get(schoolId) else {
                throw Problem(.unknownReference, detail: "No school with that id.", errors: [FieldError(field: "schoolId", rule: "must name an existing record")])
            }
            reportedName = school.name
        }
        let signal = NewSignal(municipalityCode: municipality, schoolId: schoolId, reportedSchoolName: reportedName ?? "", reportedKvkNumber: kvk,
                               reportedPlace: place, category: body.category.converted(), severity: body.severity.converted(), observedFrom: observedFrom,
                               observedUntil: until, summary: summaryText, source: body.source.converted(), reportedVestigingsnummer: vestiging,
                               caseReference: caseReference)
        let (key, hash, actor) = (input.headers.idempotencyKey, try Self.requestHash(body), try Principal.actor())
        let intake: SignalIntake
        do {
            intake = try await store.signals.record(signal, idempotencyKey: key, requestHash: hash, actor: actor)
        } catch where key != nil && StoreError.isDatabaseOutage(error) && !StoreError.isStoppedStatement(error) && !Task.isCancelled {
            // A connection lost mid-intake (a restart of PostgreSQL): the Idempotency-Key makes a second
            // attempt safe, so it is made once here, after half a second, before the client is told 503.
            // A statement PostgreSQL stopped (timeout, shutdown) is not repeated: it would wait as long again.
            logger.warning("signal intake: connection lost, trying once more", metadata: ["error": "\(String(reflecting: error))"])
            try await Task.sleep(for: .milliseconds(500))
            intake = try await store.signals.record(signal, idempotencyKey: key, requestHash: hash, actor: actor)
        }
        // A retry with the same key and body answers as the first request did.
        return .created(.init(body: .json(.init(intake.signal.signal, version: intake.signal.version))))
    }

    /// Lists signals under the caller's access scope (a signaller: its own municipality's), page and total alike.
    func listSignals(_ input: Operations.ListSignals.Input) async throws -> Operations.ListSignals.Output {
        var rules = InputRules()
        let school = rules.uuid(input.query.school, "school")
        let status = input.query.status?.converted(to: SignalStatus.self)
        let after = input.query.cursor.flatMap { c -> UUID? in
            guard let id = UUID(strict: c) else { rules.fail("cursor", "must be a nextCursor value from a previous page"); return nil }
            return id
        }
        let limit = rules.limit(input.query.limit)
        try rules.throwIfAny()
        let page = try await store.signals.list(SignalQuery(schoolId: school, status: status, visible: Principal.visible, after: after, limit: limit))
        // Every read of signal text is audited, one entry per request
        // (docs/decisions/0012-audit-chain-of-writes-and-reads.md).
        try await store.signals.recordRead(ids: page.signals.map(\.id), actor: try Principal.actor())
        return .ok(.init(body: .json(.init(items: page.signals.map { Components.Schemas.FraudSignal($0) }, total: page.total, nextCursor: page.nextCursor?.text))))
    }

    func getSignal(_ input: Operations.GetSignal.Input) async throws -> Operations.GetSignal.Output {
        let versioned = try await readableSignal(input.path.id)
        // Logged here, not in `readableSignal`, which also guards reads that return no signal text.
        try await store.signals.recordRead(ids: [versioned.signal.id], actor: try Principal.actor())
        return .ok(.init(headers: .init(eTag: Self.etag(versioned.version)), body: .json(.init(versioned.signal, version: versioned.version))))
    }
}
