import Testing
@testable import TrawlNormalize

@Suite struct PDFTextCleanerTests {
    let cleaner = PDFTextCleaner()

    @Test func theVocabularyIsEveryWordOfTwoLettersLowerCased() {
        // The plain definition, scalar by scalar, against the cleaner's one-piece cut.
        func reference(_ text: String) -> Set<String> {
            var out = Set<String>(), word = ""
            for u in text.unicodeScalars {
                if PDFTextCleaner.isLetter(u) { word.unicodeScalars.append(u); continue }
                if word.unicodeScalars.count >= 2 { out.insert(word.lowercased()) }
                word = ""
            }
            if word.unicodeScalars.count >= 2 { out.insert(word.lowercased()) }
            return out
        }
        let texts = ["탄소중립기본계획을 수립한다. Carbon-Neutral Plan, 2024", "Ärger über Straße ÉTÉ Ǆemal ΣΊΣΥΦΟΣ a B cd",
                     "日本語のテキスト カタカナ ｶﾀｶﾅ ÀB", "x", "", "  trailing Wörter", "Cafe\u{301} naïve ǅ"]
        for text in texts { #expect(PDFTextCleaner.words(in: text) == reference(text), "\(text)") }
    }

    @Test func hangulPrefixesAreTheProperPrefixesOfTwoLettersOrMore() {
        #expect(PDFTextCleaner.hangulPrefixes(of: ["탄소중립", "국가", "ab", "carbon", "가"]) == ["탄소", "탄소중"])
    }

    @Test func theUpperCaseShortcutIsUnicodesProperty() {
        var wrong: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(value), PDFTextCleaner.isUppercase(u) != u.properties.isUppercase else { continue }
            wrong.append(String(value, radix: 16))
        }
        #expect(wrong.isEmpty, "Uppercase differs at U+\(wrong.prefix(10).joined(separator: ", U+"))")
    }

    @Test func linesOfAParagraphAreJoinedAndParagraphsKept() {
        let page = """
        The Ministry of Science and ICT announced on January 30 that the
        2024 national research and development budget will be allocated
        across 1,142 programmes.

        Support for basic research continues.
        """
        #expect(cleaner.clean(pages: [page]) == ["The Ministry of Science and ICT announced on January 30 that the 2024 national research and development budget will be allocated across 1,142 programmes.\n\nSupport for basic research continues."])
    }

    @Test func aTitleCaseHeadingEndsItsParagraph() {
        let page = "The Korea Aerospace Administration and NASA Initiate Space Cooperation\nVice Minister Cho visited NASA Headquarters and the Jet Propulsion Laboratory on January 23, 2024,\nand both sides agreed to seek more cooperation."
        #expect(cleaner.clean(pages: [page]) == ["The Korea Aerospace Administration and NASA Initiate Space Cooperation\nVice Minister Cho visited NASA Headquarters and the Jet Propulsion Laboratory on January 23, 2024, and both sides agreed to seek more cooperation."])
    }

    @Test func lineEndHyphensJoinRealWordsOnly() {
        let page = """
        The committee reviewed the exam-
        ple given in the annual report, which is a well-
        known case, and the Baden-
        Württemberg programme. Another example follows here.
        """
        let out = cleaner.clean(pages: [page])[0]
        #expect(out.contains("the example given"))
        #expect(out.contains("a well-known case"))
        #expect(out.contains("Baden-Württemberg"))
    }

    @Test func germanCompoundsAndWordsAreNotBroken() {
        let page = "Die Bundesregierung fördert den Klima-\nschutz in Städten und Gemeinden mit einem neuen Programm für den Klimaschutz."
        #expect(cleaner.clean(pages: [page])[0].contains("den Klimaschutz in Städten"))
    }

    @Test func runningHeadersFootersAndPageNumbersGo() {
        let pages = (1...4).map { n in
            ["MSIT Press Release 2024", "Section \(n) of the plan sets out the work.", "Item \(n * 3) is funded this year.",
             "The review of part \(n) follows.", "Contact for part \(n): +82-44-202-46\(n)0.", "Page \(n) of 4"].joined(separator: "\n")
        }
        let out = cleaner.clean(pages: pages)
        #expect(out.allSatisfy { !$0.contains("MSIT Press Release") && !$0.contains("Page ") }, "\(out)")
        #expect(out.enumerated().allSatisfy { $1.hasPrefix("Section \($0 + 1) of the plan") && $1.hasSuffix("46\($0 + 1)0.") }, "\(out)")
        // A lone page number at the foot of a page goes too.
        #expect(cleaner.clean(pages: ["Short note.\n\n- 3 -"]) == ["Short note."])
    }

    @Test func aHeaderOnFewerPagesStays() {
        let pages = ["Annex A\nFirst page text.", "Second page text.", "Third page text."]
        #expect(cleaner.clean(pages: pages)[0].hasPrefix("Annex A"))
    }

    @Test func ligaturesAndHalfWidthFormsAreNormalised() {
        #expect(cleaner.clean(pages: ["ﬁnancial eﬀects of the ﬂood"]) == ["financial effects of the flood"])
        #expect(cleaner.clean(pages: ["ｶﾀｶﾅ"]) == ["カタカナ"])
        #expect(cleaner.clean(pages: ["ﾾￂ"]) == ["ㅎㅏ"])
    }

    @Test func koreanJapaneseAndArabicTextIsLeftAsWritten() {
        let korean = "정부는 2027년까지 총 8,262억 원을 투자한다."
        let japanese = "子どもへの虐待をなくすための法律ができました。"
        let arabic = "أعلنت الوزارة عن خطة جديدة للبحث العلمي."
        #expect(cleaner.clean(pages: [korean, japanese, arabic]) == [korean, japanese, arabic])
        // Japanese lines of one paragraph join without a space.
        #expect(cleaner.clean(pages: ["子どもへの虐待をなくすための法律が\nできました。"]) == ["子どもへの虐待をなくすための法律ができました。"])
    }

    @Test func koreanWordsBrokenAcrossLinesAreRejoined() {
        let page = """
        이 법은 탄소중립기본계획을 수립하도록 하고, 탄소중
        립기본계획 및 주요 정책을 심의하며 모든 국민의 민주적 참여와 민주
        적 절차를 보장하며 정책 결정 과정의 투명성을 높이도록 하고 위원
        위촉에 있어 다양한 계층의 의견을 듣도록 규정하고 있음.
        """
        let out = cleaner.clean(pages: [page])[0]
        #expect(out.contains("탄소중립기본계획 및 주요 정책"), "\(out)")
        #expect(out.contains("민주적 절차"), "\(out)")
        #expect(out.contains("위원 위촉에"), "a break between words keeps its space: \(out)")
    }

    @Test func bulletsAndNumberedItemsStayOnTheirLines() {
        let page = "Areas for long-term cooperation\n• Lunar rover and lunar communication network.\n• Deep space network.\n1) 자기소개 부탁드립니다.\n2) 연락처를 적어 주세요."
        let out = cleaner.clean(pages: [page])[0]
        #expect(out.split(separator: "\n").count == 5, "\(out)")
    }
}
