import Foundation
import Testing
@testable import Trawl

@Suite struct MirrorLayoutTests {
    let root: URL
    let layout: MirrorLayout

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-mirror-\(UUID().uuidString)")
        for path in ["index.html", "bbs/view.do?id=7", "bbs/list.do@page=2", "docs/a b.pdf", "news/", "news/index.html", "eng/page.html"] {
            let url = root.appendingPathComponent(path)
            if path.hasSuffix("/") { continue }
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
        layout = MirrorLayout(root: root, baseURL: URL(string: "https://www.example.go.kr/")!)
    }

    func resolve(_ s: String) -> MirrorLayout.Resolution { layout.resolve(URL(string: s)!) }
    func file(_ path: String) -> MirrorLayout.Resolution { .file(root.appendingPathComponent(path).standardizedFileURL) }

    @Test func mapsURLsTheWayWgetNamesFiles() {
        #expect(resolve("https://www.example.go.kr/") == file("index.html"))
        #expect(resolve("https://www.example.go.kr/bbs/view.do?id=7") == file("bbs/view.do?id=7"))
        #expect(resolve("https://www.example.go.kr/bbs/list.do?page=2") == file("bbs/list.do@page=2"))
        #expect(resolve("https://www.example.go.kr/docs/a%20b.pdf") == file("docs/a b.pdf"))
        #expect(resolve("https://www.example.go.kr/news/") == file("news/index.html"))
        #expect(resolve("https://www.example.go.kr/eng/page") == file("eng/page.html"))
        #expect(resolve("https://WWW.EXAMPLE.GO.KR:443/bbs/view.do?id=7#top") == file("bbs/view.do?id=7"))
    }

    @Test func otherHostsAndSchemesAreOffSite() {
        #expect(resolve("https://evil.example.com/bbs/view.do?id=7") == .offSite)
        #expect(resolve("ftp://www.example.go.kr/index.html") == .offSite)
        #expect(resolve("https://www.example.go.kr:8443/index.html") == .offSite)
    }

    @Test func nothingResolvesOutsideTheRoot() {
        if case .file = resolve("https://www.example.go.kr/../../etc/passwd") { Issue.record("escaped the mirror root") }
        if case .file = resolve("https://www.example.go.kr/bbs/%2e%2e/%2e%2e/etc/passwd") { Issue.record("escaped via percent-encoding") }
        if case .file = resolve("https://www.example.go.kr/missing.html") { Issue.record("found a missing file") }
    }
}
