import Foundation
import Testing
@testable import TrawlDocuments

@Suite struct NumberFormatTests {
    @Test(arguments: [
        (1599.99, "#,##0.00", "1,599.99"), (-1599.99, "#,##0.00", "-1,599.99"),
        (-1599.99, "$#,##0.00;[Red]($#,##0.00)", "($1,599.99)"), (1599.99, "$#,##0.00;[Red]($#,##0.00)", "$1,599.99"),
        (0.025, "0.00%", "2.50%"), (0.025, "0%", "3%"), (198_000_000, "0.00E+00", "1.98E+08"),
        (2.5, "# ?/?", "2 1/2"), (0.75, "?/4", "3/4"), (9, "General", "9"), (196, "General", "196"),
        (1234.5, "0.0", "1234.5"), (0.5, "0.##", "0.5"), (12, "000", "012"), (1234567, "#,##0,", "1,235"),
        (39219, "d-mmm-yy", "17-May-07"), (0.2604166667, "h:mm", "6:15"), (0.7604166667, "h:mm", "18:15"),
        (45292, "yyyy-mm-dd", "2024-01-01"), (45292.5, "m/d/yy h:mm", "1/1/24 12:00"),
        (0.75, "h:mm AM/PM", "6:00 PM"), (1.5, "[h]:mm:ss", "36:00:00"), (45292, "dddd, mmmm d", "Monday, January 1"),
        (1234, "\"Total: \"0", "Total: 1234"), (5, "0_);(0)", "5 "),
    ])
    func formats(value: Double, code: String, shown: String) {
        #expect(NumberFormat(code).format(value, date1904: false) == shown, "\(value) as \(code)")
    }

    @Test func date1904() {
        #expect(NumberFormat("yyyy-mm-dd").format(0, date1904: true) == "1904-01-01")
        #expect(NumberFormat("yyyy-mm-dd").format(1, date1904: false) == "1900-01-01")
        // Excel's phantom 1900-02-29 is serial 60; 61 is March 1.
        #expect(NumberFormat("yyyy-mm-dd").format(61, date1904: false) == "1900-03-01")
    }

    @Test func headerFooterCodesAreStripped() {
        #expect(XLSXExtractor.headerFooterText("&LLeft&C&\"Arial,Bold\"Centre &P&RRight") == "Left Centre 1 Right")
    }
}

@Suite struct RTFTests {
    func text(_ rtf: String) throws -> DocumentExtraction {
        try RTFExtractor().extract(Data(rtf.utf8), name: "t.rtf", context: ExtractionContext())
    }

