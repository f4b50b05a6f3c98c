public import Crypto
public import Foundation

/// Signatures of webhook posts as the Standard Webhooks spec defines them (standardwebhooks.com,
/// "Signature scheme"): `v1,` and the standard base64 of HMAC-SHA256 over
/// `"{webhook-id}.{webhook-timestamp}.{body}"`, keyed with the secret's bytes.
public enum WebhookSignature {
    /// The key of a secret written as `whsec_` + base64 (``SubscriptionRepository/secretPrefix``);
    /// `nil` when the text is not of that shape.
    public static func key(fromSecret secret: String) -> SymmetricKey? {
        guard secret.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(secret.dropFirst(6))), !bytes.isEmpty else { return nil }
        return SymmetricKey(data: bytes)
    }

    /// The `webhook-signature` header value for one post.
    ///
    /// - Parameters:
    ///   - id: the `webhook-id` header (the CloudEvents `id`).
    ///   - timestamp: the `webhook-timestamp` header, Unix seconds.
    ///   - body: the exact bytes posted.
    /// - Returns: `v1,<base64>`.
    public static func sign(id: String, timestamp: Int64, body: Data, key: SymmetricKey) -> String {
        var message = Data("\(id).\(timestamp).".utf8)
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return "v1," + Data(mac).base64EncodedString()
    }
}
