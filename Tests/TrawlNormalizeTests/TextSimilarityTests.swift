import Testing
import TrawlNormalize

@Suite struct TextSimilarityTests {
    @Test func identicalAfterWhitespaceIsOne() {
        #expect(TextSimilarity.similarity("a b\nc", "abc") == 1)
    }

    @Test func countsInsertionsAndDeletions() {
        // "kitten" → "sitting": 5 edits (2 substitutions = 4, 1 insertion) over 13 scalars.
        #expect(TextSimilarity.editDistance(Array("kitten".unicodeScalars.map(\.value)),
                                            Array("sitting".unicodeScalars.map(\.value)), maxD: 100) == 5)
        let s = TextSimilarity.similarity("kitten", "sitting", floor: 0)!
        #expect(abs(s - (1 - 5.0 / 13.0)) < 1e-9)
    }

    @Test func givesUpBelowTheFloor() {
        #expect(TextSimilarity.similarity("aaaaaaaaaa", "bbbbbbbbbb", floor: 0.5) == nil)
        #expect(TextSimilarity.similarity("", "") == 1)
    }

    @Test func ignoresBidiControls() {
        #expect(TextSimilarity.similarity("\u{202B}שלום\u{202C}", "שלום") == 1)
    }
}
