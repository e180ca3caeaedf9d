import Foundation
import Testing
@testable import Trawl

@Suite struct AttachmentNameTests {
    @Test func prefersAFileNameInTheLinkText() {
        let url = URL(string: "https://e.kr/bbs/download.do?atchFileId=F1&fileSn=1")!
        #expect(AttachmentName.make(url: url, linkText: "보도자료(우주항공청).pdf") == "보도자료(우주항공청).pdf")
        #expect(AttachmentName.make(url: url, linkText: "Download") == "download.do")
    }

    @Test func neverYieldsAPath() {
        let url = URL(string: "https://e.kr/files/%2E%2E%2Fetc%2Fpasswd")!
        let name = AttachmentName.make(url: url, linkText: "../../etc/passwd.pdf")
        #expect(name.map { !$0.contains("/") } ?? true, "name \(name ?? "nil") contains a separator")
        #expect(AttachmentName.clean("..") == nil)
        #expect(AttachmentName.clean("a\u{0}b\nc") == "abc")
    }
}

@Suite struct AttachmentExtractorTests {
    let extractor = AttachmentExtractor()
    let url = URL(string: "https://e.kr/bbs/download.do?atchFileId=F1")!

    @Test func anHTMLErrorPageNamedPDFIsAnError() async {
        let r = await extractor.extract(data: Data("<html><body>404</body></html>".utf8), url: url, canonicalURL: url, linkText: "report.pdf")
        #expect(r.mediaType == "text/html")
        #expect(r.error?.kind == "not_pdf")
        #expect(r.error?.message.contains("atchFileId=F1") == true)
    }

    @Test func aDamagedPDFIsAnErrorOnTheAttachment() async {
        let data = Data("%PDF-1.5\n\u{0}\u{0}garbage".utf8)
        let r = await extractor.extract(data: data, url: url, canonicalURL: url, linkText: "a.pdf")
        #expect(r.error?.kind == "damaged")
        #expect(r.sha256?.count == 64 && r.bytes == data.count)
    }

    @Test func emptyFilesAreReported() async {
        #expect(await extractor.extract(data: Data(), url: url, canonicalURL: url, linkText: "a.pdf").error?.kind == "empty")
    }
}
