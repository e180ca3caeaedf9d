import Foundation
import Testing
@testable import TrawlDocuments

/// The Korean acceptance set: korea.kr distribution HWPX, Hancom's own distribution HWP, and
/// government HWP documents.
@Suite struct HancomCorpusTests {
    func extract(_ url: URL) throws -> DocumentExtraction {
        try DocumentExtractors.extract(try Data(contentsOf: url), name: url.lastPathComponent, context: ExtractionContext())
    }

    /// Hangul syllables the corpus MANIFEST measured after decrypting each korea.kr file.
    static let koreaKR: [String: Int] = [
        "korea-156742140.hwpx": 18_095, "korea-156742677.hwpx": 7_030, "korea-156745446.hwpx": 8_750,
        "korea-156747079.hwpx": 16_186, "korea-156747531.hwpx": 7_039,
    ]

    @Test func koreaKRDistributionHWPXYieldsItsText() throws {
        guard let root = Corpus.rootOrSkip("koreaKRDistributionHWPXYieldsItsText") else { return }
        for (file, expected) in Self.koreaKR.sorted(by: { $0.key < $1.key }) {
            let x = try extract(root.appendingPathComponent("press-releases/korea-kr-attachments/\(file)"))
            let got = x.text.hangulSyllables
            let off = abs(Double(got - expected)) / Double(expected)
            print("\(file): \(got) Hangul syllables (MANIFEST \(expected), off by \(String(format: "%.3f", off * 100))%)")
            #expect(off <= 0.005, "\(file): \(got) Hangul syllables, MANIFEST says \(expected)")
            #expect(x.format == .hwpx && x.encrypted && x.distribution == true, "\(file): should be read as a decrypted distribution HWPX")
        }
    }

    @Test func encryptedHWPXMatchesItsDecryptedTwin() throws {
        guard let root = Corpus.rootOrSkip("encryptedHWPXMatchesItsDecryptedTwin") else { return }
        let encrypted = try extract(root.appendingPathComponent("press-releases/korean-hwp/encrypted-sample.hwpx"))
        let plain = try extract(root.appendingPathComponent("press-releases/korean-hwp/decrypted-sample.hwpx"))
        #expect(!plain.text.isEmpty)
        #expect(encrypted.text == plain.text, "encrypted: \(encrypted.text.debugDescription) decrypted: \(plain.text.debugDescription)")
        #expect(encrypted.distribution == true && plain.distribution == false)
    }

    @Test func distributionHWPYieldsTheSpecificationNotTheNotice() throws {
        guard let root = Corpus.rootOrSkip("distributionHWPYieldsTheSpecificationNotTheNotice") else { return }
        let x = try extract(root.appendingPathComponent("press-releases/korean-hwp/한글문서파일형식_5.0_revision1.3.hwp"))
        #expect(x.distribution == true)
        #expect(x.text.contains("HWPTAG_PARA_TEXT"), "the HWP 5.0 specification's text should name HWPTAG_PARA_TEXT")
        #expect(x.text.hangulSyllables > 10_000, "only \(x.text.hangulSyllables) Hangul syllables")
        let tika = try extract(root.appendingPathComponent("attachments/tika/testHWP-v5-dist.hwp"))
        #expect(tika.distribution == true && tika.text.hangulSyllables > 10, "Tika's distribution HWP: \(tika.text.prefix(200))")
    }

    @Test func everyKoreanFileYieldsText() throws {
        guard Corpus.rootOrSkip("everyKoreanFileYieldsText") != nil else { return }
        let files = Corpus.files(in: "press-releases/korean-hwp") + Corpus.files(in: "press-releases/korea-kr-attachments")
        #expect(files.count >= 11)
        for url in files {
            let x = try extract(url)
            print("\(url.lastPathComponent): \(x.format.rawValue), \(x.parts) parts, \(x.text.count) chars, \(x.text.hangulSyllables) Hangul")
            #expect(x.text.hangulSyllables > 0, "\(url.lastPathComponent) yielded no Hangul")
        }
    }

    @Test func hwpTablesAndMetadata() throws {
        guard let root = Corpus.rootOrSkip("hwpTablesAndMetadata") else { return }
        let x = try extract(root.appendingPathComponent("press-releases/korean-hwp/디지털 정부혁신 추진계획.hwp"))
        #expect(x.text.contains("디지털 정부혁신 추진계획"))
        #expect(x.distribution == false && !x.encrypted)
        // The weekly report's form is a table: its cell labels must be in the text.
        let report = try extract(root.appendingPathComponent("press-releases/korean-hwp/work_report.hwp"))
        for label in ["부서명", "금주 진행업무", "완결여부"] {
            #expect(report.text.contains(label), "work_report.hwp lacks the table cell \(label)")
        }
    }

    @Test func hwp3IsAClearUnsupportedFormat() throws {
        guard let root = Corpus.rootOrSkip("hwp3IsAClearUnsupportedFormat") else { return }
        #expect(throws: DocumentError.self) { try extract(root.appendingPathComponent("attachments/tika/testHWP_3.0.hwp")) }
        do { _ = try extract(root.appendingPathComponent("attachments/tika/testHWP_3.0.hwp")) } catch let e as DocumentError {
            #expect(e.code == .unsupportedFormat && e.message.contains("HWP 3"), "\(e)")
        }
    }
}
