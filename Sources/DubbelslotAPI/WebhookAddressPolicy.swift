#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
public import NIOCore
import NIOPosix

/// What kind of network an IP address belongs to, as far as posting a webhook to it is concerned.
///
/// Ranges from the IANA special-purpose address registries (RFC 6890 and its updates): RFC 1918
/// private, RFC 6598 shared address space (carrier-grade NAT), RFC 3927 / RFC 4291 link-local,
/// RFC 4193 unique-local, RFC 5771 / RFC 4291 multicast. IPv4 addresses carried inside IPv6
/// (`::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by the IPv4 address.
public enum WebhookAddressKind: String, Sendable, Hashable, CaseIterable {
    /// A globally routable address: webhooks may go there.
    case global
    /// `127.0.0.0/8`, `::1`.
    case loopback
    /// `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`, and the deprecated IPv6 site-local `fec0::/10`.
    case `private`
    /// `100.64.0.0/10`, shared address space (carrier-grade NAT).
    case sharedAddressSpace
    /// `169.254.0.0/16`, `fe80::/10`, except the metadata address.
    case linkLocal
    /// `169.254.169.254` and `fd00:ec2::254`: the cloud instance-metadata service, which hands out credentials.
    case metadata
    /// `224.0.0.0/4`, `ff00::/8`.
    case multicast
    /// `fc00::/7`.
    case uniqueLocal
    /// `0.0.0.0/8` ("this network"), `::`.
    case unspecified
    /// Other special-purpose IPv4 ranges that are not on the public internet: `192.0.0.0/24`
    /// (protocol assignments), `192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24` (documentation),
    /// `198.18.0.0/15` (benchmarking), `240.0.0.0/4` (reserved, with the broadcast address); IPv6
    /// `2001:db8::/32` (documentation) and `100::/64` (discard).
    case reserved

    /// The kind of `address`; a Unix-domain socket address counts as ``loopback`` (it never leaves the host).
    public init(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            self = Self.ipv4(withUnsafeBytes(of: v4.address.sin_addr) { Array($0) })
        case .v6(let v6):
            self = Self.ipv6(withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) })
        case .unixDomainSocket:
            self = .loopback
        }
    }

    /// `b`: the four bytes in network order.
    static func ipv4(_ b: [UInt8]) -> Self {
        switch (b[0], b[1], b[2], b[3]) {
        case (0, _, _, _): .unspecified
        case (127, _, _, _): .loopback
        case (10, _, _, _), (172, 16...31, _, _), (192, 168, _, _): .private
        case (100, 64...127, _, _): .sharedAddressSpace
        case (169, 254, 169, 254): .metadata
        case (169, 254, _, _): .linkLocal
        case (224...239, _, _, _): .multicast
        case (240...255, _, _, _), (192, 0, 0, _), (192, 0, 2, _), (198, 51, 100, _), (203, 0, 113, _), (198, 18...19, _, _): .reserved
        default: .global
        }
    }

    /// `b`: the sixteen bytes in network order.
    static func ipv6(_ b: [UInt8]) -> Self {
        let zeros = b[0..<15].allSatisfy { $0 == 0 }
        if zeros && b[15] == 0 { return .unspecified }
        if zeros && b[15] == 1 { return .loopback }
        // IPv4-mapped ::ffff:a.b.c.d and NAT64 64:ff9b::a.b.c.d reach the IPv4 address.
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff { return ipv4(Array(b[12..<16])) }
        if b[0..<12] == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return ipv4(Array(b[12..<16])) }
        // 6to4 2002:aabb:ccdd::/48 carries the IPv4 address aa.bb.cc.dd.
        if b[0] == 0x20 && b[1] == 0x02 { return ipv4(Array(b[2..<6])) }
        if b == [0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54] { return .metadata }
        if b[0] == 0xff { return .multicast }
        if b[0] & 0xfe == 0xfc { return .uniqueLocal }
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return .linkLocal }
        if b[0] == 0xfe && b[1] & 0xc0 == 0xc0 { return .private }
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return .reserved }
        if b[0] == 0x01 && b[1..<8].allSatisfy({ $0 == 0 }) { return .reserved }
        return .global
    }
}

