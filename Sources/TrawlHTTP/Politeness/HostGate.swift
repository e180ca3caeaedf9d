import Foundation

/// Politeness per host: at most `concurrency` requests in flight, request starts at least
/// `delay` apart, and a pause for the whole host when it answers 429/503 with `Retry-After`.
/// Waiters are the crawl's own bounded workers, so the queue is bounded by their number.
public actor HostGate: HostGating {
    private struct Host {
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var nextStart: ContinuousClock.Instant
    }

    private let concurrency: Int
    private let delay: Duration
    private var hosts: [String: Host] = [:]
    private let clock = ContinuousClock()

    public init(concurrency: Int, delay: Duration) {
        self.concurrency = max(1, concurrency)
        self.delay = delay
    }

    /// Waits for a slot on `host` and for its turn; call `leave` when the request is done.
    public func enter(_ host: String) async {
        var h = hosts[host] ?? Host(nextStart: clock.now)
        if h.inFlight >= concurrency {
            hosts[host] = h
            // `leave` hands its slot over directly, so inFlight is already counted for us.
            await withCheckedContinuation { hosts[host, default: Host(nextStart: clock.now)].waiters.append($0) }
        } else {
            h.inFlight += 1
            hosts[host] = h
        }
        // A start is granted only when the delay since the previous grant has really passed
        // (a late wake-up must not let two requests out back to back).
        while true {
            let next = hosts[host]!.nextStart
            let now = clock.now
            if now >= next || Task.isCancelled {
                hosts[host]!.nextStart = now + delay
                return
            }
            try? await Task.sleep(until: next, clock: clock)
        }
    }

    public func leave(_ host: String) {
        guard var h = hosts[host] else { return }
        if h.waiters.isEmpty {
            h.inFlight -= 1
        } else {
            h.waiters.removeFirst().resume()
        }
        hosts[host] = h
    }

    /// No new request starts on `host` for `duration` (the server asked us to back off).
    public func pause(_ host: String, for duration: Duration) {
        pause(host, until: clock.now + duration)
    }

    public func pause(_ host: String, until instant: ContinuousClock.Instant) {
        var h = hosts[host] ?? Host(nextStart: clock.now)
        h.nextStart = max(h.nextStart, instant)
        hosts[host] = h
    }
}
