import Foundation
import Logging
import TrawlDedup
import TrawlHTML

/// Walks a mirrored archive from its listing pages (following pagination) and yields each
/// release page once per canonical URL.
struct DirectorySource: Sendable {
    let config: SourceConfig
    let limits: PipelineConfig.Limits
    let canonicalizer: URLCanonicalizer
    let logger: Logger

    var layout: MirrorLayout { MirrorLayout(root: config.root ?? URL(fileURLWithPath: "/nonexistent"), baseURL: config.baseURL) }

    struct Events: Sendable {
        /// A listing page was read.
        var listingPage: @Sendable (URL) async -> Void
        /// A listing page could not be read; the crawl goes on without it.
        var listingError: @Sendable (URL, ItemError) async -> Void
        /// A release link repeated an already-seen canonical URL.
        var repeatedRelease: @Sendable (URL) async -> Void
        /// A release page to process (awaits backpressure from the next stage).
        var release: @Sendable (URL, URL, Result<URL, ItemError>) async -> Void
    }

    func crawl(events: Events, seenReleases: inout Set<String>) async {
        let scraper = PageScraper(charsets: CharsetDetector(defaultEncoding: config.defaultEncoding ?? "windows-1252"))
        var queue = config.seeds
        var visitedListings = Set<String>()
        var listingCount = 0
        while !queue.isEmpty, !Task.isCancelled {
            let listingURL = queue.removeFirst()
            guard let canonical = canonicalizer.canonicalize(listingURL),
                  visitedListings.insert(canonical.absoluteString).inserted else { continue }
            guard listingCount < limits.maxListingPages else {
                logger.warning("listing page limit reached", metadata: ["source": "\(config.name)", "limit": "\(limits.maxListingPages)"])
                break
            }
            listingCount += 1
            let bytes: Data
            switch readPage(listingURL) {
            case .success(let data): bytes = data
            case .failure(let error): await events.listingError(listingURL, error); continue
            }
            await events.listingPage(listingURL)
            do {
                let releases = try scraper.links(bytes: bytes, url: listingURL, xpath: config.listing.releases)
                for link in releases {
                    guard let canonical = canonicalizer.canonicalize(link.url) else { continue }
                    guard seenReleases.insert(canonical.absoluteString).inserted else {
                        await events.repeatedRelease(link.url); continue
                    }
                    await events.release(link.url, canonical, fileFor(link.url))
                }
                if let next = config.listing.next {
                    queue += try scraper.links(bytes: bytes, url: listingURL, xpath: next).map(\.url)
                }
            } catch {
                await events.listingError(listingURL, ItemError(stage: .source, kind: "parse", message: "\(listingURL.absoluteString): \(error)"))
            }
        }
    }

    func fileFor(_ url: URL) -> Result<URL, ItemError> {
        switch layout.resolve(url) {
        case .file(let f): return .success(f)
        case .offSite:
            return .failure(ItemError(stage: .source, kind: "off_site", message: "\(url.absoluteString): not on the mirrored host \(config.baseURL.host ?? "")"))
        case .missing:
            return .failure(ItemError(stage: .source, kind: "missing", message: "\(url.absoluteString): no file in the mirror at \(layout.root.path)"))
        }
    }

    func readPage(_ url: URL) -> Result<Data, ItemError> {
        fileFor(url).flatMap { BoundedFileReader.read($0, limit: limits.maxPageBytes, name: url.absoluteString, stage: .page) }
    }
}

/// Reads a file whole only if it is within a size limit.
enum BoundedFileReader {
    static func read(_ file: URL, limit: Int, name: String, stage: ItemError.Stage) -> Result<Data, ItemError> {
        do {
            let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int ?? 0
            guard size <= limit else {
                return .failure(ItemError(stage: stage, kind: "too_large", message: "\(name): \(size) bytes exceeds the limit of \(limit)"))
            }
            return .success(try Data(contentsOf: file))
        } catch {
            return .failure(ItemError(stage: stage, kind: "read", message: "\(name): cannot read \(file.path) (\(error.localizedDescription))"))
        }
    }
}