/// Where webhooks may be posted: only to global addresses, checked on every address a host name
/// resolves to, so that a subscription cannot make the service reach into its own network (SSRF)
/// or the cloud metadata service. Loopback is allowed only when ``allowLoopback`` is set
/// (`webhooks.allowInsecureLocalhost`, for tests and local receivers).
public struct WebhookAddressPolicy: Sendable, Hashable {
    /// Whether loopback addresses (and plain `http://` to them) are allowed. Defaults to `false`.
    public var allowLoopback: Bool

    /// A policy that refuses every non-public address, and loopback too unless `allowLoopback`.
    public init(allowLoopback: Bool = false) {
        self.allowLoopback = allowLoopback
    }

    /// Whether a post may connect to `address`.
    public func allows(_ address: SocketAddress) -> Bool {
        switch WebhookAddressKind(address) {
        case .global: true
        case .loopback: allowLoopback
        default: false
        }
    }

    /// The kind of address that makes `host` unusable when `host` is an IP literal (with or without
    /// IPv6 brackets) that ``allows(_:)`` refuses; `nil` for an allowed literal or a host name (names
    /// are judged after resolution, by ``resolve(host:port:)``).
    public func refusal(ofLiteral host: String) -> WebhookAddressKind? {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard let address = try? SocketAddress(ipAddress: bare, port: 0) else { return nil }
        return allows(address) ? nil : WebhookAddressKind(address)
    }

    /// Resolves `host` (an IP literal is taken as it is) and checks every address it resolves to.
    ///
    /// Every address must be allowed, not just one: a name that also resolves to an internal
    /// address is refused, whatever order the resolver answers in.
    /// - Returns: the first address, to connect to (the caller pins the connection to it, so a
    ///   second lookup cannot answer differently).
    /// - Throws: ``WebhookAddressRefusal`` naming the host and the kind of the first refused address;
    ///   ``WebhookDeliveryError`` when the name does not resolve.
    public func resolve(host: String, port: Int) async throws -> SocketAddress {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let addresses: [SocketAddress]
        if let literal = try? SocketAddress(ipAddress: bare, port: port) {
            addresses = [literal]
        } else {
            // getaddrinfo blocks: run it on NIO's thread pool, not on the cooperative pool.
            addresses = try await NIOThreadPool.singleton.runIfActive { try Self.lookUp(bare, port: port) }
        }
        guard let first = addresses.first else { throw WebhookDeliveryError("cannot resolve \(host): no IPv4 or IPv6 address") }
        if let refused = addresses.first(where: { !allows($0) }) {
            throw WebhookAddressRefusal(host: host, kind: WebhookAddressKind(refused))
        }
        return first
    }

    /// Every IPv4 and IPv6 address `getaddrinfo` gives for `host`, in its order.
    static func lookUp(_ host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var info: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &info)
        guard rc == 0 else {
            throw WebhookDeliveryError("cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(info) }
        var result: [SocketAddress] = []
        var next = info
        while let entry = next {
            if let raw = entry.pointee.ai_addr {
                switch entry.pointee.ai_family {
                case AF_INET: result.append(SocketAddress(UnsafeRawPointer(raw).load(as: sockaddr_in.self), host: host))
                case AF_INET6: result.append(SocketAddress(UnsafeRawPointer(raw).load(as: sockaddr_in6.self), host: host))
                default: break
                }
            }
            next = entry.pointee.ai_next
        }
        return result
    }
}

/// A webhook's host is, or resolves to, an address ``WebhookAddressPolicy`` refuses.
public struct WebhookAddressRefusal: Error, CustomStringConvertible, Sendable {
    /// The host as the subscription's URL names it.
    public let host: String
    /// The kind of the refused address.
    public let kind: WebhookAddressKind

    /// The refusal as one line, naming the host and the kind of address.
    public var description: String {
        "refused: \(host) is or resolves to a \(kind.rawValue) address; webhooks go only to public addresses"
    }
}
