import Foundation
import Testing

/// OCR through the real binary and its worker processes: image attachments of every common
/// format, hostile images that must cost only themselves, the real scans of the corpus, and
/// PDFs with a good text layer that `auto` must leave byte for byte as they were. The children
/// are waited for on Dispatch threads (`Harness.run`): these runs take minutes, and holding the
/// cooperative pool that long stalls other suites' database sessions past their timeouts.
@Suite struct OCRRunTests {
    static func lines(_ stdout: String) throws -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for line in stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            out[((object["input"] as? String ?? "?") as NSString).lastPathComponent] = object
        }
        return out
    }

    static func words(_ s: String) -> Set<String> { Set(s.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)) }

    /// Runs a tool (pdftoppm, python3) that makes test inputs.
    static func make(_ tool: String, _ args: [String]) async throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        try p.run()
        await Harness.waitDetached(p)
        #expect(p.terminationStatus == 0, "\(tool) \(args.joined(separator: " ")) failed")
    }

    @Test func imageAttachmentsAreReadAndHostileOnesCostOnlyThemselves() async throws {
        let dir = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = Harness.fixtures.appendingPathComponent("extra/budget-plan-reexport.pdf").path
        try await Self.make("pdftoppm", ["-png", "-r", "200", "-singlefile", pdf, dir.appendingPathComponent("page").path])
        try await Self.make("pdftoppm", ["-jpeg", "-r", "200", "-singlefile", pdf, dir.appendingPathComponent("photo").path])
        try await Self.make("pdftoppm", ["-tiff", "-gray", "-r", "200", "-singlefile", pdf, dir.appendingPathComponent("scan").path])
        // A PNG signature with garbage after it, and a real 20000×20000 PNG (white, 400
        // megapixels, about 400 KB compressed): decoding it would need 400 MB to 1.6 GB.
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0x41, count: 300))
            .write(to: dir.appendingPathComponent("corrupt.png"))
        let bomb = """
            import struct, sys, zlib
            w = h = 20000
            def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
            z = zlib.compressobj(9); row = b"\\x00" + b"\\xff" * w
            data = b"".join(z.compress(row) for _ in range(h)) + z.flush()
            open(sys.argv[1], "wb").write(b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) + chunk(b"IDAT", data) + chunk(b"IEND", b""))
            """
        try await Self.make("python3", ["-c", bomb, dir.appendingPathComponent("bomb.png").path])

        let r = try await Harness.run(["extract", "--workers", "2", dir.path])
        #expect(r.status == 0, "trawl extract exited \(r.status): \(r.stderr.suffix(1500))")
        let byName = try Self.lines(r.stdout)
        #expect(byName.count == 5, "\(byName.keys.sorted())")
        for name in ["page.png", "photo.jpg", "scan.tif"] {
            let file = try #require(byName[name]?["file"] as? [String: Any], "\(name): no file record")
            #expect(file["format"] as? String == "image", "\(name): format \(file["format"] ?? "nil")")
            #expect(file["error"] is NSNull, "\(name): \(file["error"] ?? "")")
            let text = file["text"] as? String ?? ""
            #expect(Self.words(text).isSuperset(of: ["semiconductors", "budget", "quantum"]), "\(name): \(text.prefix(300))")
            let ocr = try #require(file["ocr"] as? [String: Any], "\(name): no ocr provenance")
            let page = try #require((ocr["pages"] as? [[String: Any]])?.first)
            #expect(page["source"] as? String == "ocr")
            #expect((page["confidence"] as? Double ?? 0) > 70, "\(name): confidence \(page["confidence"] ?? "nil")")
            #expect((page["width"] as? Int ?? 0) > 1000 && (page["height"] as? Int ?? 0) > 1000, "\(name): pixel size \(page)")
            #expect((ocr["engine"] as? String ?? "").hasPrefix("tesseract "))
        }
        let corrupt = try #require(byName["corrupt.png"]?["file"] as? [String: Any])
        #expect((corrupt["error"] as? [String: Any])?["kind"] as? String == "image/damaged", "\(corrupt["error"] ?? "")")
        let big = try #require(byName["bomb.png"]?["file"] as? [String: Any])
        let bigError = big["error"] as? [String: Any]
        #expect(bigError?["kind"] as? String == "ocr/too_large", "\(big["error"] ?? "")")
        #expect((bigError?["message"] as? String ?? "").contains("20000×20000"), "\(bigError ?? [:])")

        // With OCR off an image is what it was before: a format Trawl does not read.
        let offRun = try await Harness.run(["extract", "--ocr", "off", dir.appendingPathComponent("page.png").path])
        let off = try Self.lines(offRun.stdout)
        #expect(((off["page.png"]?["file"] as? [String: Any])?["error"] as? [String: Any])?["kind"] as? String == "unsupported_format")
    }

    @Test func autoLeavesTextPDFsAloneAndReadsTheCorpusScans() async throws {
        guard let corpus = Harness.corpus else { print("SKIPPED autoLeavesTextPDFsAloneAndReadsTheCorpusScans: ../shared/corpus is absent"); return }
        let folder = corpus.appendingPathComponent("pdfs-real").path
        let off = try await Harness.run(["extract", "--ocr", "off", "--workers", "2", folder])
        let auto = try await Harness.run(["extract", "--ocr", "auto", "--ocr-max-pages", "2", "--workers", "2", folder])
        #expect(off.status == 0 && auto.status == 0, "exit \(off.status) / \(auto.status): \(auto.stderr.suffix(1500))")
        let offLines = off.stdout.split(separator: "\n"), autoLines = auto.stdout.split(separator: "\n")
        try #require(offLines.count == autoLines.count && offLines.count > 100, "\(offLines.count) against \(autoLines.count) lines")
        var unchanged = 0, recognised: [String] = [], scansWithoutText: [String] = []
        for (a, b) in zip(offLines, autoLines) {
            let before = try #require(try JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any])
            let after = try #require(try JSONSerialization.jsonObject(with: Data(b.utf8)) as? [String: Any])
            let name = (before["input"] as? String ?? "?").replacingOccurrences(of: folder + "/", with: "")
            let file = after["file"] as? [String: Any] ?? [:]
            guard let ocr = file["ocr"] as? [String: Any] else {
                // No page needed OCR: the line is byte for byte what it is with OCR off.
                #expect(a == b, "\(name): changed although OCR did not run")
                unchanged += 1
                continue
            }
            let pages = ocr["pages"] as? [[String: Any]] ?? []
            let read = pages.filter { $0["source"] as? String == "ocr" }
            #expect(!read.isEmpty || pages.contains { $0["source"] as? String == "skipped" }, "\(name): OCR ran on no page")
            for page in read {
                #expect(page["confidence"] is Double && page["segmentation"] is String, "\(name): page without confidence or segmentation: \(page)")
            }
            let kind = (file["error"] as? [String: Any])?["kind"] as? String
            #expect(!["crash", "timeout", "memory", "cpu"].contains(kind ?? ""), "\(name): \(kind ?? "")")
            if !read.isEmpty { recognised.append(name) }
            let beforeText = ((before["file"] as? [String: Any])?["text"] as? String ?? "")
            if beforeText.filter({ !$0.isWhitespace }).count < 10, read.isEmpty || (file["text"] as? String ?? "").isEmpty {
                scansWithoutText.append(name)
            }
        }
        print("pdfs-real: \(unchanged) unchanged, \(recognised.count) OCRed: \(recognised.joined(separator: ", "))")
        #expect(unchanged > 80)
        // The image-only scans and renders of the corpus (MANIFEST) are among those read.
        for scan in ["pdfminer.six/175.pdf", "pdf.js/issue5549.pdf", "pypdf/git.pdf", "opendataloader-pdf/chinese_scan.pdf", "pdfcpu/HL1396.pdf"] {
            #expect(recognised.contains(scan), "\(scan) was not OCRed")
        }
        #expect(recognised.count >= 8, "only \(recognised.count) PDFs were OCRed")
        print("scans still without text: \(scansWithoutText)")
    }

    @Test func aScannedBookPageMatchesItsOwnOCRLayer() async throws {
        guard let corpus = Harness.corpus else { print("SKIPPED aScannedBookPageMatchesItsOwnOCRLayer: ../shared/corpus is absent"); return }
        let file = corpus.appendingPathComponent("pdfs-real/pypdf/Seige_of_Vicksburg_Sample_OCR.pdf").path
        // The document's own limit is 3 s, less than reading two pages takes: each page the
        // worker starts grants it one page's time, so the pages are read, not cut short.
        func text(_ mode: String) async throws -> (String, [String: Any]) {
            let r = try await Harness.run(["extract", "--ocr", mode, "--ocr-max-pages", "2", "--timeout", "3", file])
            #expect(r.status == 0, "\(r.stderr.suffix(1000))")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let f = object["file"] as? [String: Any] ?? [:]
            let pages = (f["text"] as? String ?? "").components(separatedBy: "\u{0C}")
            return (pages.prefix(2).joined(separator: "\n"), f)
        }
        let (layer, _) = try await text("off")
        let (read, record) = try await text("always")
        let ocrPages = ((record["ocr"] as? [String: Any])?["pages"] as? [[String: Any]] ?? []).filter { $0["source"] as? String == "ocr" }
        #expect(ocrPages.count == 2, "\(record["ocr"] ?? "no ocr")")
        let a = Self.words(layer), b = Self.words(read)
        let common = Double(a.intersection(b).count)
        let f1 = 2 * common / Double(max(1, a.count + b.count))
        print("Vicksburg pages 1-2: OCR against the file's own OCR layer, distinct-word F1 \(String(format: "%.3f", f1))")
        #expect(f1 > 0.8, "F1 \(f1)")
    }

    @Test func missingLanguageDataFailsAtStartup() async throws {
        let dir = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try Harness.fixtureConfig(in: dir) { $0["ocr"] = ["languages": ["kor", "zzz"]] }
        let r = try await Harness.run(["run", config.path])
        #expect(r.status == 2, "exit \(r.status): \(r.stderr.suffix(800))")
        #expect(r.stderr.contains("zzz.traineddata") && r.stderr.contains("$.ocr.languages"), "\(r.stderr.suffix(800))")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/records").path), "a run started anyway")
        let off = try Harness.fixtureConfig(in: dir) { $0["ocr"] = ["mode": "off", "languages": ["zzz"]] }
        let validated = try await Harness.run(["validate", off.path])
        #expect(validated.status == 0, "ocr.mode off needs no language data")
    }
}
