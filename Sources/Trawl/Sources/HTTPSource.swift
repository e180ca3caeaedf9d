import Foundation
import Logging
import TrawlDedup
import TrawlHTML
import TrawlHTTP
import TrawlLedger

/// Crawls a live site's listing pages (seeds, `next` links or a page-number template) and
/// yields its release pages. Listing pages are fetched conditionally and their links
/// remembered, so an unchanged listing costs a 304. After the listings, releases known from
/// earlier runs that no listing showed are revisited: that is how a deleted release is seen.
struct HTTPSource: Sendable {
    let config: SourceConfig
    let limits: PipelineConfig.Limits
    let canonicalizer: URLCanonicalizer
    let fetcher: HTTPFetcher
    let ledger: any LedgerStore
    let runID: String
    let progress: any ListingVerdicts
    let logger: Logger

    struct Events: Sendable {
        var listingPage: @Sendable (URL, _ notModified: Bool) async -> Void
        var listingError: @Sendable (URL, ItemError) async -> Void
        var repeatedRelease: @Sendable (URL) async -> Void
        /// A release to process; returns its sequence number. `revisit`: known, not listed.
        var release: @Sendable (_ url: URL, _ canonical: URL, _ revisit: Bool, _ reportsBack: Bool) async -> Int
    }

    /// A listing page's links, kept in the ledger for replay on a 304.
    struct ListingLinks: Codable {
        var releases: [PageLink]
        var next: [PageLink]
    }

    /// Walks the listings and the known releases they no longer show; returns whether every
    /// listing page was read (no early stop, no failed page, no limit reached, not stopped).
    func crawl(events: Events, seenReleases: inout Set<String>) async -> Bool {
        let scraper = PageScraper(charsets: CharsetDetector(defaultEncoding: config.defaultEncoding ?? "windows-1252"))
        let releaseFilter = config.listing.releasePattern.flatMap { try? NSRegularExpression(pattern: $0) }
        let maxPages = config.listing.maxPages ?? limits.maxListingPages
        var queue = config.seeds
        var templatePage = 1
        if let template = config.listing.pageTemplate, let first = pageURL(template, 1) { queue.append(first) }
        var visited = Set<String>()
        var listed = Set<String>()
        var listingCount = 0
        var knownStreak = 0
        var stoppedEarly = false
        var incomplete = false
        // Stopping at known releases is safe only on top of a finished first harvest and
        // between full passes.
        let stopAfterKnown = await SourceProgress.load(config.name, ledger: ledger).mayStopEarly(config.incremental, runID: runID)
            ? config.incremental.stopAfterKnown : nil
        if config.incremental.stopAfterKnown != nil, stopAfterKnown == nil {
            logger.info("reading every listing page: a first harvest to finish, or a full pass due", metadata: ["source": "\(config.name)"])
        }

        crawl: while !queue.isEmpty, !Task.isCancelled {
            let listingURL = queue.removeFirst()
            guard let canonical = canonicalizer.canonicalize(listingURL),
                  visited.insert(canonical.absoluteString).inserted else { continue }
            guard listingCount < maxPages else {
                logger.info("listing page limit reached", metadata: ["source": "\(config.name)", "limit": "\(maxPages)"])
                incomplete = true
                break
            }
            listingCount += 1
            guard let links = await readListing(listingURL, key: canonical.absoluteString, scraper: scraper, events: events) else {
                incomplete = true
                continue
            }

            var sequences: [Int] = []
            var newOnPage = 0
            for link in links.releases {
                guard let release = canonicalizer.canonicalize(link.url) else { continue }
                let text = release.absoluteString
                if let releaseFilter, releaseFilter.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil { continue }
                if let refusal = fetcher.policy.refusal(link.url) {
                    await events.listingError(listingURL, ItemError(stage: .source, kind: "refused", message: "\(link.url.absoluteString): \(refusal)"))
                    continue
                }
                listed.insert(text)
                guard seenReleases.insert(text).inserted else { await events.repeatedRelease(link.url); continue }
                newOnPage += 1
                sequences.append(await events.release(link.url, release, false, stopAfterKnown != nil))
            }
            if let k = stopAfterKnown, !sequences.isEmpty {
                // Date-sorted listings put new releases first: a run of known, unchanged ones
                // means the rest of the archive is as it was.
                for unchanged in await progress.wait(for: sequences) {
                    knownStreak = unchanged ? knownStreak + 1 : 0
                }
                if knownStreak >= k {
                    logger.info("stopping: releases already known and unchanged", metadata: ["source": "\(config.name)", "streak": "\(knownStreak)"])
                    stoppedEarly = true
                    break crawl
                }
            }
            queue += links.next.map(\.url).filter { fetcher.policy.refusal($0) == nil }
            if let template = config.listing.pageTemplate, newOnPage > 0 {
                templatePage += 1
                if let next = pageURL(template, templatePage) { queue.append(next) }
            }
        }
        guard !Task.isCancelled else { return false }
        // Releases the listings no longer show: fetched again (conditionally) so that a 404/410
        // is counted towards deletion and a page still answering 200 is kept. After an early
        // stop only those counting towards deletion or waiting for a retry are checked. Releases
        // deleted in the last 30 days are asked for too: a bad night that took them must not
        // keep them away once the site is back, beyond `max_pages` included.
        do {
            var sweep = try await ledger.releaseURLs(source: config.name, goneOnly: stoppedEarly)
            if let now = Pipeline.runDate(runID) {
                sweep += try await ledger.deletedReleaseURLs(source: config.name, since: Pipeline.runIDPrefix(now.addingTimeInterval(-Self.revisitDeleted)))
            }
            for url in sweep where !listed.contains(url) {
                guard !Task.isCancelled, let u = URL(string: url), seenReleases.insert(url).inserted else { continue }
                _ = await events.release(u, u, true, false)
            }
        } catch {
            await events.listingError(config.baseURL, ItemError(stage: .source, kind: "ledger", message: "\(config.name): cannot list known releases (\(error))"))
        }
        return !stoppedEarly && !incomplete && !Task.isCancelled
    }

