/// Who may hear of an event at all, before a subscription's own filter is applied.
///
/// A payload carries no more than its receiver may read (DESIGN.md, "Notifications"): a signal's
/// status goes only to the municipality that reported it, a corroboration only to organisations
/// that read every signal in full (the access-policy table: inspectors and analysts).
public enum WebhookAudience: Sendable, Hashable {
    /// Every organisation's subscriptions (facts any role may read, such as quality-mark decisions).
    case everyone
    /// Only the subscriptions of one organisation: a CBS code `GMnnnn` or a national body's slug.
    case organisation(String)
    /// Only the subscriptions of organisations holding an active (unrevoked, unexpired) token of one of these roles.
    case roles([Role])

    /// The organisation and role names to bind, `nil` where the audience does not narrow by them.
    public var columns: (organisation: String?, roles: [String]?) {
        switch self {
        case .everyone: (nil, nil)
        case .organisation(let id): (id, nil)
        case .roles(let roles): (nil, roles.map(\.rawValue))
        }
    }
}
