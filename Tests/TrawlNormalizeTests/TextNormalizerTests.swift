import Foundation
import Testing
@testable import TrawlNormalize

@Suite struct TextNormalizerTests {
    let n = TextNormalizer()

    @Test func composesHangulAndLatinToNFC() {
        // 한 written as conjoining jamo (U+1112 U+1161 U+11AB) becomes the syllable U+D55C.
        #expect(n.normalize("\u{1112}\u{1161}\u{11AB}국") == "한국")
        #expect(n.normalize("Cafe\u{0301}") == "Café")
    }

    @Test func theNFCFastPathNeverSkipsWhatNFCWouldChange() {
        // Singletons and marks outside the fast path's ranges are still normalised.
        #expect(n.normalize("\u{2126}") == "\u{03A9}")           // OHM SIGN → GREEK CAPITAL OMEGA
        #expect(n.normalize("\u{212B}ngstr\u{00F6}m") == "\u{00C5}ngstr\u{00F6}m")
        #expect(n.normalize("\u{304B}\u{3099}") == "\u{304C}")    // か + voicing mark → が
        #expect(n.normalize("\u{0438}\u{0306}") == "\u{0439}")    // и + breve → й
        #expect(n.normalize("e\u{0301}t\u{00E9} \u{AC00}\u{11A8}") == "\u{00E9}t\u{00E9} \u{AC01}")
        // Text inside the ranges is already NFC and comes back as it was.
        let stable = "Résumé — “quoted” 20 €, Ђ, ể, 한국어, 日本語のテキスト、ＡＢＣ"
        #expect(TextNormalizer.isSurelyNFC(stable))
        #expect(n.normalize(stable) == stable)
        #expect(stable == stable.precomposedStringWithCanonicalMapping)
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
