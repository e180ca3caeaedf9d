import Foundation

/// Rewrites URLs so that every address of one resource compares equal: scheme and host in
/// lower case, default ports and fragments dropped, tracking parameters removed, the query
/// sorted. Path case is kept (servers are case-sensitive).
public struct URLCanonicalizer: Sendable {
    /// Query parameters that identify a campaign or a session, never the resource, whatever
    /// the site: only names no site uses for its own records. Short, generic names (`sid`,
    /// `sessionid`, `page`) are left alone, since a board may key its releases by them; a
    /// source drops or keeps more with `url_parameters`.
    public static let defaultTrackingParameters: Set<String> = [
        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
        "gclid", "fbclid", "msclkid", "dclid", "yclid", "mc_cid", "mc_eid", "_ga", "_gl",
        "jsessionid", "phpsessid",
    ]

    /// The defaults, plus the parameters a source drops, less the ones it keeps.
    public init(dropping drop: [String], keeping keep: [String]) {
        self.init(trackingParameters: Self.defaultTrackingParameters.union(drop.map { $0.lowercased() })
            .subtracting(keep.map { $0.lowercased() }))
    }

    public var trackingParameters: Set<String>

    public init(trackingParameters: Set<String> = URLCanonicalizer.defaultTrackingParameters) {
        self.trackingParameters = Set(trackingParameters.map { $0.lowercased() })
    }

    /// The canonical form of `url`, or nil when it is not an absolute http(s)/file URL.
    public func canonicalize(_ url: URL) -> URL? {
        guard var parts = URLComponents(url: url, resolvingAgainstBaseURL: true),
              let scheme = parts.scheme?.lowercased() else { return nil }
        parts.scheme = scheme
        parts.host = parts.host?.lowercased()
        if (scheme == "http" && parts.port == 80) || (scheme == "https" && parts.port == 443) {
            parts.port = nil
        }
        parts.fragment = nil
        if parts.percentEncodedPath.isEmpty, parts.host != nil { parts.percentEncodedPath = "/" }
        // Matrix-style session ids (`;jsessionid=…`) ride on the path in Java servlets.
        if let semi = parts.percentEncodedPath.range(of: ";jsessionid=", options: .caseInsensitive) {
            parts.percentEncodedPath = String(parts.percentEncodedPath[..<semi.lowerBound])
        }
        if let items = parts.percentEncodedQueryItems {
            let kept = items
                .filter { !trackingParameters.contains($0.name.lowercased()) }
                .sorted { ($0.name, $0.value ?? "") < ($1.name, $1.value ?? "") }
            parts.percentEncodedQueryItems = kept.isEmpty ? nil : kept
        }
        return parts.url
    }

    public func canonicalize(_ string: String) -> URL? {
        URL(string: string).flatMap(canonicalize)
    }
}