    @Test func paragraphsTabsAndEscapes() throws {
        let x = try text(#"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}{\colortbl;\red0\green0\blue0;}\f0 Hello\tab World\par Second \'e9t\'e9 \{brace\}\par}"#)
        #expect(x.text == "Hello\tWorld\nSecond été {brace}")
    }

    @Test func unicodeEscapesSkipTheirFallback() throws {
        let x = try text(#"{\rtf1\ansi\uc1 \u54620?\u44544?\par\uc2 \u-10179\'3f\'3f\u-8694\'3f\'3f}"#)
        #expect(x.text.hasPrefix("한글"), "\(x.text)")
        #expect(x.text.contains("\u{1F60A}"), "a surrogate pair becomes one scalar: \(x.text.debugDescription)")
    }

    @Test func fontCharsetPicksTheCodePage() throws {
        // 한 in CP949 is B0 A1? No: 한 = C7 D1, 글 = B1 DB.
        let x = try text(#"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0\fcharset129 Batang;}}\f0 \'c7\'d1\'b1\'db\par}"#)
        #expect(x.text == "한글")
    }

    @Test func fieldsKeepTheirResultAndDropTheirCode() throws {
        let x = try text(#"{\rtf1 See {\field{\*\fldinst HYPERLINK "http://x.example"}{\fldrslt the site}}.\par}"#)
        #expect(x.text == "See the site.")
    }

    @Test func infoAndAnnotations() throws {
        let x = try text(#"{\rtf1{\info{\title Report}{\author Kim}{\creatim\yr2024\mo2\dy3\hr10\min5}}Body{\*\atnid K}{\*\annotation note text}\par}"#)
        #expect(x.metadata.title == "Report" && x.metadata.author == "Kim" && x.metadata.created == "2024-02-03T10:05:00")
        #expect(x.text == "Body" && x.comments == ["note text"])
    }

    @Test func deepNestingIsDamageNotACrash() {
        let rtf = "{\\rtf1" + String(repeating: "{", count: 5000) + "x"
        #expect(throws: DocumentError.self) { try text(rtf) }
    }
}

@Suite struct ContainerTests {
    @Test func memberNamesDecodeAndNeverClimb() {
        #expect(MemberName.decode(Data("../../etc/passwd".utf8)) == "etc/passwd")
        #expect(MemberName.decode(Data("/abs/x.txt".utf8)) == "abs/x.txt")
        #expect(MemberName.decode(Data([0xB5, 0xF0, 0xC1, 0xF6, 0xC5, 0xD0]) + Data(".txt".utf8)) == "디지털.txt")  // EUC-KR
        #expect(MemberName.decode(Data([0x83, 0x65, 0x83, 0x58, 0x83, 0x67]) + Data(".txt".utf8)) == "テスト.txt")  // Shift-JIS
        #expect(MemberName.decode(Data("보도자료.pdf".utf8)) == "보도자료.pdf")
    }

    @Test func inflateStopsAtItsCap() throws {
        // 1 MiB of zeros, raw deflate, produced by a stored-then-fixed block is not at hand;
        // a real stream comes from the Fixtures ZIP's entries instead: its DOCX expands fine
        // under a generous cap and refuses a tiny one.
        let zipURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/archive/www.msit.example/bbs/download.do?atchFileId=FILE_000000000812010&fileSn=1")
        let zip = try ZipArchive.open(try Data(contentsOf: zipURL), name: "bundle.zip")
        var limits = DocumentLimits()
        limits.maxEntryBytes = 100
        let tight = ExtractionContext(limits: limits)
        #expect(throws: DocumentError.self) { try zip.read(at: 0, context: tight) }
        #expect(try zip.read(at: 0, context: ExtractionContext()).count > 100)
    }

    @Test func budgetIsSharedAcrossEntries() throws {
        let zipURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/archive/www.msit.example/bbs/download.do?atchFileId=FILE_000000000812010&fileSn=1")
        let data = try Data(contentsOf: zipURL)
        var limits = DocumentLimits()
        limits.maxTotalBytes = 8_000  // the DOCX fits, the PDF after it does not
        let x = try ZIPBundleExtractor().extract(data, name: "bundle.zip", context: ExtractionContext(limits: limits))
        #expect(x.members.contains { $0.error?.code == .tooLarge }, "\(x.members.map { ($0.name, $0.error?.code.rawValue ?? "ok") })")
    }

    @Test func notAZipIsDamaged() {
        #expect(throws: DocumentError.self) { try ZipArchive.open(Data("hello".utf8), name: "x.docx") }
        do { _ = try DocumentExtractors.extract(Data("plain words".utf8), name: "x.docx", context: ExtractionContext()) } catch let e as DocumentError {
            #expect(e.code == .damaged && e.message.contains("x.docx"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func plainTextInItsEncoding() {
        #expect(PlainTextExtractor.decode(Data([0xC7, 0xD1, 0xB1, 0xDB])) == "한글")                 // CP949
        #expect(PlainTextExtractor.decode(Data([0xFF, 0xFE, 0x5C, 0xD5, 0x00, 0xAE])) == "한글")     // UTF-16LE with BOM
        #expect(PlainTextExtractor.decode(Data([0xEF, 0xBB, 0xBF]) + Data("text".utf8)) == "text")  // UTF-8 BOM dropped
    }

    @Test func sniffing() {
        #expect(FormatSniffer.sniff(Data("{\\rtf1 x}".utf8), filename: "a.bin") == .rtf)
        #expect(FormatSniffer.sniff(Data("HWP Document File V3.00 \u{1A}".utf8), filename: "a.hwp") == .hwp3)
        #expect(FormatSniffer.sniff(Data([0x89, 0x50, 0x4E, 0x47, 0x0D]), filename: "scan") == .image)
        #expect(FormatSniffer.sniff(Data([0x50, 0x4B, 0x03, 0x04]) + Data("mimetypeapplication/hwp+zip".utf8), filename: "x") == .hwpx)
        #expect(FormatSniffer.sniff(Data("id,name\n1,a\n".utf8), filename: "download.do") == .text)
        #expect(FormatSniffer.sniff(Data([0x00, 0x01, 0x02, 0xFF]), filename: "blob.bin") == .unknown)
    }
}

@Suite struct MarkupTests {
    @Test func notesFollowTheirParagraphAndCellsAreParagraphs() throws {
        let xml = """
        <sec><p><run><t>Before</t><ctrl><footNote><subList><p><run><t>the note</t></run></p></subList></footNote></ctrl><t> after.</t></run></p>\
        <p><run><tbl><tr><tc><subList><p><run><t>A1</t></run></p></subList></tc><tc><subList><p><run><t>B1</t></run></p></subList></tc></tr></tbl></run></p>\
        <p><run><t>tab<tab/>bed<lineBreak/>line</t></run></p></sec>
        """
        var builder = TextBuilder()
        var comments: [String] = []
        try MarkupText.extract(Data(xml.utf8), name: "section0.xml", rules: HWPXExtractor.rules, into: &builder, comments: &comments)
        #expect(builder.finish() == "Before after.\nthe note\nA1\nB1\ntab\tbed\nline")
    }

    @Test func malformedXMLIsDamaged() {
        var builder = TextBuilder()
        var comments: [String] = []
        #expect(throws: DocumentError.self) {
            try MarkupText.extract(Data("<a><b>text</a>".utf8), name: "x.xml", rules: HWPXExtractor.rules, into: &builder, comments: &comments)
        }
    }

    @Test func entitiesAreNotExpanded() throws {
        let xml = #"<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]><p><t>x&e;y</t></p>"#
        var builder = TextBuilder()
        var comments: [String] = []
        try? MarkupText.extract(Data(xml.utf8), name: "x.xml", rules: HWPXExtractor.rules, into: &builder, comments: &comments)
        #expect(!builder.finish().contains("root:"))
    }
}

@Suite struct HWPRecordTests {
    @Test func controlsInParagraphText() {
        // "가" tab(8 units) "나" extended control(8 units) "다" para-end
        var units: [UInt16] = [0xAC00, 9, 0, 0, 0, 0, 0, 0, 9, 0xB098, 11, 0x6C62, 0x7420, 0, 0, 0, 0, 11, 0xB2E4, 13]
        let data = Data(bytes: &units, count: units.count * 2)
        var builder = TextBuilder()
        data.withUnsafeBytes { HWPRecords.appendParagraphText($0, into: &builder) }
        #expect(builder.finish() == "가\t나다")
    }

    @Test func oversizedRecordIsRefused() {
        var header = UInt32(67) | (0xFFF << 20)
        var size = UInt32(0x7FFF_FFF0)
        var data = Data(bytes: &header, count: 4)
        data.append(Data(bytes: &size, count: 4))
        var builder = TextBuilder()
        #expect(throws: DocumentError.self) {
            try HWPRecords.readText(data, name: "Section0", limits: DocumentLimits(), into: &builder)
        }
    }
}
