/// How an inspector linked two signals (docs/decisions/0008-signal-lifecycle-and-intake.md).
public enum SignalRelationKind: String, CaseIterable, Hashable, Sendable, Codable {
    /// The same facts from the same reporter: the signal is left out of the evidence, and the one it
    /// repeats keeps its status (a duplicate of a closed signal does not reopen it).
    /// Rule: both signals come from the same municipality.
    case duplicate
    /// An independent report of the same thing: the same school and category, another reporting
    /// municipality. The risk model counts the distinct municipalities of a linked group.
    case corroborating
}
