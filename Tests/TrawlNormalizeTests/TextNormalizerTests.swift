import Testing
import TrawlNormalize

@Suite struct TextNormalizerTests {
    let n = TextNormalizer()

    @Test func composesHangulAndLatinToNFC() {
        // 한 written as conjoining jamo (U+1112 U+1161 U+11AB) becomes the syllable U+D55C.
        #expect(n.normalize("\u{1112}\u{1161}\u{11AB}국") == "한국")
        #expect(n.normalize("Cafe\u{0301}") == "Café")
    }

    @Test func keepsCompatibilityCharactersThatCarryMeaning() {
        // NFC, not NFKC: full-width digits, ligatures and circled numbers are left for later
        // stages that know when folding is safe.
        #expect(n.normalize("①　２０２４") == "① ２０２４")
        #expect(n.normalize("ﬁle") == "ﬁle")
    }

    @Test func collapsesSpacesAndInvisibleCharacters() {
        #expect(n.normalize("a\u{00A0}\u{00A0}b\u{200B}c\u{FEFF}d\u{00AD}e") == "a bcde")
        #expect(n.normalize("  tab\t\tseparated  ") == "tab separated")
        #expect(n.normalize("bell\u{07}char") == "bellchar")
    }

    @Test func keepsJoinersThatShapeScripts() {
        let persian = "می\u{200C}خواهم"
        #expect(n.normalize(persian) == persian)
    }

    @Test func keepsParagraphBreaksAndCollapsesBlankRuns() {
        #expect(n.normalize("one\r\ntwo\n\n\n\nthree \n \n four") == "one\ntwo\n\nthree\n\nfour")
        #expect(n.normalize("\n\n lead and trail \n\n") == "lead and trail")
    }

    @Test func inlineFormJoinsLines() {
        #expect(n.normalizeInline(" Press\n Releases ") == "Press Releases")
    }

    @Test func leavesArabicAndJapaneseUntouched() {
        let arabic = "وزارة العلوم"
        let japanese = "報道発表資料"
        #expect(n.normalize(arabic) == arabic)
        #expect(n.normalize(japanese) == japanese)
    }
}
