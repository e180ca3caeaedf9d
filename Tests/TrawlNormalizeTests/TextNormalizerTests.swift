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

    @Test func everyScalarTheFastPathTrustsIsStableUnderNFC() {
        // Alone, after a letter, after "=" (which U+0338 composes with) and after a leading
        // jamo: NFC changes none of them, and none has a combining class.
        var unstable: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(value), TextNormalizer.isSurelyNFC(u), u.properties.generalCategory != .unassigned else { continue }
            let alone = String(u)
            let changed = [alone, "a" + alone, "=" + alone, "\u{1100}" + alone].contains {
                Array($0.precomposedStringWithCanonicalMapping.unicodeScalars) != Array($0.unicodeScalars)
            }
            if changed || u.properties.canonicalCombiningClass.rawValue != 0 { unstable.append(String(value, radix: 16)) }
        }
        #expect(unstable.isEmpty, "NFC changes U+\(unstable.prefix(10).joined(separator: ", U+"))")
        #expect(TextNormalizer.isSurelyNFC("○ 추진 배경 □ 1∼2월 ※ ① ㅇ ㈜ ㎡ → ─"))
    }

    @Test func theWhiteSpaceListIsUnicodesProperty() {
        var wrong: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(value), u.isWhitespaceFast != u.properties.isWhitespace else { continue }
            wrong.append(String(value, radix: 16))
        }
        #expect(wrong.isEmpty, "White_Space differs at U+\(wrong.joined(separator: ", U+"))")
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
