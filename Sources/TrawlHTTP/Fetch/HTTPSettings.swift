import Foundation

/// How an `http` source talks to its site: who it says it is, how hard it may push, how long
/// it waits, and which hosts it may touch.
public struct HTTPSettings: Sendable, Equatable {
    /// Hosts the crawl may fetch from (the seeds' hosts are always allowed). A leading `*.`
    /// allows subdomains.
    public var allowedHosts: [String] = []
    public var userAgent = "Trawl/0.4 (+https://trawl.invalid/bot)"
    /// The robots.txt product token matched against `User-agent:` lines.
    public var robotsAgent = "Trawl"
    public var obeyRobots = true
    /// Requests in flight per host, and the pause between two request starts on one host.
    public var concurrencyPerHost = 2
    public var delay: Duration = .milliseconds(250)
    /// Attempts after the first on timeouts, connection failures, 429 and 5xx.
    public var retries = 3
    public var backoffBase: Duration = .milliseconds(500)
    /// The longest `Retry-After` honoured; a longer one fails the item (it is retried next run).
    public var maxRetryAfter: Duration = .seconds(120)
    public var connectTimeout: Duration = .seconds(10)
    public var readTimeout: Duration = .seconds(30)
    /// Per request, from the first byte sent to the last byte of the body.
    public var totalTimeout: Duration = .seconds(120)
    public var maxRedirects = 5
    /// A compressed body may not expand beyond this many times its size.
    public var maxDecompressionRatio = 100
    /// Archive every request and response (robots.txt included) as WARC/1.1 in `warc/`.
    public var warc = false
    /// A WARC file is finished and a new one started past this size (compressed).
    public var warcMaxFileBytes = 1 << 30

    public init() {}
}
