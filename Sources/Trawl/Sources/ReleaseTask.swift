import Foundation

/// A release page found by a source, numbered in discovery order so that the writer can keep
/// output deterministic however the workers interleave.
public struct ReleaseTask: Sendable {
    public var sequence: Int
    public var source: String
    public var url: URL
    public var canonicalURL: URL
    /// The page's file, or why there is none.
    public var file: Result<URL, ItemError>
}
