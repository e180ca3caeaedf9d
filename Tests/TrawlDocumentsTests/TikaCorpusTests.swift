import Foundation
import Testing
@testable import TrawlDocuments

/// Apache Tika's test documents, checked against what Tika's own tests assert for each one
/// (`OOXMLParserTest`, `ODFParserTest`, `RTFParserTest`), compared with white space collapsed
/// as Tika's assertions are written.
@Suite struct TikaCorpusTests {
    /// file → strings Tika's tests assert are in the text.
    static let expected: [String: [String]] = [
        "testEXCEL.xlsx": ["Sample Excel Worksheet", "Numbers and their Squares", "196"],
        "testEXCEL-formats.xlsx": ["1,599.99", "-1,599.99", "$1,599.99", "($1,599.99)", "1.98E+08", "-1.98E+08", "2.50%", "3%",
                                   "6:15", "18:15", "17-May-07", "2 1/2"],
        "testEXCEL_headers_footers.xlsx": ["John Smith1", "John Smith50", "1 Corporate HQ", "Header - Corporate Spreadsheet",
                                           "Header - For Internal Use Only", "Header - Author: John Smith",
                                           "Footer - Corporate Spreadsheet", "Footer - For Internal Use Only", "Footer - Author: John Smith"],
        "testEXCEL_textbox.xlsx": ["some autoshape"],
        "testPPT.pptx": ["Attachment Test", "This is a test file data with the same content", "content parsing",
                         "Different words to test against", "Mystery"],
        "testPPT_various.pptx": ["Footnote appears here", "This is a footnote.", "Here is a text box", "Bold",
                                 "italic underline superscript subscript", "Here is a citation:", "Figure 1 This is a caption for Figure 1",
                                 "(Kramer)", "Row 1 Col 1", "Row 2 Col 3", "Row 1 column 1", "Row 2 column 2", "This is a hyperlink",
                                 "Here is a list:", "Bullet 1", "Bullet 3", "Number bullet 2", "Keyword1 Keyword2", "Subject is here",
                                 "Suddenly some Japanese text:", "\u{ff08}\u{ff27}\u{ff28}\u{ff31}\u{ff09}",
                                 "\u{30be}\u{30eb}\u{30b2}\u{3068}\u{5c3e}\u{5d0e}\u{3001}\u{6de1}\u{3005}\u{3068}\u{6700}\u{671f}",
                                 "And then some Gothic text:", "\u{10332}\u{1033f}\u{10344}\u{10339}\u{10343}\u{1033a}"],
        "testPPT_masterFooter.pptx": ["Master footer is here"],
        "testPPT_masterText.pptx": ["Text that I added to the master slide"],
        "testPPT_masterText2.pptx": ["Text that I added to the master slide"],
        "testPPT_autodate.pptx": ["Now", "2011-12-19 10:20:04 AM"],
        "testPPTX_Thumbnail.pptx": ["This file contains an embedded thumbnail"],
        "testWORD.docx": ["Sample Word Document"],
        "testWORD_various.docx": ["Footnote appears here", "This is a footnote.", "This is the header text.", "This is the footer text.",
                                  "Here is a text box", "Bold", "italic", "underline", "superscript", "subscript", "Here is a citation:",
                                  "Figure 1 This is a caption for Figure 1", "(Kramer)",
                                  "Row 1 Col 1 Row 1 Col 2 Row 1 Col 3 Row 2 Col 1 Row 2 Col 2 Row 2 Col 3",
                                  "Row 1 column 1 Row 2 column 1 Row 1 column 2 Row 2 column 2", "This is a hyperlink", "Here is a list:",
                                  "Bullet 1", "Bullet 2", "Bullet 3", "Here is a numbered list:", "Number bullet 1", "Number bullet 3",
                                  "Keyword1 Keyword2", "Subject is here", "Suddenly some Japanese text:",
                                  "\u{ff08}\u{ff27}\u{ff28}\u{ff31}\u{ff09}",
                                  "\u{30be}\u{30eb}\u{30b2}\u{3068}\u{5c3e}\u{5d0e}\u{3001}\u{6de1}\u{3005}\u{3068}\u{6700}\u{671f}",
                                  "And then some Gothic text:", "\u{10332}\u{1033f}\u{10344}\u{10339}\u{10343}\u{1033a}"],
        "testWORD_null_style.docx": ["Test av styrt dokument"],
        // OOXMLParserTest.testDOCXParagraphNumbering and testDOCXOverrideParagraphNumbering.
        "testWORD_numbered_list.docx": ["1) This", "a) Is", "i) A multi", "ii) Level", "1. Within cell 1", "b. Cell b", "iii) List",
                                        "2) foo", "ii) baz", "ii) foo", "II. bar", "6. six", "7. seven", "a. seven a", "e. seven e",
                                        "2. A ii 2", "3. page break list 3", "Some-1-CrazyFormat Greek numbering with crazy format - alpha",
                                        "1.1.1. 1.1.1", "1.1. 1.2->1.1 //set the value"],
        "testWORD_override_list_numbering.docx": ["(1)) (1))", "2.17 2.17", "2.18.2.1 2.18.2.1", "2 2", "1 1", "A A", "B B", "C C",
                                                  "4 4", "00 00", "01 01", "01. 01.", "01..1 01..1", "02 02"],
        "testWORD_no_format.docx": ["This is a piece of text that causes an exception"],
        "testWORD_text_box.docx": ["This text is directly in the body of the document.",
                                   "This text is inside of a text box in the body of the document.",
                                   "This text is inside of a text box in the header of the document.",
                                   "This text is inside of a text box in the footer of the document."],
        "testWORD_sdtInTextBox.docx": ["rich-text-content-control_inside-text-box"],
        "testWORD_missing_text.docx": ["BigCompany", "Seasoned", "Rich_text_in_cell"],
        "testWORD_embedded_pdf.docx": ["Here is the pdf file:", "Bye Bye", "Bye for real."],
        "testODFwithOOo3.odt": ["Tika is part of the Lucene project.", "Solr", "one embedded", "Rectangle Title",
                                "a blue background and dark border"],
        "testOpenOffice2.odt": ["This is a sample Open Office document, written in NeoOffice 2.2.1 for the Mac."],
        "testMasterFooter.odp": ["Master footer is here"],
        "testFooter.odt": ["Here is some text...", "Here is some text on page 2", "Here is footer text"],
        "testFooter.ods": ["Here is a footer in the center area"],
        // RTFParserTest.
        "testRTF.rtf": ["Test", "indexation Word"],
        "testRTFTableCellSeparation.rtf": ["a b c d \u{E4} \u{EB} \u{F6} \u{FC}"],
        "testRTFWord2010CzechCharacters.rtf": ["\u{10C}l\u{E1}nek t\u{FD}dne", "starov\u{11B}k\u{E9} \u{17E}idovsk\u{E9} n\u{E1}bo\u{17E}ensk\u{E9} texty"],
        "testRTF-ms932.rtf": ["\u{3053}\u{3093}\u{306b}\u{3061}\u{306f}"],
        "testRTFJapanese.rtf": ["\u{ff08}\u{ff27}\u{ff28}\u{ff31}\u{ff09}", "\u{6771}\u{4eac}\u{90fd}\u{4e09}\u{9df9}\u{5e02}"],
        "testRTFVarious.rtf": ["Footnote appears here", "This is a footnote.", "This is the header text.", "This is the footer text.",
                               "Here is a text box", "Bold", "italic", "underline", "superscript", "subscript", "Here is a citation:",
                               "Figure 1 This is a caption for Figure 1", "(Kramer)",
                               "Row 1 Col 1 Row 1 Col 2 Row 1 Col 3 Row 2 Col 1 Row 2 Col 2 Row 2 Col 3",
                               "Row 1 column 1 Row 2 column 1 Row 1 column 2 Row 2 column 2", "This is a hyperlink", "Here is a list:",
                               "Bullet 1", "Bullet 3", "Here is a numbered list:", "Number bullet 2", "Keyword1 Keyword2", "Subject is here",
                               "Suddenly some Japanese text:", "\u{ff08}\u{ff27}\u{ff28}\u{ff31}\u{ff09}",
                               "\u{30be}\u{30eb}\u{30b2}\u{3068}\u{5c3e}\u{5d0e}\u{3001}\u{6de1}\u{3005}\u{3068}\u{6700}\u{671f}",
                               "And then some Gothic text:", "\u{10332}\u{1033f}\u{10344}\u{10339}\u{10343}\u{1033a}"],
    ]

