import Foundation
import Testing
@testable import TrawlPDF

@Suite struct PDFMetadataCleanerTests {
    func extraction(title: String? = nil, author: String? = nil, producer: String? = nil, creator: String? = nil,
                    created: String? = nil, xmp: String? = nil, firstPage: String = "") -> PDFExtraction {
        PDFExtraction(pages: [firstPage], pageCount: 1, version: "1.7",
                      info: PDFInfo(title: title, author: author, creator: creator, producer: producer, created: created),
                      xmp: xmp, encrypted: false, formFields: [], annotations: [])
    }

    @Test(arguments: ["Microsoft Word - 보도자료(최종).docx", "untitled", "Untitled-1", "제목 없음", "Document1", "보도자료_최종.hwp", "2024", "Acrobat PDFMaker 11 for Word"])
    func junkTitlesAreDropped(title: String) {
        let r = PDFMetadataCleaner().clean(extraction(title: title))
        #expect(r.info.title == nil, "\(title) was kept")
    }

    @Test func aProducerInTheTitleFieldIsDropped() {
        #expect(PDFMetadataCleaner().clean(extraction(title: "Hancom PDF 1.3.0.547", producer: "Hancom PDF 1.3.0.547")).info.title == nil)
    }

    @Test func xmpThenFirstPageStandIn() {
        let xmp = #"<x:xmpmeta><rdf:RDF><rdf:Description xmp:CreateDate="2024-01-25T10:00:00+09:00"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">인공지능 반도체 육성 전략</rdf:li></rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta>"#
        let r = PDFMetadataCleaner().clean(extraction(title: "untitled", xmp: xmp))
        #expect(r.info.title == "인공지능 반도체 육성 전략")
        #expect(r.provenance["title"] == "xmp")
        #expect(r.info.created == "2024-01-25T10:00:00+09:00" && r.provenance["created"] == "xmp")
        let p = PDFMetadataCleaner().clean(extraction(title: "Document1", firstPage: "보도자료\n2024. 1. 25.\n인공지능 반도체 산업 육성 전략 발표\n본문"))
        #expect(p.info.title == "인공지능 반도체 산업 육성 전략 발표" && p.provenance["title"] == "first-page")
    }

    @Test func impossibleDatesAndDefaultAuthorsAreDropped() {
        let r = PDFMetadataCleaner().clean(extraction(title: "Budget Plan 2024", author: "Administrator", created: "1904-01-01T00:00:00Z"))
        #expect(r.info.title == "Budget Plan 2024" && r.provenance["title"] == "info")
        #expect(r.info.author == nil && r.info.created == nil)
        #expect(PDFMetadataCleaner().clean(extraction(created: "2999-01-01T00:00:00Z")).info.created == nil)
        #expect(PDFMetadataCleaner().clean(extraction(author: "과학기술정보통신부", created: "2024-01-25T10:00:00+09:00")).info.author == "과학기술정보통신부")
    }
}
