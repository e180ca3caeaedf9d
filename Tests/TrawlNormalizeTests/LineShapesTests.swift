import Foundation
import Testing
import TrawlDedup
@testable import TrawlNormalize

/// The scalar matchers must say exactly what the regular expressions they replaced said.
@Suite struct LineShapesTests {
    static let itemPattern = #"^(\(?\d{1,2}[.)]|[a-z][.)]|[가-하][.)]|[①-⑳]|[ⅰ-ⅹⅠ-Ⅹ][.)]?)\s"#
    static let pagePatterns = [#"^[-–—\s]*\d{1,4}[-–—\s]*$"#, #"^(page|seite|p\.|pág\.?)\s*\d{1,4}(\s*(of|von|/|de)\s*\d{1,4})?$"#,
                               #"^\d{1,4}\s*/\s*\d{1,4}$"#, #"^-\s*\d{1,4}\s*-$"#, #"^\d{1,4}\s*쪽$"#, #"^[ivxlc]{1,6}$"#]

    static func regexSaysItem(_ s: String) -> Bool { s.range(of: itemPattern, options: .regularExpression) != nil }
    static func regexSaysPage(_ s: String) -> Bool {
        pagePatterns.contains { s.range(of: $0, options: [.regularExpression, .caseInsensitive]) != nil }
    }

    /// Lines built from the pieces the patterns care about, in every short combination a
    /// seeded generator reaches, plus hand-picked ones.
    static func lines(count: Int) -> [String] {
        let pieces = ["1", "12", "123", "12345", "٣", "３", "(", ")", ".", " ", "\u{00A0}", "\t", "-", "–", "—", "/", "a", "z", "A",
                      "가", "하", "힣", "①", "⑳", "ⅱ", "Ⅹ", "x", "iv", "page", "Page", "SEITE", "p.", "pág", "pág.", "PÁG", "of",
                      "von", "de", "쪽", "word", "•"]
        var generator = SplitMix64(seed: 7)
        var out = ["1. Item", "(2) item", "a) x", "가. 항목", "③ 셋째", "ⅱ item", "Ⅲ. x", "12) x", "123. x", "- 3 -", "Page 3 of 10",
                   "Seite 4 von 12", "p. 7", "pág. 3 de 9", "3 / 10", "12쪽", "xiv", "iiiiiii", "", " ", "A) x", "(1 x", "1.x"]
        for _ in 0..<count {
            let n = Int.random(in: 1...5, using: &generator)
            out.append((0..<n).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        return out
    }

    @Test func numberedItemsMatchTheirRegularExpression() {
        for line in Self.lines(count: 4000) {
            #expect(LineShapes.startsNumberedItem(line) == Self.regexSaysItem(line), "item shape of \(line.debugDescription)")
        }
    }

    @Test func pageNumbersMatchTheirRegularExpressions() {
        for line in Self.lines(count: 4000) {
            #expect(LineShapes.isPageNumber(line) == Self.regexSaysPage(line), "page-number shape of \(line.debugDescription)")
        }
    }
}