    /// Strings that must not be there (Tika's `assertNotContained`).
    static let unexpected: [String: [String]] = [
        "testEXCEL.xlsx": ["9.0", "196.0"],
        "testWORD_various.docx": ["ita ", "unde "],
    ]

    /// Tika's metadata assertions (title / author / dates).
    static let metadata: [String: (title: String?, author: String?, created: String?)] = [
        "testEXCEL.xlsx": ("Simple Excel document", "Keith Bennett", nil),
        "testEXCEL_headers_footers.xlsx": ("Internal spreadsheet", "Aeham Abushwashi", nil),
        "testPPT.pptx": ("Attachment Test", "Rajiv", nil),
        "testWORD.docx": ("Sample Word Document", "Keith Bennett", nil),
        "testWORD_custom_props.docx": ("My Title", "EJ04325S", "2011-07-29T16:52:00Z"),
        "testPPT_custom_props.pptx": ("Test extraction properties pptx", "JOUVIN ETIENNE", "2011-08-22T13:30:53Z"),
        "testEXCEL_custom_props.xlsx": (nil, nil, "2006-09-12T15:06:44Z"),
        "testODFwithOOo3.odt": ("Apache Tika", "Bart Hanssens", "2009-10-05T19:04:01"),
        "testOpenOffice2.odt": (nil, nil, "2007-09-14T11:06:08"),
        "testRTF-ms932.rtf": ("\u{30bf}\u{30a4}\u{30c8}\u{30eb}", nil, nil),
        "testRTFJapanese.rtf": ("\u{30be}\u{30eb}\u{30b2}\u{3068}\u{5c3e}\u{5d0e}\u{3001}\u{6de1}\u{3005}\u{3068}\u{6700}\u{671f}", "VMazel", nil),
    ]

