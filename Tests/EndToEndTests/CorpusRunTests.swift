import Foundation
import Testing

/// The real binary over the real-world PDFs of ../shared/corpus/pdfs-real: as `trawl extract`
/// arguments, and as attachments of an archive that `trawl run` ingests.
@Suite(.serialized) struct CorpusRunTests {
    static func pdfs() -> [URL]? {
        guard let corpus = Harness.corpus else { return nil }
        let e = FileManager.default.enumerator(at: corpus.appendingPathComponent("pdfs-real"), includingPropertiesForKeys: nil)
        return e?.compactMap { $0 as? URL }.filter { $0.pathExtension.lowercased() == "pdf" }.sorted { $0.path < $1.path }
    }

    @Test func extractGivesOneLinePerCorpusPDF() async throws {
        guard let files = Self.pdfs() else {
            print("SKIPPED extractGivesOneLinePerCorpusPDF: ../shared/corpus is absent")
            return
        }
        let r = try await Harness.run(["extract", "--ocr-max-pages", "2"] + files.map(\.path))
        #expect(r.status == 0, "\(r.stderr.suffix(2000))")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == files.count, "\(lines.count) lines for \(files.count) files")
        var texts = 0, errors: [String: Int] = [:], unexpected: [String] = []
        for (line, file) in zip(lines, files) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                Issue.record("\(file.lastPathComponent): output line is not JSON"); continue
            }
            #expect(object["input"] as? String == file.path, "lines out of order at \(file.lastPathComponent)")
            if let error = object["error"] as? [String: Any] {
                errors[error["kind"] as? String ?? "?", default: 0] += 1
                if error["kind"] as? String != "encrypted" { unexpected.append(error["message"] as? String ?? file.lastPathComponent) }
                #expect((error["message"] as? String ?? "").contains(file.lastPathComponent), "error must name the file")
            } else {
                let attachment = object["file"] as? [String: Any]
                #expect(attachment?["media_type"] as? String == "application/pdf", "\(file.lastPathComponent)")
                if attachment?["text"] is String { texts += 1 }
            }
        }
        print("trawl extract on pdfs-real: \(files.count) files, \(texts) with text, errors by kind: \(errors)")
        // The corpus's user-password files are the only ones poppler refuses.
        #expect(Set(errors.keys).isSubset(of: ["encrypted"]), "unexpected error kinds \(errors): \(unexpected)")
    }

    @Test func runIngestsAnArchiveLinkingEveryCorpusPDF() async throws {
        guard let files = Self.pdfs() else {
            print("SKIPPED runIngestsAnArchiveLinkingEveryCorpusPDF: ../shared/corpus is absent")
            return
        }
        let dir = try Harness.temporaryDirectory()
        let file = try Harness.linkingArchive(in: dir, documents: files.map { ($0.lastPathComponent, .file($0)) },
                                              ocr: ["max_pages_per_document": 2])
        let r = try await Harness.run(["run", file.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr.suffix(2000))")
        let records = try Harness.records(in: dir.appendingPathComponent("out"))
        #expect(records.count == files.count, "every page with a corpus PDF becomes a record")
        for record in records {
            let attachment = (record["attachments"] as? [[String: Any]])?.first
            let ok = attachment?["text"] is String || (attachment?["error"] as? [String: Any]) != nil
            #expect(ok, "\(record["url"] ?? "?"): attachment has neither text nor an error")
        }
    }

    static func brokenFiles() -> [URL]? {
        guard let corpus = Harness.corpus else { return nil }
        let e = FileManager.default.enumerator(at: corpus.appendingPathComponent("pdfs-broken"), includingPropertiesForKeys: [.isRegularFileKey])
        return e?.compactMap { $0 as? URL }
            .filter { $0.lastPathComponent != "MANIFEST.md" && (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.path < $1.path }
    }

    @Test func everyBrokenPDFEndsAsAResultOrAnErrorInExtract() async throws {
        guard let files = Self.brokenFiles() else {
            print("SKIPPED everyBrokenPDFEndsAsAResultOrAnErrorInExtract: ../shared/corpus is absent")
            return
        }
        let timeout = 8
        let r = try await Harness.run(["extract", "--timeout", String(timeout), "--ocr-max-pages", "2"] + files.map(\.path))
        let elapsed = r.seconds
        #expect(r.status == 0, "\(r.stderr.suffix(2000))")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == files.count, "\(lines.count) lines for \(files.count) files")
        var kinds: [String: Int] = [:]
        for (line, file) in zip(lines, files) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                Issue.record("\(file.lastPathComponent): not a JSON line"); continue
            }
            #expect(object["input"] as? String == file.path)
            let kind = (object["error"] as? [String: Any])?["kind"] as? String ?? "ok"
            kinds[kind, default: 0] += 1
        }
        print("trawl extract on pdfs-broken: \(files.count) files in \(String(format: "%.1f", elapsed)) s: \(kinds)")
        #expect(elapsed < Double(timeout * files.count), "the whole run stays within the sum of the per-document timeouts")
    }

    @Test func aRunLinkingEveryBrokenPDFWritesAllOtherDocuments() async throws {
        guard let files = Self.brokenFiles() else {
            print("SKIPPED aRunLinkingEveryBrokenPDFWritesAllOtherDocuments: ../shared/corpus is absent")
            return
        }
        let dir = try Harness.temporaryDirectory()
        let timeout = 8
        let file = try Harness.linkingArchive(in: dir, documents: files.map { ($0.lastPathComponent, .file($0)) },
                                              extraction: ["timeout_seconds": timeout], ocr: ["max_pages_per_document": 2])
        let r = try await Harness.run(["run", file.path, "-q"])
        #expect(r.status == 0, "\(r.stderr.suffix(2000))")
        #expect(r.seconds < Double(timeout * files.count))
        let records = try Harness.records(in: dir.appendingPathComponent("out"))
        #expect(records.count == files.count, "every page is written: \(records.count) of \(files.count)")
        for record in records {
            let a = (record["attachments"] as? [[String: Any]])?.first
            #expect(a?["text"] is String || a?["error"] is [String: Any] || a?["media_type"] as? String != "application/pdf",
                    "\(record["title"] ?? "?"): no result and no error")
        }
        let summary = try Harness.summary(in: dir.appendingPathComponent("out"))
        print("trawl run over pdfs-broken: errors by kind \(summary["errors_by_kind"] ?? [:])")
    }
}
