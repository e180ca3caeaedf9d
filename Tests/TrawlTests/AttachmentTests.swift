import Foundation
import Testing
@testable import Trawl

@Suite struct MediaSnifferTests {
    @Test(arguments: [
        (Data("%PDF-1.7\n".utf8), "x.bin", "application/pdf"),
        (Data("junk before %PDF-1.4".utf8), nil, "application/pdf"),
        (Data("<!DOCTYPE html><html><body>Error 500</body></html>".utf8), "report.pdf", "text/html"),
        (Data([0x50, 0x4B, 0x03, 0x04]) + Data("mimetypeapplication/hwp+zip".utf8), "a.hwpx", "application/hwp+zip"),
        (Data([0x50, 0x4B, 0x03, 0x04]) + Data("word/document.xml".utf8), "a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]), "보도자료.hwp", "application/x-hwp"),
        (Data("a,b\n1,2\n".utf8), "data.csv", "text/csv"),
        (Data([0x00, 0x01, 0x02]), "report.pdf", "application/octet-stream"),
    ] as [(Data, String?, String)])
    func sniffsTheRealType(data: Data, name: String?, expected: String) {
        #expect(MediaSniffer.mediaType(of: data, filename: name) == expected)
    }
}

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