    static func collapse(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace || $0 == "\u{0C}" }).joined(separator: " ")
    }

    func extract(_ name: String, root: URL) throws -> DocumentExtraction {
        let url = root.appendingPathComponent("attachments/tika/\(name)")
        return try DocumentExtractors.extract(try Data(contentsOf: url), name: name, context: ExtractionContext())
    }

    @Test func tikaAssertedStringsArePresent() throws {
        guard let root = Corpus.rootOrSkip("tikaAssertedStringsArePresent") else { return }
        var missing: [String] = []
        var checked = 0
        for (file, strings) in Self.expected.sorted(by: { $0.key < $1.key }) {
            let x = try extract(file, root: root)
            let text = Self.collapse(x.text + " " + x.comments.joined(separator: " "))
            for s in strings {
                checked += 1
                if !text.contains(Self.collapse(s)) { missing.append("\(file): \(s.debugDescription)") }
            }
            for s in Self.unexpected[file] ?? [] where text.contains(s) { missing.append("\(file): must not contain \(s.debugDescription)") }
        }
        print("Tika assertions: \(checked - missing.count) of \(checked) strings found")
        #expect(missing.isEmpty, "missing:\n\(missing.joined(separator: "\n"))")
    }

    @Test func tikaAssertedMetadata() throws {
        guard let root = Corpus.rootOrSkip("tikaAssertedMetadata") else { return }
        for (file, m) in Self.metadata.sorted(by: { $0.key < $1.key }) {
            let x = try extract(file, root: root)
            if let t = m.title { #expect(x.metadata.title == t, "\(file): title \(x.metadata.title ?? "nil")") }
            if let a = m.author { #expect(x.metadata.author == a, "\(file): author \(x.metadata.author ?? "nil")") }
            if let c = m.created { #expect(x.metadata.created == c, "\(file): created \(x.metadata.created ?? "nil")") }
        }
    }

    /// Every file either yields text or fails with the error its kind calls for.
    @Test func everyFileYieldsTextOrATypedError() throws {
        guard Corpus.rootOrSkip("everyFileYieldsTextOrATypedError") != nil else { return }
        let expectedErrors: [String: DocumentError.Code] = [
            "testEXCEL.xls": .unsupportedFormat, "testPPT.ppt": .unsupportedFormat, "testWORD.doc": .unsupportedFormat,
            "testHWP_3.0.hwp": .unsupportedFormat, "testODTnotaZipFile.odt": .damaged,
            "testODTEncrypted.odt": .encrypted, "testWORD_protected_passtika.docx": .encrypted,
            "testEXCEL_protected_passtika.xlsx": .encrypted, "testEXCEL_protected_passtika_2.xlsx": .encrypted,
            "testPPT_protected_passtika.pptx": .encrypted, "testWORD_truncated.docx": .damaged,
            "testZIP_corrupted_oom.zip": .damaged,
        ]
        var tally: [String: Int] = [:]
        var wrong: [String] = []
        for url in Corpus.files(in: "attachments/tika") {
            let name = url.lastPathComponent
            do {
                let x = try DocumentExtractors.extract(try Data(contentsOf: url), name: name, context: ExtractionContext())
                tally["ok", default: 0] += 1
                if let e = expectedErrors[name] { wrong.append("\(name): read, expected \(e.rawValue)") }
                // Documents that hold no text of their own: drawings only, an empty page, a
                // tracked move whose source is all there is.
                let empty: Set<String> = ["testODSMacro.ods", "testODPMacro.odp", "testWORD_multi_authors.docx",
                                          "testWORD_missing_ooxml_bean1.docx", "testODTEmbeddedImageLink.odt",
                                          "testPPT_embeddedMP3.pptx", "testOpenOfficeInAZip.zip",
                                          "testEXCEL_embeddedPDF_mac.xlsx", "testEXCEL_poi-61034.xlsx"]
                if x.text.isEmpty && x.members.allSatisfy({ $0.extraction?.text.isEmpty ?? true }) && !empty.contains(name) {
                    wrong.append("\(name): no text")
                }
            } catch let e as DocumentError {
                tally[e.code.rawValue, default: 0] += 1
                if expectedErrors[name] != e.code { wrong.append("\(name): \(e.code.rawValue) (\(e.message))") }
            }
        }
        print("Tika documents: \(tally.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
    }

    @Test func zipBundlesOpenTheirMembers() throws {
        guard let root = Corpus.rootOrSkip("zipBundlesOpenTheirMembers") else { return }
        let x = try extract("testOpenOfficeInAZip.zip", root: root)
        #expect(x.format == .zip)
        #expect(x.members.contains { $0.extraction?.format == .odp && $0.error == nil }, "\(x.members.map(\.name))")
        let sjis = try extract("testZipEntryNameCharsetShiftSJIS.zip", root: root)
        let names = sjis.members.map(\.name)
        #expect(names.contains { $0.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value) } },
                "Shift-JIS member names should decode to Japanese: \(names)")
    }

    @Test func rtfCodePagesAndUnicode() throws {
        guard let root = Corpus.rootOrSkip("rtfCodePagesAndUnicode") else { return }
        let jp = try extract("testRTFJapanese.rtf", root: root)
        #expect(jp.text.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) }, "\(jp.text.prefix(200))")
        let ms932 = try extract("testRTF-ms932.rtf", root: root)
        #expect(ms932.text.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) }, "\(ms932.text.prefix(200))")
        let czech = try extract("testRTFWord2010CzechCharacters.rtf", root: root)
        #expect(czech.text.contains("Ž") || czech.text.contains("ř"), "\(czech.text.prefix(200))")
        let plain = try extract("testRTF.rtf", root: root)
        #expect(!plain.text.isEmpty && !plain.text.contains("\\"), "\(plain.text.prefix(300))")
    }
}
