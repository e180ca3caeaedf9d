import Foundation
import TrawlLedger

/// The validators a server gave for a URL, sent back on the next run so that an unchanged
/// page costs a 304 and nothing else.
public struct Validators: Sendable, Codable, Equatable {
    public var etag: String?
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag; self.lastModified = lastModified
    }

    var isEmpty: Bool { etag == nil && lastModified == nil }
}

extension URLState {
    /// The validators to send back: only worth sending if what they vouch for (the
    /// remembered payload or record) is still at hand, otherwise a 304 would leave us empty.
    func validators(ifKept kept: Bool) -> Validators? {
        kept ? Validators(etag: etag, lastModified: lastModified) : nil
    }
}

/// A response whose body was read (into memory or to a file), or a 304.
struct FetchResponse: Sendable {
    var url: URL
    /// Where the body came from after redirects.
    var finalURL: URL
    var status: Int
    var validators: Validators
    var contentType: String?
    var charset: String?
    /// From `Content-Disposition`, decoded and cleaned; a display name only.
    var filename: String?
    var body: Data?
    var file: URL?
    var bytes = 0
    var attempts = 1

    var notModified: Bool { status == 304 }
}

/// A fetch that failed after its retries: the URL, the reason and, when the server answered,
/// its status (404/410 mean the release is gone; other statuses and network faults do not).
struct FetchFailure: Error, Sendable {
    var error: ItemError
    var status: Int?
    /// The server's `Retry-After`, when it answered 429 or 503 with one.
    var retryAfter: Duration?

    var isGone: Bool { status == 404 || status == 410 }
}

/// Where a response body goes, and how large it may be.
enum FetchDestination: Sendable {
    case memory(limit: Int)
    /// Streamed to this file as it arrives, never held whole in memory.
    case file(URL, limit: Int)
}

extension FetchDestination {
    var limit: Int {
        switch self {
        case .memory(let l): l
        case .file(_, let l): l
        }
    }
}
