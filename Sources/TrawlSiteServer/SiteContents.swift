import Foundation
import Synchronization

/// Serves a `wget --mirror` folder: `/a/b.do?x=1` is the file `ROOT/a/b.do?x=1`.
public struct MirrorContent: SiteContent {
    public let root: URL

    public init(root: URL) { self.root = root.standardizedFileURL }

    public func page(_ target: String) -> (body: Data, contentType: String)? {
        let decoded = target.removingPercentEncoding ?? target
        let relative = decoded.hasPrefix("/") ? String(decoded.dropFirst()) : decoded
        guard !relative.split(separator: "/").contains("..") else { return nil }
        let file = root.appendingPathComponent(relative.isEmpty ? "index.html" : relative)
        guard let data = try? Data(contentsOf: file) else { return nil }
        return (data, Self.sniff(data))
    }

    static func sniff(_ data: Data) -> String {
        if data.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "application/octet-stream" }
        return "text/html"
    }
}

/// A generated press-release site of `count` releases, 10 per listing page, newest first:
/// `/list?page=N` and `/view?id=N`. For benchmarks of crawling at scale.
public final class GeneratedContent: SiteContent {
    private let current: Mutex<Int>
    public let perPage = 10
    /// Each release links its own one-page PDF (`/file?id=N`), as real releases do.
    public let attachments: Bool

    public init(count: Int, attachments: Bool = false) {
        current = Mutex(count)
        self.attachments = attachments
    }

    /// The number of releases; raising it publishes new ones on top of the listing.
    public var count: Int {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    static let vocabulary: [String] = {
        let stems = ["minist", "budget", "research", "satellit", "network", "quantum", "policy", "region", "univers", "industr",
                     "digital", "energy", "health", "transport", "export", "startup", "talent", "security", "data", "climate",
                     "semiconduct", "battery", "robot", "space", "ocean", "farm", "school", "hospital", "bank", "market"]
        let endings = ["", "s", "ed", "ing", "al", "ity", "er", "ation", "ive", "ly", "ment", "ics"]
        return stems.flatMap { stem in endings.map { stem + $0 } }
    }()

    public func page(_ target: String) -> (body: Data, contentType: String)? {
        let count = self.count
        guard let comps = URLComponents(string: target) else { return nil }
        let n = comps.queryItems?.first.flatMap { $0.value.flatMap(Int.init) } ?? 1
        switch comps.path {
        case "/list":
            let pages = (count + perPage - 1) / perPage
            guard (1...max(1, pages)).contains(n) else { return nil }
            let first = count - (n - 1) * perPage
            let ids = stride(from: first, to: max(0, first - perPage), by: -1)
            let rows = ids.map { "<tr><td class=\"subject\"><a href=\"/view?id=\($0)\">Release \($0)</a></td></tr>" }.joined()
            let next = n < pages ? "<div class=\"paging\"><a class=\"next\" href=\"/list?page=\(n + 1)\">next</a></div>" : ""
            return (Data("<html><head><title>Releases</title></head><body><table class=\"board_list\">\(rows)</table>\(next)</body></html>".utf8), "text/html; charset=utf-8")
        case "/view":
            guard (1...count).contains(n) else { return nil }
            let day = String(format: "2026-%02d-%02d", 1 + n % 12, 1 + n % 28)
            // Words drawn from a vocabulary by a generator seeded with the release number:
            // releases read differently, as real ones do (a template with only the numbers
            // changed would make every release a near-duplicate candidate of every other).
            var paragraphs = ""
            var seed = UInt64(n) &* 0x9E37_79B9_7F4A_7C15 | 1
            for _ in 0..<6 {
                var words: [String] = []
                for _ in 0..<40 {
                    seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17
                    words.append(Self.vocabulary[Int(seed % UInt64(Self.vocabulary.count))])
                }
                paragraphs += "<p>" + words.joined(separator: " ") + ".</p>"
            }
            let html = """
                <html><head><title>Release \(n) | Ministry</title></head><body>
                <div class="view_head"><h3 class="title">Release \(n): measure \(n * 7)</h3></div>
                <dl class="info"><dt>등록일</dt><dd>\(day)</dd></dl>
                <div class="view_cont">\(paragraphs)</div>
                \(attachments ? "<div class=\"view_file\"><a class=\"file_down\" href=\"/file?id=\(n)\">release-\(n).pdf</a></div>" : "")
                </body></html>
                """
            return (Data(html.utf8), "text/html; charset=utf-8")
        case "/file" where attachments:
            guard (1...count).contains(n) else { return nil }
            var seed = UInt64(n) &* 0xD1B5_4A32_D192_ED03 | 1
            let lines = (0..<30).map { line -> String in
                var words: [String] = []
                for _ in 0..<12 {
                    seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17
                    words.append(Self.vocabulary[Int(seed % UInt64(Self.vocabulary.count))])
                }
                return "Annex \(n) line \(line): " + words.joined(separator: " ")
            }
            return (MinimalPDF.make(lines: lines), "application/pdf")
        default:
            return nil
        }
    }
}

/// A one-page PDF with lines of Latin text in Helvetica, written by hand (objects, content
/// stream, cross-reference table): enough for poppler to extract, cheap to generate.
public enum MinimalPDF {
    public static func make(lines: [String]) -> Data {
        var content = "BT /F1 10 Tf 50 780 Td 12 TL\n"
        for line in lines {
            let escaped = line.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
            content += "(\(escaped)) Tj T*\n"
        }
        content += "ET"
        return write(objects: [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
        ])
    }

    /// A PDF of `objects` (numbered from 1; the first is the catalog) with a correct
    /// cross-reference table; `trailer` adds entries to the trailer (e.g. `/Info 6 0 R`).
    public static func write(objects: [String], version: String = "1.4", trailer: String = "") -> Data {
        var out = "%PDF-\(version)\n"
        var offsets: [Int] = []
        for (i, body) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(body)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { out += String(format: "%010d 00000 n \n", o) }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R \(trailer)>>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }
}
