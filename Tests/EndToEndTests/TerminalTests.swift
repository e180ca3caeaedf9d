import Foundation
import Testing
import TrawlSiteServer

extension PublishingSuites {
    /// `trawl run` on a pseudo-terminal (through util-linux's `script`): the live progress line
    /// and the log lines never share a line.
    @Suite struct TerminalTests {
        /// What a terminal shows for `output`: `\r` returns to the line's start, ESC[K erases to
        /// its end, `\n` starts a new line.
        static func screen(_ output: String) -> [String] {
            var lines: [[Character]] = [[]]
            var column = 0
            var chars = Array(output)[...]
            while let c = chars.popFirst() {
                switch c {
                case "\r\n", "\n": lines.append([]); column = 0
                case "\r": column = 0
                case "\u{1B}":
                    // CSI: ESC [ params final-byte; only K (erase to end of line) matters here.
                    guard chars.first == "[" else { continue }
                    chars.removeFirst()
                    var final: Character = " "
                    while let p = chars.popFirst() { if p.isLetter { final = p; break } }
                    if final == "K" { lines[lines.count - 1].removeSubrange(min(column, lines[lines.count - 1].count)...) }
                default:
                    if column < lines[lines.count - 1].count { lines[lines.count - 1][column] = c } else { lines[lines.count - 1].append(c) }
                    column += 1
                }
            }
            return lines.map { String($0) }
        }

        @Test func theProgressLineNeverRunsIntoALogLine() async throws {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { print("SKIPPED: util-linux's script is not installed"); return }
            let server = try await SiteServer.start(content: GeneratedContent(count: 120))
            defer { Task { await server.stop() } }
            server.control.setLatency(20)
            let dir = try Harness.temporaryDirectory()
            let config = try HTTPHarvestTests.generatedConfig(in: dir, server: server, http: ["delay_ms": 0, "concurrency_per_host": 2])
            // -v logs every item while the progress line is redrawn twice a second.
            let command = "\(Harness.binary.path) run \(config.path) -v"
            let result = try await Harness.run(["-qfec", command, "/dev/null"], binary: URL(fileURLWithPath: "/usr/bin/script"))
            #expect(result.status == 0, "run on a terminal failed: \(result.stdout.suffix(2000))")
            let lines = Self.screen(result.stdout)
            let log = try Regex(#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} (trace|debug|info|notice|warning|error|critical) "#)
            let progress = try Regex(#"listings \d+  releases \d+"#)
            let logLines = lines.filter { $0.contains(log) }
            #expect(logLines.count > 100, "expected a log line per item, saw \(logLines.count)")
            #expect(result.stdout.contains(progress), "no progress line was shown")
            for line in lines where line.contains(log) {
                #expect(line.prefixMatch(of: log) != nil, "a log line does not start its line: \(line.debugDescription)")
                #expect(!line.contains(progress), "a log line shares its line with the progress line: \(line.debugDescription)")
            }
        }
    }
}
