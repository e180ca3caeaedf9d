import Foundation

/// Decides which URLs a crawl may fetch: http(s) only, on an allowed host, and never a
/// private or loopback address unless the seeds themselves are on one (a test site, an
/// intranet archive). A page on a public site cannot steer the crawler into the local network.
public struct URLPolicy: Sendable {
    public let allowedHosts: [String]
    public let allowPrivate: Bool

    public init(seeds: [URL], allowedHosts: [String]) {
        let seedHosts = seeds.compactMap { $0.host?.lowercased() }
        self.allowedHosts = Array(Set(seedHosts + allowedHosts.map { $0.lowercased() })).sorted()
        self.allowPrivate = seedHosts.contains(where: Self.isPrivate)
    }

    /// Why `url` may not be fetched, or nil if it may.
    public func refusal(_ url: URL) -> String? {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return "scheme '\(url.scheme ?? "")' is not http(s)"
        }
        guard let host = url.host?.lowercased(), !host.isEmpty else { return "no host" }
        if !allowPrivate, Self.isPrivate(host) { return "\(host) is a private or loopback address" }
        let allowed = allowedHosts.contains { pattern in
            if pattern.hasPrefix("*.") { return host.hasSuffix(pattern.dropFirst(1)) || host == pattern.dropFirst(2) }
            return host == pattern
        }
        return allowed ? nil : "host \(host) is not in the allowed hosts (\(allowedHosts.joined(separator: ", ")))"
    }

    /// Loopback, private, link-local and unspecified addresses, written as a literal or as
    /// `localhost`. (Names that resolve to such addresses are not looked up here.)
    public static func isPrivate(_ rawHost: String) -> Bool {
        let host = rawHost.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if host == "localhost" || host.hasSuffix(".localhost") { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            let a = UInt32(bigEndian: v4.s_addr)
            let (b0, b1) = (a >> 24, (a >> 16) & 0xFF)
            return b0 == 127 || b0 == 10 || b0 == 0 || (b0 == 172 && (16...31).contains(b1))
                || (b0 == 192 && b1 == 168) || (b0 == 169 && b1 == 254) || (b0 == 100 && (64...127).contains(b1))
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            if bytes.dropLast().allSatisfy({ $0 == 0 }) { return true }          // :: and ::1
            if bytes[0] & 0xFE == 0xFC { return true }                          // fc00::/7
            if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return true }       // fe80::/10
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
                return isPrivate("\(bytes[12]).\(bytes[13]).\(bytes[14]).\(bytes[15])")  // IPv4-mapped
            }
        }
        return false
    }
}
