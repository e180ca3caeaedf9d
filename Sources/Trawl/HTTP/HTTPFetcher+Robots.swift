import Foundation
import TrawlLedger

/// robots.txt for the fetcher: read once per host and run, remembered in the ledger with its
/// validators so that an unchanged file costs a 304.
extension HTTPFetcher {
    func robotsAllow(_ url: URL) async -> Bool {
        let key = Self.hostKey(url)
        let rules = await robots.rules(for: key) {
            guard let robotsURL = URL(string: key + "/robots.txt") else { return .allowAll }
            var settings = self.settings
            settings.obeyRobots = false
            let fetcher = self
            let remembered: URLState? = (try? self.state?.ledger.urlState(robotsURL.absoluteString, kind: .robots)) ?? nil
            let validators = remembered?.validators(ifKept: remembered?.payload != nil)
            switch await fetcher.fetchRobots(robotsURL, validators: validators) {
            case .success(let r) where r.notModified:
                return RobotsTxt(text: String(decoding: remembered?.payload ?? Data(), as: UTF8.self), agent: settings.robotsAgent)
            case .success(let r):
                let body = r.body ?? Data()
                if let state = self.state {
                    try? state.ledger.saveURLState(URLState(url: robotsURL.absoluteString, kind: .robots, source: state.source,
                                                            etag: r.validators.etag, lastModified: r.validators.lastModified,
                                                            payload: body, lastRun: state.runID))
                }
                return RobotsTxt(text: String(decoding: body, as: UTF8.self), agent: settings.robotsAgent)
            case .failure(let f):
                // RFC 9309 §2.3.1: a missing file allows everything; an unreachable one
                // (5xx, network failure) disallows everything until it can be read.
                if let s = f.status, (400..<500).contains(s) { return .allowAll }
                self.logger.warning("robots.txt unreachable: not crawling the host", metadata: ["url": "\(robotsURL.absoluteString)", "reason": "\(f.error.message)"])
                return .disallowAll
            }
        }
        return rules.allows(url)
    }

    private func fetchRobots(_ url: URL, validators: Validators?) async -> Result<FetchResponse, FetchFailure> {
        var current = url
        for _ in 0...5 {
            switch await withRetries(url: url, current: current, validators: validators, destination: .memory(limit: 512 << 10)) {
            case .failure(let f): return .failure(f)
            case .success(.response(let r)): return .success(r)
            case .success(.redirect(let location, _)):
                guard let next = URL(string: location, relativeTo: current)?.absoluteURL else { return .success(FetchResponse(url: url, finalURL: url, status: 404, validators: .init())) }
                current = next
            }
        }
        return .failure(fail(url, "too_many_redirects", "\(url.absoluteString): too many redirects", status: 404))
    }
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
