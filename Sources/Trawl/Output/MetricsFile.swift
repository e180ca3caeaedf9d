import Foundation

/// A Prometheus text-format file (node_exporter textfile collector style) with the last run's
/// counts and the time of the last successful run, so that monitoring notices a cron
/// harvest that stopped succeeding.
enum MetricsFile {
    static let name = "trawl.prom"

    static func write(_ summary: RunSummary, to output: OutputDirectory, now: Date = Date()) throws {
        let file = output.root.appendingPathComponent(name)
        // The last success survives an interrupted run: it is carried over from the file.
        var lastSuccess = previousLastSuccess(file)
        if !summary.interrupted { lastSuccess = now.timeIntervalSince1970 }
        let c = summary.counts
        var lines: [String] = []
        func gauge(_ metric: String, _ help: String, _ samples: [(labels: String, value: Double)]) {
            lines.append("# HELP \(metric) \(help)")
            lines.append("# TYPE \(metric) gauge")
            for s in samples { lines.append("\(metric)\(s.labels) \(format(s.value))") }
        }
        if let lastSuccess {
            gauge("trawl_last_success_timestamp_seconds", "Unix time the last uninterrupted run finished.", [("", lastSuccess)])
        }
        gauge("trawl_last_run_timestamp_seconds", "Unix time the last run finished.", [("", now.timeIntervalSince1970)])
        gauge("trawl_last_run_interrupted", "1 if the last run was stopped by a signal.", [("", summary.interrupted ? 1 : 0)])
        gauge("trawl_last_run_duration_seconds", "Wall time of the last run.", [("", summary.timings["total"] ?? 0)])
        gauge("trawl_last_run_peak_rss_bytes", "Peak resident memory of the last run's main process (extraction workers not included).",
              [("", summary.peakRSSMiB * 1_048_576)])
        gauge("trawl_last_run_items", "Counts of the last run by kind.", [
            ("{kind=\"release_pages\"}", Double(c.releasePages)), ("{kind=\"records\"}", Double(c.records)),
            ("{kind=\"new\"}", Double(c.newRecords)), ("{kind=\"known\"}", Double(c.knownRecords)),
            ("{kind=\"duplicates\"}", Double(c.duplicates)), ("{kind=\"attachments\"}", Double(c.attachmentLinks)),
            ("{kind=\"errors\"}", Double(c.errors)),
            ("{kind=\"created\"}", Double(c.created)), ("{kind=\"updated\"}", Double(c.updated)),
            ("{kind=\"unchanged\"}", Double(c.unchanged)), ("{kind=\"deleted\"}", Double(c.deleted)),
            ("{kind=\"gone_pending\"}", Double(c.gonePending)), ("{kind=\"not_modified\"}", Double(c.notModified)),
        ])
        gauge("trawl_last_run_errors", "Errors of the last run by stage/kind.",
              summary.errorsByKind.sorted { $0.key < $1.key }.map { ("{kind=\"\(escape($0.key))\"}", Double($0.value)) })
        // The sinks' lines are publishing's, written after the run: carried over as they are.
        lines += sinkLines(file)
        try output.writeAtomically(Data((lines.joined(separator: "\n") + "\n").utf8), to: file)
    }

    static let sinkPrefix = "trawl_sink_"

    /// Replaces the sinks' part of the file (how far behind each is, rejects, failures).
    static func writeSinks(_ sinks: [SinkStatus], to output: OutputDirectory, now: Date = Date()) throws {
        let file = output.root.appendingPathComponent(name)
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        var lines = text.split(separator: "\n").map(String.init).filter { !isSinkLine($0) }
        func gauge(_ metric: String, _ help: String, _ value: (SinkStatus) -> Double) {
            lines.append("# HELP \(metric) \(help)")
            lines.append("# TYPE \(metric) gauge")
            for s in sinks { lines.append("\(metric){sink=\"\(escape(s.name))\",type=\"\(escape(s.type))\"} \(format(value(s)))") }
        }
        gauge("trawl_sink_behind_changes", "Change lines of published feeds the sink has not applied yet.") { Double($0.behind) }
        gauge("trawl_sink_up", "1 if the last publish reached the sink without an error.") { $0.error == nil ? 1 : 0 }
        gauge("trawl_sink_last_publish_timestamp_seconds", "Unix time of the last publish to the sink.") { _ in now.timeIntervalSince1970 }
        gauge("trawl_sink_last_publish_applied", "Change lines the last publish applied.") { Double($0.applied) }
        gauge("trawl_sink_last_publish_rejects", "Documents the sink refused in the last publish.") { Double($0.rejects.count) }
        try output.writeAtomically(Data((lines.joined(separator: "\n") + "\n").utf8), to: file)
    }

    private static func isSinkLine(_ line: String) -> Bool {
        line.hasPrefix(sinkPrefix) || line.hasPrefix("# HELP \(sinkPrefix)") || line.hasPrefix("# TYPE \(sinkPrefix)")
    }

    private static func sinkLines(_ file: URL) -> [String] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init).filter(isSinkLine)
    }

    private static func previousLastSuccess(_ file: URL) -> Double? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("trawl_last_success_timestamp_seconds ") {
            return Double(line.split(separator: " ").last ?? "")
        }
        return nil
    }

    private static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
