import Foundation
import Testing
@testable import TrawlHTML

@Suite struct PageScraperTests {
    let scraper = PageScraper()
    let url = URL(string: "https://www.example.go.kr/bbs/view.do?id=7")!

    func scrape(_ html: String, rules: ExtractionRules = ExtractionRules()) throws -> ScrapedPage {
        try scraper.scrapeRelease(bytes: Data(html.utf8), url: url, rules: rules)
    }

    @Test func rulesExtractTitleDateFieldsBodyAndAttachments() throws {
        let page = try scrape("""
        <html><body><nav>Home News</nav>
        <h3 class="t">  Space   Cooperation </h3>
        <dl><dt>담당부서</dt><dd>Space Policy Division</dd><dt>등록일</dt><dd>2024. 1. 25.</dd></dl>
        <div class="c"><p>First paragraph.</p><p>Second <b>bold</b> paragraph.</p><ul><li>one</li><li>two</li></ul></div>
        <div class="f"><a href="/bbs/download.do?atchFileId=F1&amp;fileSn=1">보도자료.pdf</a></div>
        </body></html>
        """, rules: ExtractionRules(title: "//h3[@class='t']", published: "//dt[.='등록일']/following-sibling::dd[1]",
                                    body: "//div[@class='c']", fields: ["department": "//dt[.='담당부서']/following-sibling::dd[1]"],
                                    attachments: "//div[@class='f']//a"))
        #expect(page.title == "Space Cooperation")
        #expect(page.published == "2024-01-25")
        #expect(page.publishedRaw == "2024. 1. 25.")
        #expect(page.fields == ["department": "Space Policy Division"])
        #expect(page.text == "First paragraph.\n\nSecond bold paragraph.\n\none\ntwo")
        #expect(page.attachments == [PageLink(url: URL(string: "https://www.example.go.kr/bbs/download.do?atchFileId=F1&fileSn=1")!, text: "보도자료.pdf")])
        #expect(page.provenance["title"] == "xpath://h3[@class='t']")
    }

    @Test func fallbacksFindTitleBodyAndFileLinks() throws {
        let page = try scrape("""
        <html lang="ko-KR"><head><title>Site title</title><meta property="og:title" content="OG title">
        <meta property="article:published_time" content="2024-02-01T09:00:00+09:00"></head>
        <body><header>Search Area</header><nav><a href="/">Home</a></nav>
        <main><h1>Heading</h1><p>Body text.</p>
        <a href="files/report.PDF">Report</a> <a href="/page.html">Other page</a>
        <a href="/cmm/fileDown.do?atchFileId=X">Download</a> <a href="javascript:void(0)">JS</a></main>
        <footer>KOGL footer</footer><script>var x = 1;</script></body></html>
        """)
        #expect(page.title == "OG title")
        #expect(page.provenance["title"] == "meta:og:title")
        #expect(page.published == "2024-02-01T09:00:00+09:00")
        #expect(page.text == "Heading\n\nBody text.\n\nReport Other page Download JS")
        #expect(page.language == "ko")
        #expect(page.attachments.map(\.url.absoluteString) == [
            "https://www.example.go.kr/bbs/files/report.PDF",
            "https://www.example.go.kr/cmm/fileDown.do?atchFileId=X",
        ])
    }

    @Test func baseHrefGovernsRelativeLinks() throws {
        let page = try scrape("""
        <html><head><base href="https://files.example.go.kr/kor/"></head>
        <body><a href="../bbs/download.do?atchFileId=A">a.hwp</a></body></html>
        """)
        #expect(page.attachments.map(\.url.absoluteString) == ["https://files.example.go.kr/bbs/download.do?atchFileId=A"])
    }

    @Test func boilerplateIsDroppedWithoutARule() throws {
        let page = try scrape("<html><body><header>Search Area</header><nav>Menu</nav><div>Release text</div><footer>KOGL</footer></body></html>")
        #expect(page.text == "Release text")
        #expect(page.provenance["text"] == "fallback:body")
    }

    @Test func excludeRulesCutNodesOutOfTheBody() throws {
        let page = try scrape("<div class='c'><p>Keep</p><div class='share'>Facebook X</div></div>",
                              rules: ExtractionRules(body: "//div[@class='c']", exclude: ["//div[@class='share']"]))
        #expect(page.text == "Keep")
    }

    @Test func invalidXPathIsAClearError() throws {
        #expect(throws: HTMLError.self) { try HTMLDocument.validate(xpath: "//div[") }
        do {
            try HTMLDocument.validate(xpath: "//div[")
        } catch {
            #expect("\(error)".contains("//div["))
        }
    }

    @Test func externalEntitiesAndNetworkAreNeverLoaded() throws {
        // With NONET and no entity substitution, a SYSTEM entity stays unexpanded.
        let page = try scrape("""
        <!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><body><main><p>a&xxe;b</p></main></body></html>
        """)
        #expect(!page.text.contains("root:"))
    }

    @Test func listingLinksResolve() throws {
        let links = try scraper.links(bytes: Data("<table><tr><td><a href='view.do?id=1#top'>One</a></td></tr></table>".utf8),
                                      url: url, xpath: "//td/a")
        #expect(links == [PageLink(url: URL(string: "https://www.example.go.kr/bbs/view.do?id=1#top")!, text: "One")])
    }
}
