import Foundation

/// The human-readable run summary the CLI prints.
public enum SummaryText {
    public static func render(_ s: RunSummary) -> String {
        let c = s.counts
        let status = s.interrupted ? "INTERRUPTED " : ""
        let lines: [String] = [
            "\(status)run \(s.runID): \(c.records) records from \(c.releasePages) release pages (\(c.listingPages) listing pages)",
            "  new: \(c.newRecords), already known: \(c.knownRecords)",
            "  changes: \(c.created) created, \(c.updated) updated, \(c.deleted) deleted, \(c.unchanged) unchanged (\(c.notModified) answered 304, \(c.gonePending) gone, not yet deleted)",
            "  duplicates: \(c.duplicates) (\(c.exactDuplicates) exact, \(c.nearDuplicates) near), repeated URLs: \(c.repeatedURLs)",
            "  attachments: \(c.attachmentLinks) links, \(c.attachmentsExtracted) extracted, \(c.attachmentsReused) reused, \(c.attachmentDuplicates) duplicates, \(c.attachmentErrors) with errors",
            "  errors: \(c.errors)" + (s.errorsByKind.isEmpty ? "" : " (" + s.errorsByKind.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"),
            "  time: \(String(format: "%.2f", s.timings["total"] ?? 0)) s",
        ]
        guard let shared = s.shared else {
            return (lines + ["  summary: \(s.output)/runs/\(s.runID).json"]).joined(separator: "\n")
        }
        let part = "  shared harvest: member \(shared.member) worked \(shared.releasesWorked) releases"
            + (shared.completionsRefused > 0 ? " (\(shared.completionsRefused) late completions refused)" : "")
        let end = shared.exported ? "  this process wrote the end of the harvest; summary: \(s.output)/runs/\(s.runID).json"
            : "  another process writes the output (`trawl status --coordinator …`); counts above are this process's own"
        return (lines + [part, end]).joined(separator: "\n")
    }

    /// One line of live progress for a terminal.
    public static func progress(_ c: RunSummary.Counts, elapsed: Double) -> String {
        let rate = elapsed > 0 ? Double(c.releasePages) / elapsed : 0
        return String(format: "%6.1fs  listings %d  releases %d (%.1f/s)  written %d  unchanged %d  errors %d",
                      elapsed, c.listingPages, c.releasePages, rate, c.created + c.updated, c.unchanged, c.errors)
    }
}
