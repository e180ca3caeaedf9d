import Foundation

/// What one run did: written to `runs/<run-id>.json` and printed by the CLI.
public struct RunSummary: Sendable, Codable {
    public struct Counts: Sendable, Codable, Equatable {
        public var listingPages = 0
        public var releasePages = 0
        public var records = 0
        /// Records already in the ledger from an earlier run, and records seen for the first time.
        public var knownRecords = 0
        public var newRecords = 0
        /// Records repeating an earlier record (marked, written or skipped by policy):
        /// exact copies of its title and text, and near-duplicates.
        public var duplicates = 0
        public var exactDuplicates = 0
        public var nearDuplicates = 0
        /// Release links that repeated an already-seen canonical URL.
        public var repeatedURLs = 0
        public var attachmentLinks = 0
        /// Distinct attachment URLs (canonical) looked up once each: read and extracted, or
        /// found missing; `attachmentsReused` counts the further links to them.
        public var attachmentsExtracted = 0
        public var attachmentsReused = 0
        /// Attachments whose bytes were already extracted under another URL (not extracted again).
        public var attachmentsIdentical = 0
        public var attachmentErrors = 0
        /// Pages (and image frames) of this run's attachment links whose text came from OCR, and
        /// pages that needed OCR and did not get it (a budget, a timeout…; each attachment
        /// says which and why).
        public var ocrPages = 0
        public var ocrSkippedPages = 0
        /// Attachment links whose file repeats another (same bytes elsewhere, or a near-duplicate PDF).
        public var attachmentDuplicates = 0
        public var errors = 0
        /// What the change feed says: records created, updated or deleted by this run, and
        /// releases whose record stayed as it was (unchanged page, or identical record).
        public var created = 0
        public var updated = 0
        public var unchanged = 0
        public var deleted = 0
        /// Releases answering 404/410 that have not yet been gone for enough runs to delete.
        public var gonePending = 0
        /// Requests answered 304 Not Modified (listings and releases).
        public var notModified = 0

        enum CodingKeys: String, CodingKey {
            case listingPages = "listing_pages", releasePages = "release_pages", records, duplicates
            case knownRecords = "known_records", newRecords = "new_records"
            case exactDuplicates = "exact_duplicates", nearDuplicates = "near_duplicates"
            case attachmentDuplicates = "attachment_duplicates"
            case repeatedURLs = "repeated_urls", attachmentLinks = "attachment_links"
            case attachmentsExtracted = "attachments_extracted", attachmentsReused = "attachments_reused"
            case attachmentsIdentical = "attachments_identical"
            case attachmentErrors = "attachment_errors", errors
            case ocrPages = "ocr_pages", ocrSkippedPages = "ocr_skipped_pages"
            case created, updated, unchanged, deleted, gonePending = "gone_pending", notModified = "not_modified"
        }
    }

    /// One failed item: where (URL and file), which stage, what kind, why.
    public struct ErrorEntry: Sendable, Codable, Equatable {
        public var url: String?
        public var recordID: String?
        public var stage: String
        public var kind: String
        public var message: String

        enum CodingKeys: String, CodingKey { case url, recordID = "record_id", stage, kind, message }
    }

    public struct Duplicate: Sendable, Codable, Equatable {
        public var url: String
        public var id: String
        public var duplicateOf: String
        public var similarity: Double
        public var exact: Bool
        public var written: Bool
        enum CodingKeys: String, CodingKey { case url, id, duplicateOf = "duplicate_of", similarity, exact, written }
    }

    public var runID: String
    public var config: String
    public var output: String
    public var started: String
    public var finished: String
    /// The run was stopped by a signal: what was not reached is left for the next run.
    public var interrupted = false
    public var counts = Counts()
    /// Error counts keyed `stage/kind` (`attachment/missing`, `pdf/damaged`…).
    public var errorsByKind: [String: Int] = [:]
    /// The first `RunLog.maxListedErrors` errors in detail; `counts.errors` has them all.
    public var errors: [ErrorEntry] = []
    public var duplicates: [Duplicate] = []
    /// Wall time of the run and busy time summed over each stage's workers, in seconds.
    public var timings: [String: Double] = [:]
    /// Peak resident memory of the `trawl run` process itself, in MiB; extraction worker processes
    /// are capped separately (`pdf.memory_mb`) and not counted.
    public var peakRSSMiB: Double = 0
    /// This process's part in a shared harvest (absent for an embedded run).
    public var shared: SharedPart?
    /// Where each sink stood after the run published to it (absent when nothing was published).
    public var sinks: [SinkStatus]?

    /// What one process of a shared harvest did: its counts cover only its own work, and only
    /// the process that wrote the end of the harvest exported the output.
    public struct SharedPart: Codable, Sendable, Equatable {
        public var member: String
        /// Releases this process leased and completed.
        public var releasesWorked: Int
        /// Completions refused because the lease had passed to another process.
        public var completionsRefused: Int
        /// This process wrote the end of the harvest and exported the output directory.
        public var exported: Bool
        enum CodingKeys: String, CodingKey {
            case member, releasesWorked = "releases_worked", completionsRefused = "completions_refused", exported
        }
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", config, output, started, finished, interrupted, counts
        case errorsByKind = "errors_by_kind", errors, duplicates, timings, peakRSSMiB = "peak_rss_mib", shared, sinks
    }

    /// This process's peak resident set (getrusage RUSAGE_SELF), in MiB to one decimal.
    public static func ownPeakRSSMiB() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let kib = Double(usage.ru_maxrss)  // KiB on Linux
        #else
        getrusage(RUSAGE_SELF, &usage)
        let kib = Double(usage.ru_maxrss) / 1024  // bytes on Darwin
        #endif
        return (kib / 1024 * 10).rounded() / 10
    }
}

/// Counts written by older versions lack the counters added since: they read as 0, so the
/// summaries of earlier runs still load (`trawl serve`, sink status).
extension RunSummary.Counts {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys) throws -> Int { try c.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        self.init()
        listingPages = try count(.listingPages)
        releasePages = try count(.releasePages)
        records = try count(.records)
        knownRecords = try count(.knownRecords)
        newRecords = try count(.newRecords)
        duplicates = try count(.duplicates)
        exactDuplicates = try count(.exactDuplicates)
        nearDuplicates = try count(.nearDuplicates)
        repeatedURLs = try count(.repeatedURLs)
        attachmentLinks = try count(.attachmentLinks)
        attachmentsExtracted = try count(.attachmentsExtracted)
        attachmentsReused = try count(.attachmentsReused)
        attachmentsIdentical = try count(.attachmentsIdentical)
        attachmentErrors = try count(.attachmentErrors)
        ocrPages = try count(.ocrPages)
        ocrSkippedPages = try count(.ocrSkippedPages)
        attachmentDuplicates = try count(.attachmentDuplicates)
        errors = try count(.errors)
        created = try count(.created)
        updated = try count(.updated)
        unchanged = try count(.unchanged)
        deleted = try count(.deleted)
        gonePending = try count(.gonePending)
        notModified = try count(.notModified)
    }
}
