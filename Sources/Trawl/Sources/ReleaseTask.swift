import Foundation

/// A release page found by a source, numbered in discovery order so that the writer can keep
/// output deterministic however the workers interleave.
public struct ReleaseTask: Sendable {
    public enum Origin: Sendable {
        /// A page of a mirror on disk (or why there is none).
        case file(Result<URL, ItemError>)
        /// A page of a live site, fetched by the page stage.
        case http
    }

    public var sequence: Int
    public var source: String
    public var url: URL
    public var canonicalURL: URL
    public var origin: Origin
    /// A release known from an earlier run that no listing showed this time.
    public var revisit = false
    /// The source waits to hear whether this release was known and unchanged.
    public var reportsBack = false

    public init(sequence: Int, source: String, url: URL, canonicalURL: URL, origin: Origin) {
        self.sequence = sequence; self.source = source; self.url = url
        self.canonicalURL = canonicalURL; self.origin = origin
    }
}
