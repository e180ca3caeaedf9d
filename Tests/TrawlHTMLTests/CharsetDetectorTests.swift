import Foundation
import Testing
@testable import TrawlHTML

@Suite struct CharsetDetectorTests {
    let detector = CharsetDetector()
    let korean = "<html><head><meta charset=\"euc-kr\"></head><body>보도자료</body></html>"

    func eucKR(_ s: String) -> Data {
        // 보도자료 in EUC-KR, built by hand so the test does not depend on the decoder under test.
        let hangul: [UInt8] = [0xBA, 0xB8, 0xB5, 0xB5, 0xC0, 0xDA, 0xB7, 0xE1]
        return Data(s.replacingOccurrences(of: "보도자료", with: "@@").utf8)
            .split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
            .enumerated().reduce(into: Data()) { out, part in
                if part.offset == 1 { out.append(contentsOf: hangul) }
                out.append(contentsOf: part.element)
            }
    }

    @Test func transportCharsetWins() {
        #expect(detector.detect(Data(korean.utf8), transportCharset: "ks_c_5601-1987") == .init(encoding: "CP949", source: "transport"))
    }

    @Test func byteOrderMarkBeatsMeta() {
        #expect(detector.detect(Data([0xEF, 0xBB, 0xBF]) + Data(korean.utf8)).source == "bom")
    }

    @Test func metaCharsetIsReadForLegacyBytes() {
        let decision = detector.detect(eucKR(korean))
        #expect(decision == .init(encoding: "CP949", source: "meta"))
    }

    @Test func httpEquivIsRead() {
        let page = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=EUC-KR\"><p>보도자료</p>"
        #expect(detector.detect(eucKR(page)).encoding == "CP949")
    }

    @Test func validUTF8OverrulesAStaleMeta() {
        #expect(detector.detect(Data(korean.utf8)) == .init(encoding: "UTF-8", source: "utf8-valid"))
    }

    @Test func undeclaredLegacyBytesUseTheDefault() {
        let page = "<p>보도자료</p>"
        #expect(CharsetDetector(defaultEncoding: "euc-kr").detect(eucKR(page)) == .init(encoding: "CP949", source: "default"))
        #expect(detector.detect(Data([0x3C, 0x70, 0x3E, 0xE9, 0x3C])).encoding == "WINDOWS-1252")
    }

    @Test func labelsAreCanonicalised() {
        #expect(CharsetDetector.canonicalName("  EUC-KR ") == "CP949")
        #expect(CharsetDetector.canonicalName("iso-8859-1") == "WINDOWS-1252")
        #expect(CharsetDetector.canonicalName("utf8") == "UTF-8")
        #expect(CharsetDetector.canonicalName("x; rm -rf") == nil)
    }

    @Test func eucKRPagesDecode() throws {
        let doc = try HTMLDocument(bytes: eucKR(korean), encoding: "CP949")
        guard case .value(let text) = try doc.evaluate("string(//body)") else { Issue.record("expected a string"); return }
        #expect(text == "보도자료")
    }
}
