/// What a listing page's releases turned out to be: known and unchanged or not. In one
/// process the page stage reports to `ListingProgress`; in a shared harvest the verdicts are
/// read from the work queue.
protocol ListingVerdicts: Sendable {
    func report(_ sequence: Int, unchanged: Bool) async
    /// Waits until every one of `sequences` has a verdict; returns them in order.
    func wait(for sequences: [Int]) async -> [Bool]
}

/// Tells an `http` source, before it reads the next listing page, which releases of the
/// current page turned out to be known and unchanged, so that a date-sorted listing can stop
/// paging after K of them in a row. Only tasks that ask for it report, and each result is
/// taken once, so the table holds at most one listing page's releases.
actor ListingProgress: ListingVerdicts {
    private var results: [Int: Bool] = [:]
    private var waiter: (sequences: [Int], continuation: CheckedContinuation<[Bool], Never>)?

    func report(_ sequence: Int, unchanged: Bool) {
        results[sequence] = unchanged
        if let w = waiter, w.sequences.allSatisfy({ results[$0] != nil }) {
            waiter = nil
            w.continuation.resume(returning: take(w.sequences))
        }
    }

    /// Waits until every one of `sequences` has reported; returns their flags in order.
    func wait(for sequences: [Int]) async -> [Bool] {
        if sequences.allSatisfy({ results[$0] != nil }) { return take(sequences) }
        return await withCheckedContinuation { waiter = (sequences, $0) }
    }

    private func take(_ sequences: [Int]) -> [Bool] {
        sequences.map { results.removeValue(forKey: $0) ?? false }
    }
}
