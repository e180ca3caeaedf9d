import Foundation
import Testing
import TrawlDocuments

/// The one sniffer names media types too: what records show for a file.
@Suite struct MediaTypeTests {
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
        #expect(FormatSniffer.mediaType(of: data, filename: name) == expected)
    }
}
