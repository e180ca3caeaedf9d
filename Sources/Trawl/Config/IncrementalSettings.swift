/// What an `http` source remembers between runs and how it treats releases that vanish.
public struct IncrementalSettings: Sendable, Equatable {
    /// Stop paging a date-sorted listing after this many consecutive releases that were
    /// already known and unchanged (nil: read every listing page).
    public var stopAfterKnown: Int?
    /// A release answering 404 or 410 on this many consecutive runs is deleted.
    public var deleteAfterRuns = 2

    public init() {}
}
