import Foundation
import NIOCore
import TrawlConcurrency

/// Host names that resolve to private or loopback addresses are refused when the seeds are
/// public (a public page must not steer the crawler into the local network). Names are
/// resolved once per run; the client resolves again when it connects, so this guards
/// against links, not against a DNS server that changes its answer in between.
public actor AddressCheck {
    private var verdicts: [String: String?] = [:]

    public init() {}

    /// The private address `host` resolves to, or nil (public, a literal the policy already
    /// judged, or unresolvable: the request itself will then fail with a clear error).
    public func privateAddress(of host: String) async -> String? {
        let name = host.lowercased()
        if let known = verdicts[name] { return known }
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, name, &v4) == 1 || inet_pton(AF_INET6, name.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), &v6) == 1 {
            verdicts[name] = .some(nil)
            return nil
        }
        let address = await BlockingPool.run { () -> String? in
            (try? SocketAddress.makeAddressResolvingHost(name, port: 80))?.ipAddress
        }
        let verdict = address.flatMap { URLPolicy.isPrivate($0) ? $0 : nil }
        verdicts[name] = .some(verdict)
        return verdict
    }
}