    /// How long a deleted release is still asked for (30 days).
    static let revisitDeleted: TimeInterval = 30 * 86_400

    private func pageURL(_ template: String, _ n: Int) -> URL? {
        URL(string: template.replacingOccurrences(of: "{page}", with: String(n)), relativeTo: config.baseURL)?.absoluteURL
    }

    /// Fetches a listing page (conditionally) and returns its release and next links.
    private func readListing(_ url: URL, key: String, scraper: PageScraper, events: Events) async -> ListingLinks? {
        let state = try? await ledger.urlState(key, kind: .listing)
        let remembered = state?.payload.flatMap { try? JSONDecoder().decode(ListingLinks.self, from: $0) }
        // A listing's validators past their age are not sent: a server that keeps its ETag
        // while the listing changes would otherwise hide new releases for ever.
        let expired = state.map { Pipeline.isOlder($0.lastRun, than: config.incremental.maxAgeHours, at: runID) } ?? false
        let validators = state?.validators(ifKept: remembered != nil && !expired)
        switch await fetcher.fetch(url, validators: validators, to: .memory(limit: limits.maxPageBytes)) {
        case .failure(let f):
            await events.listingError(url, f.error)
            return nil
        case .success(let response) where response.notModified:
            await events.listingPage(url, true)
            return remembered
        case .success(let response):
            await events.listingPage(url, false)
            let bytes = response.body ?? Data()
            do {
                let base = response.finalURL
                let releases = try scraper.links(bytes: bytes, url: base, transportCharset: response.charset, xpath: config.listing.releases)
                let next = try config.listing.next.map { try scraper.links(bytes: bytes, url: base, transportCharset: response.charset, xpath: $0) } ?? []
                let links = ListingLinks(releases: releases, next: next)
                if !response.validators.isEmpty {
                    try? await ledger.saveURLState(URLState(url: key, kind: .listing, source: config.name,
                                                      etag: response.validators.etag, lastModified: response.validators.lastModified,
                                                      payload: try? JSONEncoder().encode(links), lastRun: runID))
                }
                return links
            } catch {
                await events.listingError(url, ItemError(stage: .source, kind: "parse", message: "\(url.absoluteString): \(error)"))
                return nil
            }
        }
    }
}
