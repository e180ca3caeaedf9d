import Foundation

/// What an `http` source remembers between runs, how long it trusts it, and how it treats
/// releases that vanish.
public struct IncrementalSettings: Sendable, Equatable {
    /// Stop paging a date-sorted listing after this many consecutive releases that were
    /// already known and unchanged (nil: read every listing page). Never before a first
    /// harvest has completed, and not on a run that is due a full pass.
    public var stopAfterKnown: Int?
    /// With `stopAfterKnown`: every listing page is read again after this many runs or this
    /// many hours since the last full pass, whichever comes first, so that edits and
    /// deletions of older releases are seen.
    public var fullPassAfterRuns = 24
    public var fullPassAfterHours = 168.0
    /// A release answering 404 or 410 on this many consecutive runs, and for at least this
    /// many hours since the first of them, is deleted.
    public var deleteAfterRuns = 2
    public var deleteAfterHours = 24.0
    /// A run that would delete more than this share of a source's live releases (and more
    /// than `massDeletionFloor` of them) deletes none and reports it: an outage, not an
    /// archive that vanished.
    public var maxDeletedFraction = 0.5
    public static let massDeletionFloor = 3
    /// Validators (ETag, Last-Modified) and the same-bytes shortcut older than this are not
    /// trusted: the URL is fetched unconditionally and read again (nil: trusted for ever).
    /// A server that sends the same ETag for changed content is caught within this time.
    public var maxAgeHours: Double? = 168

    public init() {}
}
