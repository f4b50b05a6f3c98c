import DubbelslotAPI
import DubbelslotCore
import DubbelslotOpenAPI
import Foundation
import HTTPTypes
import Testing
import Yams

extension APITests {
    /// `openapi.yaml` against the code: the policy table, the matrix's requests, and the enums.
    @Suite struct ContractTests {
        struct Operation {
            let method: String
            let path: String
            let roles: Set<String>?
            /// `x-scopes`: role → scope for the roles that see less than everything.
            let scopes: [String: String]
            let isPublic: Bool
        }

        /// Every operation of `openapi.yaml` by operationId.
        static func operations() throws -> [String: Operation] {
            let document = try #require(try Yams.load(yaml: try APITestSupport.contractText()) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: Any])
            var result: [String: Operation] = [:]
            for (path, item) in paths {
                let methods = try #require(item as? [String: Any], "\(path)")
                for (method, value) in methods where ["get", "post", "put", "patch", "delete"].contains(method) {
                    let operation = try #require(value as? [String: Any], "\(method) \(path)")
                    let id = try #require(operation["operationId"] as? String, "\(method) \(path) has no operationId")
                    #expect(result[id] == nil, "operationId \(id) is used twice")
                    let security = operation["security"] as? [Any]
                    result[id] = Operation(method: method.uppercased(), path: path, roles: (operation["x-roles"] as? [String]).map(Set.init),
                                           scopes: operation["x-scopes"] as? [String: String] ?? [:],
                                           isPublic: security?.isEmpty == true)
                }
            }
            return result
        }

        /// A description cut at ": " by YAML becomes a key with a null value in the served document.
        @Test func theContractHasNoKeyWithoutAValue() throws {
            let document = try Yams.load(yaml: try APITestSupport.contractText())
            var empty: [String] = []
            func walk(_ value: Any?, _ path: String) {
                if let object = value as? [String: Any?] {
                    for (key, inner) in object {
                        if inner == nil || inner is NSNull { empty.append("\(path)/\(key)") }
                        walk(inner ?? nil, "\(path)/\(key)")
                    }
                } else if let array = value as? [Any?] {
                    for (i, inner) in array.enumerated() { walk(inner ?? nil, "\(path)[\(i)]") }
                }
            }
            walk(document, "")
            #expect(empty == [])
        }

        @Test func everyOperationHasAPolicyAndItsRolesAgree() throws {
            let operations = try Self.operations()
            #expect(Set(operations.keys) == Set(AccessPolicy.table.keys))
            for (id, operation) in operations.sorted(by: { $0.key < $1.key }) {
                switch AccessPolicy.table[id] {
                case nil:
                    Issue.record("\(id) has no entry in AccessPolicy.table")
                case .everyone?:
                    #expect(operation.isPublic, "\(id) is public in the policy but not `security: []` in the contract")
                    #expect(operation.roles == nil, "\(id) is public but lists x-roles")
                case .grants(let grants)?:
                    #expect(!operation.isPublic, "\(id) needs a role but is `security: []` in the contract")
                    let roles = grants.keys.map(\.rawValue)
                    #expect(operation.roles == Set(roles), "\(id): x-roles \(operation.roles ?? []) ≠ policy \(roles.sorted())")
                    let narrowed = Dictionary(uniqueKeysWithValues: grants.filter { $0.value != .all }.map { ($0.key.rawValue, $0.value.rawValue) })
                    #expect(operation.scopes == narrowed, "\(id): x-scopes \(operation.scopes) ≠ policy \(narrowed)")
                }
            }
        }

        @Test func theMatrixCallsEachOperationWhereTheContractPutsIt() throws {
            let operations = try Self.operations()
            for (id, request) in OperationRequests.all {
                let operation = try #require(operations[id], "\(id) is not in openapi.yaml")
                let path = String(request.contractPath.split(separator: "?", maxSplits: 1)[0])
                #expect(operation.path == path, "\(id)")
                #expect(operation.method == request.method.rawValue, "\(id)")
            }
        }

