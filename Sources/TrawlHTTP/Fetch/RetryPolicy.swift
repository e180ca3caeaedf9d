import Foundation

/// When and how long to wait before trying a request again: exponential backoff with full
/// jitter, or the server's own `Retry-After` when it gives one.
public struct RetryPolicy: Sendable {
    public var retries: Int
    public var base: Duration
    public var maxRetryAfter: Duration

    public init(retries: Int, base: Duration, maxRetryAfter: Duration) {
        self.retries = retries; self.base = base; self.maxRetryAfter = maxRetryAfter
    }

    /// Statuses worth retrying: the server is overloaded or briefly broken.
    public static func isRetryable(status: Int) -> Bool { [408, 429, 500, 502, 503, 504].contains(status) }

    /// The wait before attempt `attempt + 1` (attempt counts from 1).
    public func backoff(attempt: Int) -> Duration {
        let exp = base * (1 << min(attempt - 1, 16))
        let jitterMs = Int.random(in: 0...max(1, Int(base.components.seconds * 1000 + base.components.attoseconds / 1_000_000_000_000_000)))
        return exp + .milliseconds(jitterMs)
    }

    /// `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
    public static func retryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        if let seconds = Int(v) { return .seconds(max(0, seconds)) }
        guard let date = HTTPDate.parse(v) else { return nil }
        return .milliseconds(max(0, Int(date.timeIntervalSince(now) * 1000)))
    }
}

/// IMF-fixdate (and the two obsolete forms) as HTTP headers carry dates.
public enum HTTPDate {
    public static func parse(_ s: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "GMT")
            f.dateFormat = format
            if let d = f.date(from: s) { return d }
        }
        return nil
    }
}
