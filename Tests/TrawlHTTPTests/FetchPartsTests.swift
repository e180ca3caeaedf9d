import Foundation
import Testing
@testable import TrawlHTTP

@Suite struct URLPolicyTests {
    @Test func publicSeedsStayOnAllowedHostsAndOffThePrivateNetwork() {
        let p = URLPolicy(seeds: [URL(string: "https://www.msit.go.kr/eng/list.do")!], allowedHosts: ["*.korea.kr"])
        #expect(p.refusal(URL(string: "https://www.msit.go.kr/eng/view.do?id=1")!) == nil)
        #expect(p.refusal(URL(string: "https://policy.korea.kr/a")!) == nil)
        #expect(p.refusal(URL(string: "https://korea.kr/a")!) == nil)
        #expect(p.refusal(URL(string: "https://evil.example/a")!) != nil)
        #expect(p.refusal(URL(string: "ftp://www.msit.go.kr/a")!) != nil)
        #expect(p.refusal(URL(string: "javascript:alert(1)")!) != nil)
        for host in ["127.0.0.1", "10.1.2.3", "192.168.0.1", "172.20.0.1", "169.254.169.254", "[::1]", "localhost"] {
            let policy = URLPolicy(seeds: [URL(string: "https://www.msit.go.kr/")!], allowedHosts: [host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))])
            #expect(policy.refusal(URL(string: "http://\(host)/admin")!)?.contains("private") == true, "\(host) must be refused")
        }
    }

    @Test func namesResolvingToLoopbackAreCaught() async {
        let check = AddressCheck()
        #expect(await check.privateAddress(of: "localhost") != nil)
        #expect(await check.privateAddress(of: "93.184.216.34") == nil, "literals are the policy's business")
    }

    @Test func loopbackSeedsMayCrawlLoopback() {
        let p = URLPolicy(seeds: [URL(string: "http://127.0.0.1:8080/")!], allowedHosts: [])
        #expect(p.refusal(URL(string: "http://127.0.0.1:8080/view")!) == nil)
        #expect(p.refusal(URL(string: "http://example.org/")!) != nil)
    }
}

@Suite struct RetryPolicyTests {
    @Test func retryAfterInSecondsOrAsAnHTTPDate() {
        #expect(RetryPolicy.retryAfter("120") == .seconds(120))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let later = HTTPDate.parse("Fri, 15 Jan 2027 08:00:30 GMT")!
        #expect(RetryPolicy.retryAfter("Fri, 15 Jan 2027 08:00:30 GMT", now: later.addingTimeInterval(-30)) == .seconds(30))
        #expect(RetryPolicy.retryAfter("soon", now: now) == nil)
        #expect(RetryPolicy.retryAfter(nil) == nil)
    }

    @Test func backoffGrowsExponentiallyWithJitter() {
        let p = RetryPolicy(retries: 5, base: .milliseconds(100), maxRetryAfter: .seconds(60))
        for attempt in 1...4 {
            let d = p.backoff(attempt: attempt)
            let floor = Duration.milliseconds(100 * (1 << (attempt - 1)))
            #expect(d >= floor && d <= floor + .milliseconds(100), "attempt \(attempt): \(d)")
        }
        #expect(RetryPolicy.isRetryable(status: 503) && RetryPolicy.isRetryable(status: 429) && !RetryPolicy.isRetryable(status: 404))
    }
}

@Suite struct HostGateTests {
    @Test func requestStartsOnOneHostKeepTheirDelayAndConcurrency() async {
        let gate = HostGate(concurrency: 2, delay: .milliseconds(40))
        let clock = ContinuousClock()
        let start = clock.now
        let inFlight = Tally()
        let starts = await withTaskGroup(of: Duration.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    await gate.enter("h")
                    let t = clock.now - start
                    await inFlight.add(1)
                    try? await Task.sleep(for: .milliseconds(5))
                    await inFlight.add(-1)
                    await gate.leave("h")
                    return t
                }
            }
            return await group.reduce(into: []) { $0.append($1) }.sorted()
        }
        // Six starts 40 ms apart span at least 200 ms (measured after each grant, so a busy
        // machine can only stretch the span, never shrink it below the delays).
        #expect(starts.last! - starts.first! >= .milliseconds(200), "starts \(starts)")
        #expect(await inFlight.peak <= 2, "more than 2 requests in flight on one host")
    }
}

actor Tally {
    private(set) var value = 0
    private(set) var peak = 0
    func add(_ n: Int) { value += n; peak = max(peak, value) }
}