        /// Each contract enum has exactly the raw values of its DubbelslotCore twin, so the API's
        /// `converted()` (a precondition) can never fail.
        @Test func contractEnumsMatchCoreEnums() {
            func same<C: CaseIterable & RawRepresentable, D: CaseIterable & RawRepresentable>(_ contract: C.Type, _ core: D.Type,
                                                                                                sourceLocation: SourceLocation = #_sourceLocation)
                where C.RawValue == String, D.RawValue == String {
                #expect(C.allCases.map(\.rawValue) == D.allCases.map(\.rawValue), "\(C.self) ≠ \(D.self)", sourceLocation: sourceLocation)
            }
            same(Components.Schemas.Route.self, Route.self)
            same(Components.Schemas.QualityMarkStatus.self, QualityMarkStatus.self)
            same(Components.Schemas.VisitKind.self, VisitKind.self)
            same(Components.Schemas.VisitOutcome.self, VisitOutcome.self)
            same(Components.Schemas.FindingSeverity.self, FindingSeverity.self)
            same(Components.Schemas.SignalStatus.self, SignalStatus.self)
            same(Components.Schemas.SignalCategory.self, SignalCategory.self)
            same(Components.Schemas.SignalSeverity.self, SignalSeverity.self)
            same(Components.Schemas.SignalSource.self, SignalSource.self)
            same(Components.Schemas.Role.self, Role.self)

            // Core's assessment enums are not CaseIterable: every contract case must exist in Core, and
            // every Core case (listed by an exhaustive switch) in the contract.
            func covers<C: CaseIterable & RawRepresentable, D: RawRepresentable>(_ contract: C.Type, _ coreCases: [D],
                                                                                sourceLocation: SourceLocation = #_sourceLocation)
                where C.RawValue == String, D.RawValue == String {
                #expect(Set(C.allCases.map(\.rawValue)) == Set(coreCases.map(\.rawValue)), "\(C.self) ≠ \(D.self)", sourceLocation: sourceLocation)
                for c in C.allCases { #expect(D(rawValue: c.rawValue) != nil, "\(D.self) lacks \(c.rawValue)", sourceLocation: sourceLocation) }
            }
            covers(Components.Schemas.LockState.self, [LockState.open, .attention, .closed, .notApplicable].filter(Self.listed))
            covers(Components.Schemas.Verdict.self, [Verdict.clear, .caution, .blocked].filter(Self.listed))
            covers(Components.Schemas.RiskBand.self, [RiskBand.low, .elevated, .high, .critical, .insufficientData].filter(Self.listed))
            covers(Components.Schemas.ContributionKind.self, [ContributionKind.signal, .corroboration, .visit, .qualityMarkHistory, .openSignals].filter(Self.listed))
        }

        /// The problem table under `Problem` in the contract lists exactly the kinds the server can send,
        /// each with the status it is sent with: no promised kind that no code gives, no kind sent unlisted.
        @Test func theProblemTableListsEveryKindWithItsStatus() throws {
            let document = try #require(try Yams.load(yaml: try APITestSupport.contractText()) as? [String: Any])
            let components = try #require(document["components"] as? [String: Any])
            let schemas = try #require(components["schemas"] as? [String: Any])
            let problem = try #require(schemas["Problem"] as? [String: Any])
            let description = try #require(problem["description"] as? String)
            var listed: [String: Int] = [:]
            for line in description.split(separator: "\n") where line.hasPrefix("| `tag:") {
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                let type = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
                #expect(listed[type] == nil, "\(type) is listed twice")
                listed[type] = Int(cells[1])
            }
            let kinds = Dictionary(uniqueKeysWithValues: Problem.Kind.allCases.map { kind in
                let problem = Problem(kind, detail: "")
                return (problem.type, problem.status)
            })
            #expect(listed == kinds)
        }

        // Exhaustive switches: a new Core case breaks the build here, the reminder to add it to the lists above.
        static func listed(_ x: LockState) -> Bool { switch x { case .open, .attention, .closed, .notApplicable: true } }
        static func listed(_ x: Verdict) -> Bool { switch x { case .clear, .caution, .blocked: true } }
        static func listed(_ x: RiskBand) -> Bool { switch x { case .low, .elevated, .high, .critical, .insufficientData: true } }
        static func listed(_ x: ContributionKind) -> Bool { switch x { case .signal, .corroboration, .visit, .qualityMarkHistory, .openSignals: true } }
    }
}
