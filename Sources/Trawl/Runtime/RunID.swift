import Foundation

/// Run ids: the run's start in UTC to the millisecond and a random suffix
/// (`yyyyMMddTHHmmss.SSSZ-xxxx`). They sort in start order, which is the order feeds are
/// published in, and they date what a run stored (validators' age, a 404 streak's start).
extension Pipeline {
    /// A run id that sorts after `latest`: feeds are published in run-id order, so a clock
    /// stepped back must not give a run an id before the last one (a sink past it would
    /// never read its feed).
    static func makeRunID(after latest: String?) -> String {
        let id = makeRunID()
        guard let latest, id <= latest, let date = runDate(latest) else { return id }
        return "\(runIDPrefix(date.addingTimeInterval(0.001)))\(id.dropFirst(19))"
    }

    /// The newest run id of an output directory (its summaries and feeds).
    static func latestRunID(in output: OutputDirectory) -> String? {
        let names = [output.runs, ChangeFeed.changes(output)].flatMap { (try? FileManager.default.contentsOfDirectory(atPath: $0.path)) ?? [] }
        return names.filter { runDate($0) != nil }.map { ($0 as NSString).deletingPathExtension }.max()
    }

    public static func makeRunID() -> String {
        // Milliseconds keep run ids in start order when runs follow each other quickly. The
        // tests of time-aware rules move a run's clock forward (TRAWL_TEST_CLOCK_HOURS).
        let shift = ProcessInfo.processInfo.environment["TRAWL_TEST_CLOCK_HOURS"].flatMap(Double.init) ?? 0
        return "\(runIDPrefix(Date().addingTimeInterval(shift * 3600)))-\(String(UInt16.random(in: .min ... .max), radix: 16))"
    }

    /// When a run started, read from its id (`yyyyMMddTHHmmss.SSSZ-xxxx`); nil for an id of
    /// another shape.
    static func runDate(_ id: String) -> Date? {
        runIDFormatter().date(from: String(id.prefix(19)))
    }

    /// The time part of a run id: UTC to the millisecond, so ids sort in start order.
    static func runIDFormatter() -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        return f
    }

    /// The start of a run id for `date`: ids of runs at or after it sort at or after it.
    static func runIDPrefix(_ date: Date) -> String { runIDFormatter().string(from: date) }

    /// Whether state written by run `written` is older than `hours` at run `now`.
    static func isOlder(_ written: String, than hours: Double?, at now: String) -> Bool {
        guard let hours, let then = runDate(written), let current = runDate(now) else { return false }
        return current.timeIntervalSince(then) >= hours * 3600
    }
}
