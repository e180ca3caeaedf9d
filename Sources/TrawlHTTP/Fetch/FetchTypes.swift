import Foundation

/// The validators a server gave for a URL, sent back on the next run so that an unchanged
/// page costs a 304 and nothing else.
public struct Validators: Sendable, Codable, Equatable {
    public var etag: String?
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag; self.lastModified = lastModified
    }

    public var isEmpty: Bool { etag == nil && lastModified == nil }
}

/// A response whose body was read (into memory or to a file), or a 304.
public struct FetchResponse: Sendable {
    public var url: URL
    /// Where the body came from after redirects.
    public var finalURL: URL
    public var status: Int
    public var validators: Validators
    public var contentType: String?
    public var charset: String?
    /// From `Content-Disposition`, decoded but not cleaned: untrusted, never a path.
    public var filename: String?
    public var body: Data?
    public var file: URL?
    public var bytes = 0
    public var attempts = 1

    public var notModified: Bool { status == 304 }
}

/// A fetch that failed after its retries: the URL, the reason and, when the server answered,
/// its status (404/410 mean the release is gone; other statuses and network faults do not).
public struct FetchFailure: Error, Sendable {
    /// What went wrong, as a word (`timeout`, `status_503`, `refused`, `robots`…).
    public var kind: String
    /// The URL and the reason, for people.
    public var message: String
    public var status: Int?
    /// The server's `Retry-After`, when it answered 429 or 503 with one.
    public var retryAfter: Duration?

    public init(kind: String, message: String, status: Int? = nil, retryAfter: Duration? = nil) {
        self.kind = kind; self.message = message; self.status = status; self.retryAfter = retryAfter
    }

    public var isGone: Bool { status == 404 || status == 410 }

    /// The fetch was abandoned because the run is stopping; the item is left for the next run.
    public static let cancelled = "cancelled"
    /// A URL a WARC archive has no answer for.
    public static let notArchived = "not_archived"
}

/// Where a response body goes, and how large it may be.
public enum FetchDestination: Sendable {
    case memory(limit: Int)
    /// Streamed to this file as it arrives, never held whole in memory.
    case file(URL, limit: Int)
}

extension FetchDestination {
    public var limit: Int {
        switch self {
        case .memory(let l): l
        case .file(_, let l): l
        }
    }
}
