import Foundation
import Testing

/// Truncated and byte-flipped variants of real HWP, HWPX, Office, ODF, RTF and ZIP files, and
/// hand-made bombs, through `trawl extract` and its worker processes: every file ends as text
/// or a typed error, nothing hangs or kills a worker, and the bombs are refused by their limits.
@Suite struct HostileAttachmentTests {
    static let allowedKinds: Set<String> = ["damaged", "encrypted", "unsupported_format", "too_large", "empty", "no_text"]

    @Test func hostileVariantsEndAsTextOrTypedErrors() async throws {
        guard let corpus = Harness.corpus else {
            print("SKIPPED hostileVariantsEndAsTextOrTypedErrors: ../shared/corpus is absent")
            return
        }
        let dir = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let gen = Process()
        gen.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gen.arguments = ["python3", Harness.projectRoot.appendingPathComponent("scripts/make-hostile-inputs.py").path, corpus.path, dir.path]
        gen.standardOutput = FileHandle.nullDevice
        try gen.run()
        await Harness.waitDetached(gen)
        #expect(gen.terminationStatus == 0, "make-hostile-inputs.py failed")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(files.count >= 405, "only \(files.count) hostile files were made")

        // Waited for on a Dispatch thread: minutes on the cooperative pool stall other suites.
        let r = try await Harness.run(["extract", "--timeout", "10", "--workers", "2", dir.path])
        let elapsed = r.seconds
        #expect(r.status == 0, "trawl extract exited \(r.status): \(r.stderr.suffix(2000))")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == files.count, "\(files.count) files but \(lines.count) result lines")

        var tally: [String: Int] = [:]
        var wrong: [String] = []
        for line in lines {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                wrong.append("not JSON: \(line.prefix(200))"); continue
            }
            let input = (object["input"] as? String).map { ($0 as NSString).lastPathComponent } ?? "?"
            let file = object["file"] as? [String: Any] ?? [:]
            let error = (object["error"] as? [String: Any]) ?? (file["error"] as? [String: Any])
            let text = file["text"] as? String
            if let error {
                let kind = error["kind"] as? String ?? "?"
                let message = error["message"] as? String ?? ""
                tally[kind, default: 0] += 1
                if !Self.allowedKinds.contains(kind) { wrong.append("\(input): \(kind) — \(message)") }
                if !message.contains(input) { wrong.append("\(input): the message does not name the input: \(message)") }
            } else if text?.isEmpty ?? true {
                wrong.append("\(input): neither text nor an error")
            } else {
                tally["text", default: 0] += 1
            }
            if input.hasPrefix("bomb-") && (error?["kind"] as? String) != "too_large" {
                wrong.append("\(input): a bomb must be too_large, got \(error?["kind"] as? String ?? "text")")
            }
            if input == "traversal.zip" {
                let names = (file["embedded"] as? [[String: Any]] ?? []).compactMap { $0["filename"] as? String }
                if names.count != 3 || names.contains(where: { $0.contains("..") || $0.hasPrefix("/") }) {
                    wrong.append("traversal.zip: member names \(names)")
                }
            }
        }
        print("hostile inputs: \(files.count) files in \(String(format: "%.1f", elapsed)) s: "
              + tally.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        #expect(wrong.isEmpty, "\(wrong.prefix(30).joined(separator: "\n"))")
        #expect(elapsed < 10.0 * Double(files.count) / 2, "the run took \(elapsed) s")
    }
}
