import Foundation
import TrawlDedup
import TrawlHTML
import TrawlHTTP

/// `pipeline.json`: where to read, how to extract, how wide each stage is, where to write.
public struct PipelineConfig: Sendable, Equatable {
    /// What happens to a record whose content repeats an earlier one (exactly or nearly).
    /// The ledger and the run summary record the relation whatever the policy.
    public enum DuplicatePolicy: String, Sendable, Codable, CaseIterable {
        /// Write the record with `duplicate_of` and `similarity` set.
        case mark
        /// Write the record as an ordinary one (`duplicate_of` stays null).
        case write
        /// Write no record for the duplicate.
        case skip
    }

    public struct Workers: Sendable, Equatable, Codable {
        /// Parallel page parsers (libxml2).
        public var pages: Int = 2
        /// Parallel attachment readers and PDF extractors (poppler).
        public var attachments: Int = 2
    }

    public struct Limits: Sendable, Equatable, Codable {
        public var maxPageBytes: Int = 10 << 20
        public var maxAttachmentBytes: Int = 100 << 20
        /// A guard against listing loops: at most this many listing pages per source.
        public var maxListingPages: Int = 10_000

        enum CodingKeys: String, CodingKey {
            case maxPageBytes = "max_page_bytes", maxAttachmentBytes = "max_attachment_bytes"
            case maxListingPages = "max_listing_pages"
        }
    }

    /// The output directory (relative paths are relative to the config file).
    public var output: URL
    public var workers = Workers()
    public var limits = Limits()
    public var duplicates: DuplicatePolicy = .mark
    /// How attachments of every format are extracted: the worker pool, its caps, and the
    /// format-specific limits (`extraction`, `pdf`, `documents`, `ocr`).
    public var extraction = ExtractionSettings()
    public var sources: [SourceConfig]
    /// Where the change feed is published after each run (`trawl publish` does it alone).
    /// Without a `sinks` key: the embedded search index; `[]` publishes nowhere.
    public var sinks: [SinkConfig] = [SinkConfig(name: "index", kind: .index)]
    /// Keys that still work but are deprecated, each naming its replacement (`run` logs them,
    /// `validate` prints them).
    public var warnings: [ConfigError] = []
}

/// One destination of the change feed.
public struct SinkConfig: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The output directory's full-text index (`search.sqlite`).
        case index
        /// A table in a PostgreSQL database, with a full-text index.
        case postgres
        /// An Elasticsearch or OpenSearch index (`_bulk`).
        case elasticsearch, opensearch
        /// A Meilisearch index (documents API).
        case meilisearch

        /// Sinks reached over HTTP, with an index name and credentials.
        public var isSearchEngine: Bool { self == .elasticsearch || self == .opensearch || self == .meilisearch }
    }

    public var name: String
    public var kind: Kind
    /// `postgres://…` (postgres sinks).
    public var url: String?
    /// The table of records (postgres sinks; default `trawl_documents`).
    public var table: String?
    /// Feed lines per batch (default 500).
    public var batchSize: Int?
    /// The engine's index (search-engine sinks; default `trawl`).
    public var index: String?
    /// Names of environment variables holding an API key, or a user's password (never the
    /// secrets themselves in the config).
    public var apiKeyEnv: String?
    public var username: String?
    public var passwordEnv: String?
    /// The largest request body sent to a search engine, in MiB (default 5; 20 for Meilisearch).
    public var maxRequestMB: Int?
    /// The full-text index of a postgres sink's table: `gin` (default) or `rum` (the RUM
    /// extension: ranked queries read the index alone, writes are several times slower).
    public var textIndex: String?

    public init(name: String, kind: Kind, url: String? = nil, table: String? = nil, batchSize: Int? = nil) {
        self.name = name; self.kind = kind; self.url = url; self.table = table; self.batchSize = batchSize
    }
}

/// One release archive.
public struct SourceConfig: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// A mirror on disk (`wget --mirror`, or an unpacked archive).
        case directory
        /// The live site, crawled over HTTP(S) with incremental state.
        case http
        /// A web archive (WARC files) of the site, crawled like the live site: the same
        /// listing, release and attachment steps, answered from the archived responses.
        case warc

        /// Sources whose pages come as HTTP responses (live or archived).
        public var fetches: Bool { self != .directory }
    }

    public struct Listing: Sendable, Equatable, Codable {
        /// Selects the links from a listing page to its release pages.
        public var releases: String
        /// Selects the link to the next listing page, if the listing is paginated.
        public var next: String?
        /// Instead of (or besides) `next`: listing page N's URL, with `{page}` for N (from 1
        /// to `max_pages`); paging stops at the first page that lists no new release.
        public var pageTemplate: String?
        /// Release links are followed only if their URL matches (a regular expression).
        public var releasePattern: String?
        /// The most listing pages read for this source (default: `limits.max_listing_pages`).
        public var maxPages: Int?
    }

    public var name: String
    public var kind: Kind
    /// The mirror's folder for `base_url`'s host, as `wget --mirror` leaves it (directory
    /// sources only).
    public var root: URL?
    public var baseURL: URL
    /// Listing pages to start from, relative to `base_url`.
    public var seeds: [URL]
    public var listing: Listing
    public var release: ExtractionRules
    /// The encoding of pages that declare none and are not valid UTF-8.
    public var defaultEncoding: String?
    /// Records (and their PDFs) at or above this estimated Jaccard similarity of their
    /// shingles to an earlier one are its near-duplicates.
    public var nearDuplicateThreshold: Double = 0.8
    /// Attachment links are followed only if their URL matches (a regular expression).
    public var attachmentPattern: String?
    public var http = HTTPSettings()
    public var incremental = IncrementalSettings()
    /// Query parameters that do not identify a release on this site (a listing's
    /// `pageIndex` carried on its links) and ones the defaults would drop but the site keys
    /// its releases by (`url_parameters.drop` / `keep`).
    public var dropParameters: [String] = []
    /// A `release.title` rule that matches nothing makes the page an error (the page is not
    /// the release it used to be: a sign-in or error page, a redesign) unless the source asks
    /// for the page's own title instead (`release.title_fallback`).
    public var titleFallback = false
    public var keepParameters: [String] = []

    /// How this source's URLs are made comparable.
    public var canonicalizer: URLCanonicalizer { URLCanonicalizer(dropping: dropParameters, keeping: keepParameters) }
    /// `warc` sources: the WARC files (or folders of them) holding the archive.
    public var warcFiles: [URL] = []
}
