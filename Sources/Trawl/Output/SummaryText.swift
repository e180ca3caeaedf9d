import Foundation

/// The human-readable run summary the CLI prints.
public enum SummaryText {
    public static func render(_ s: RunSummary) -> String {
        let c = s.counts
        let status = s.interrupted ? "INTERRUPTED " : ""
        let lines: [String] = [
            "\(status)run \(s.runID): \(c.records) records from \(c.releasePages) release pages (\(c.listingPages) listing pages)",
            "  new: \(c.newRecords), already known: \(c.knownRecords)",
            "  duplicates: \(c.duplicates) (\(c.exactDuplicates) exact, \(c.nearDuplicates) near), repeated URLs: \(c.repeatedURLs)",
            "  attachments: \(c.attachmentLinks) links, \(c.attachmentsExtracted) extracted, \(c.attachmentsReused) reused, \(c.attachmentDuplicates) duplicates, \(c.attachmentErrors) with errors",
            "  errors: \(c.errors)" + (s.errorsByKind.isEmpty ? "" : " (" + s.errorsByKind.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"),
            "  time: \(String(format: "%.2f", s.timings["total"] ?? 0)) s",
            "  summary: \(s.output)/runs/\(s.runID).json",
        ]
        return lines.joined(separator: "\n")
    }
}
