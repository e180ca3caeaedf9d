import Foundation
import Logging

/// Collects counts, errors and stage timings from every stage of a run.
actor RunLog {
    static let maxListedErrors = 10_000
    static let maxListedDuplicates = 10_000

    private(set) var counts = RunSummary.Counts()
    private(set) var errorsByKind: [String: Int] = [:]
    private(set) var errors: [RunSummary.ErrorEntry] = []
    private(set) var duplicates: [RunSummary.Duplicate] = []
    private(set) var busy: [String: Double] = [:]
    private let logger: Logger

    init(logger: Logger) { self.logger = logger }

    func update(_ change: @Sendable (inout RunSummary.Counts) -> Void) { change(&counts) }

    func error(_ error: ItemError, url: String?, recordID: String? = nil) {
        counts.errors += 1
        errorsByKind["\(error.stage.rawValue)/\(error.kind)", default: 0] += 1
        if errors.count < Self.maxListedErrors {
            errors.append(.init(url: url, recordID: recordID, stage: error.stage.rawValue, kind: error.kind, message: error.message))
        }
        logger.warning("\(error.message)", metadata: ["stage": "\(error.stage.rawValue)", "kind": "\(error.kind)"])
    }

    /// Something worth a log line that is not an error (a release answering 410).
    func notice(_ message: String) {
        logger.notice("\(message)")
    }

    func duplicate(_ d: RunSummary.Duplicate) {
        counts.duplicates += 1
        if d.exact { counts.exactDuplicates += 1 } else { counts.nearDuplicates += 1 }
        if duplicates.count < Self.maxListedDuplicates { duplicates.append(d) }
    }

    /// Records that were originals until an earlier-published copy arrived.
    func demote(_ records: [RunSummary.Duplicate], to original: String) {
        let previous = Set(records.map(\.id))
        for i in duplicates.indices where previous.contains(duplicates[i].duplicateOf) {
            duplicates[i].duplicateOf = original
        }
        let listed = Set(duplicates.map(\.id))
        for r in records where !listed.contains(r.id) { duplicate(r) }
    }

    func busy(_ stage: String, seconds: Double) { busy[stage, default: 0] += seconds }

    /// Sources whose listings were read to the end this run, and sources something of which
    /// failed in a way the next run must retry (a listing page, a release page).
    private(set) var walkedAll: Set<String> = []
    private(set) var unfinished: Set<String> = []
    func walked(_ source: String) { walkedAll.insert(source) }
    func unfinished(_ source: String) { unfinished.insert(source) }
}

/// Measures a block's duration for a stage's busy time.
func measure<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let value = try await body()
    let d = clock.now - start
    return (value, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
}
