import Foundation

/// robots.txt for the fetcher: read once per host and run, remembered in the ledger with its
/// validators so that an unchanged file costs a 304.
extension HTTPFetcher {
    func robotsAllow(_ url: URL) async -> Bool {
        let key = Self.hostKey(url)
        let rules = await robots.rules(for: key) {
            guard let robotsURL = URL(string: key + "/robots.txt") else { return .allowAll }
            let remembered = await self.memory?.robots(robotsURL.absoluteString)
            // The same path as every other fetch (policy, redirects, retries, loop detection),
            // without asking robots.txt about itself.
            switch await self.fetch(robotsURL, validators: remembered?.validators, to: .memory(limit: 512 << 10), checkRobots: false) {
            case .success(let r) where r.notModified:
                return RobotsTxt(data: remembered?.body ?? Data(), agent: self.settings.robotsAgent)
            case .success(let r):
                let body = r.body ?? Data()
                await self.memory?.remember(robots: robotsURL.absoluteString, body: body, validators: r.validators)
                return RobotsTxt(data: body, agent: self.settings.robotsAgent)
            case .failure(let f):
                // RFC 9309 §2.3.1: a missing file allows everything; an unreachable one
                // (5xx, network failure) disallows everything until it can be read.
                if let s = f.status, (400..<500).contains(s) { return .allowAll }
                if f.kind == Self.notArchived { return .allowAll }
                self.logger.warning("robots.txt unreachable: not crawling the host", metadata: ["url": "\(robotsURL.absoluteString)", "reason": "\(f.message)"])
                return .disallowAll
            }
        }
        return rules.allows(url)
    }
}

/// Where a fetcher keeps robots.txt files between runs (the harvest's ledger), so that an
/// unchanged file costs a 304.
public protocol RobotsMemory: Sendable {
    /// The body and validators remembered for this robots.txt URL, if any.
    func robots(_ url: String) async -> (body: Data, validators: Validators)?
    func remember(robots url: String, body: Data, validators: Validators) async
}

/// robots.txt per scheme+host+port, fetched once per run; concurrent askers share one fetch.
actor RobotsCache {
    private var entries: [String: Task<RobotsTxt, Never>] = [:]

    func rules(for key: String, fetch: @escaping @Sendable () async -> RobotsTxt) async -> RobotsTxt {
        if let task = entries[key] { return await task.value }
        let task = Task { await fetch() }
        entries[key] = task
        return await task.value
    }
}
