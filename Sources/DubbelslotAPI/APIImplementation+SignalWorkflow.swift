import DubbelslotCore
import DubbelslotOpenAPI
import DubbelslotStore
import Foundation

extension APIImplementation {
    /// The signal, when the caller may read it in full: a signaller only its own municipality's.
    func readableSignal(_ idText: String) async throws -> VersionedSignal {
        _ = try Principal.required()
        let id = try pathID(idText, "signal")
        guard let versioned = try await store.signals.getVersioned(id) else { throw Problem(.notFound, detail: "No signal with id \(id.text).") }
        // Not a 403: that would tell the caller that a signal with this id exists (RFC 9110 §15.5.5 allows 404).
        guard Principal.visible.contains(versioned.signal.municipalityCode) else {
            throw Problem(.notFound, detail: "No signal with id \(id.text).")
        }
        return versioned
    }

    /// The versions an `If-Match` header names (RFC 9110 §13.1.1): `nil` for `*` (any current
    /// version), else the strong entity tags of the list, as versions. Weak tags (`W/"3"`) never match
    /// under the strong comparison If-Match uses, nor does anything that is not a quoted version, so
    /// they are left out (an empty list matches nothing). At most 50 list members are read.
    static func versions(fromIfMatch header: String) -> [Int]? {
        let members = header.split(separator: ",", omittingEmptySubsequences: true).prefix(50)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if members == ["*"] { return nil }
        return members.compactMap { tag in
            guard tag.count >= 3, tag.hasPrefix("\""), tag.hasSuffix("\"") else { return nil }
            return Int(tag.dropFirst().dropLast())
        }
    }

    static func etag(_ version: Int) -> String { "\"\(version)\"" }

    func transitionSignal(_ input: Operations.TransitionSignal.Input) async throws -> Operations.TransitionSignal.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send application/json.") }
        let id = try pathID(input.path.id, "signal")
        var rules = InputRules()
        let text = rules.freeText(body.reason, "reason", max: 4000, required: true)
        let reason = try rules.checked(text)
        guard let ifMatch = input.headers.ifMatch else {
            throw Problem(.preconditionRequired, detail: "Send If-Match with the signal's ETag (from GET /v1/signals/{id}).")
        }
        // One strong tag is the version the store checks in the write itself. `*` and lists are
        // resolved against the current version first; the store's check still catches a change in between.
        let expected: Int
        switch Self.versions(fromIfMatch: ifMatch) {
        case let versions? where versions.count == 1:
            expected = versions[0]
        case let versions:
            guard let current = try await store.signals.getVersioned(id) else { throw Problem(.notFound, detail: "No signal with id \(id.text).") }
            guard versions.map({ $0.contains(current.version) }) ?? true else {
                throw OpenAPIProblemMiddleware.problem(for: .versionMismatch(current: current))
            }
            expected = current.version
        }
        let updated = try await store.signals.transition(id, to: body.to.converted(), expectedVersion: expected, note: reason, actor: try Principal.actor())
        return .ok(.init(headers: .init(eTag: Self.etag(updated.version)), body: .json(.init(updated.signal, version: updated.version))))
    }

    func listSignalTransitions(_ input: Operations.ListSignalTransitions.Input) async throws -> Operations.ListSignalTransitions.Output {
        let signal = try await readableSignal(input.path.id)
        let items = try await store.signals.transitions(signal.signal.id).map {
            Components.Schemas.SignalTransition(fromStatus: $0.from?.converted(), toStatus: $0.to.converted(), at: $0.at, by: $0.by, note: $0.note)
        }
        return .ok(.init(body: .json(.init(items: items))))
    }

    func forwardSignal(_ input: Operations.ForwardSignal.Input) async throws -> Operations.ForwardSignal.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send application/json.") }
        let id = try pathID(input.path.id, "signal")
        var rules = InputRules()
        let text = rules.freeText(body.reason, "reason", max: 4000, required: true)
        let reason = try rules.checked(text)
        let forward = try await store.signals.forward(id, to: body.to.converted(), note: reason, actor: try Principal.actor())
        return .created(.init(body: .json(.init(forward))))
    }

    func listSignalForwards(_ input: Operations.ListSignalForwards.Input) async throws -> Operations.ListSignalForwards.Output {
        let signal = try await readableSignal(input.path.id)
        return .ok(.init(body: .json(.init(items: try await store.signals.forwards(signal.signal.id).map(Components.Schemas.SignalForward.init)))))
    }

    func listSignalCandidates(_ input: Operations.ListSignalCandidates.Input) async throws -> Operations.ListSignalCandidates.Output {
        let id = try pathID(input.path.id, "signal")
        let candidates = try await store.signals.candidates(for: id, limit: 10)
        return .ok(.init(body: .json(.init(items: candidates.map {
            .init(school: .init($0.school), score: $0.score, features: $0.features.map(\.rawValue))
        }))))
    }

    /// The signal id, the school and the reason of a link or a rejection (both take `SignalSchoolLink`).
    func schoolJudgement(_ idText: String, _ body: Components.Schemas.SignalSchoolLink) throws -> (signal: UUID, school: UUID, reason: String) {
        let id = try pathID(idText, "signal")
        var rules = InputRules()
        let school = rules.uuid(body.schoolId, "schoolId")
        let reason = rules.freeText(body.reason, "reason", max: 4000, required: true)
        let (schoolId, note) = try rules.checked(school, reason)
        return (id, schoolId, note)
    }

    func linkSignalSchool(_ input: Operations.LinkSignalSchool.Input) async throws -> Operations.LinkSignalSchool.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send application/json.") }
        let j = try schoolJudgement(input.path.id, body)
        let linked = try await store.signals.link(j.signal, schoolId: j.school, note: j.reason, actor: try Principal.actor())
        return .ok(.init(body: .json(.init(linked.signal, version: linked.version))))
    }

    func rejectSignalCandidate(_ input: Operations.RejectSignalCandidate.Input) async throws -> Operations.RejectSignalCandidate.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send application/json.") }
        let j = try schoolJudgement(input.path.id, body)
        _ = try await store.signals.rejectCandidate(j.signal, schoolId: j.school, note: j.reason, actor: try Principal.actor())
        return .noContent(.init())
    }

    func relateSignal(_ input: Operations.RelateSignal.Input) async throws -> Operations.RelateSignal.Output {
        guard case .json(let body) = input.body else { throw Problem(.unsupportedMediaType, detail: "Send application/json.") }
        let id = try pathID(input.path.id, "signal")
        var rules = InputRules()
        let other = rules.uuid(body.relatedSignalId, "relatedSignalId")
        let reason = rules.freeText(body.reason, "reason", max: 4000, required: true)
        if other == id { rules.fail("relatedSignalId", "must name another signal") }
        let (related, note) = try rules.checked(other, reason)
        let relation = try await store.signals.relate(id, to: related, kind: body.kind.converted(), note: note, actor: try Principal.actor())
        return .created(.init(body: .json(.init(relation))))
    }
}

extension Components.Schemas.SignalForward {
    init(_ f: SignalForward) {
        self.init(id: f.id.text, signalId: f.signalId.text, to: f.target.converted(), note: f.note, at: f.at, by: f.by)
    }
}

extension Components.Schemas.SignalRelation {
    init(_ r: SignalRelation) {
        self.init(id: r.id.text, signalId: r.signalId.text, relatedSignalId: r.relatedSignalId.text, kind: r.kind.converted(),
                  note: r.note, at: r.at, by: r.by)
    }
}
