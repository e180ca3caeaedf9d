import Foundation

/// Turns the line-by-line text of PDF pages into readable paragraphs without changing what
/// it says: running headers, footers and page numbers repeated across pages are removed,
/// ligatures expanded, half-width Katakana and Hangul widened, words hyphenated at a line
/// end joined when the joined word is the real one, and the lines of a paragraph joined.
public struct PDFTextCleaner: Sendable {
    public init() {}

    /// A PDF's page texts as a record's text: cleaned, normalised, and kept apart by a form
    /// feed on a line of its own.
    public func recordText(pages: [String]) -> String {
        let normalizer = TextNormalizer()
        return clean(pages: pages).map(normalizer.normalize).joined(separator: "\n\u{0C}\n")
    }

    /// Cleans each page; the result has as many pages as the input.
    public func clean(pages: [String]) -> [String] {
        let split = pages.map { page in Self.lines(of: page).map { Self.mapCharacters($0).trimmingSpaces() } }
        let furniture = repeatedEdgeLines(split)
        // Lines are separate words (as if joined by spaces).
        var vocabulary = Set<String>()
        for lines in split { for line in lines { Self.words(in: line, into: &vocabulary) } }
        let prefixes = Self.hangulPrefixes(of: vocabulary)
        return split.map { lines in
            // Only the first and last two lines with text can be running furniture.
            let texts = lines.indices.filter { !lines[$0].isEmpty }
            let edges = Set(texts.prefix(2) + texts.suffix(2))
            let kept = lines.enumerated().filter { (i, line) in
                !(edges.contains(i) && (furniture.contains(Self.shape(line)) || Self.isPageNumber(line)))
            }.map(\.element)
            return paragraphs(kept, vocabulary: vocabulary, hangulPrefixes: prefixes)
        }
    }

    // MARK: Characters

    static func mapCharacters(_ line: String) -> String {
        // Most lines contain nothing to map: leave them as they are (the caller normalises).
        if !line.unicodeScalars.contains(where: { (0xFB00...0xFB06).contains($0.value) || (0xFF61...0xFFDC).contains($0.value) }) {
            return line
        }
        var out = String.UnicodeScalarView()
        for u in line.unicodeScalars {
            switch u.value {
            case 0xFB00: out.append(contentsOf: "ff".unicodeScalars)
            case 0xFB01: out.append(contentsOf: "fi".unicodeScalars)
            case 0xFB02: out.append(contentsOf: "fl".unicodeScalars)
            case 0xFB03: out.append(contentsOf: "ffi".unicodeScalars)
            case 0xFB04: out.append(contentsOf: "ffl".unicodeScalars)
            case 0xFB05, 0xFB06: out.append(contentsOf: "st".unicodeScalars)
            case 0xFF61...0xFF9F:
                // Half-width Katakana: the compatibility mapping is exactly the full-width
                // letter, so NFKC is safe here (and only here).
                out.append(contentsOf: String(u).precomposedStringWithCompatibilityMapping.unicodeScalars)
            case 0xFFA0...0xFFDC:
                // Half-width Hangul letters become the compatibility jamo they stand for (NFKC
                // would go one step further, to conjoining jamo that render differently).
                if let jamo = Self.halfWidthHangul(u.value) { out.append(jamo) } else { out.append(u) }
            default: out.append(u)
            }
        }
        return String(out).precomposedStringWithCanonicalMapping
    }

    static func halfWidthHangul(_ v: UInt32) -> Unicode.Scalar? {
        let mapped: UInt32?
        switch v {
        case 0xFFA0: mapped = 0x3164
        case 0xFFA1...0xFFBE: mapped = v - 0xFFA1 + 0x3131
        case 0xFFC2...0xFFC7: mapped = v - 0xFFC2 + 0x314F
        case 0xFFCA...0xFFCF: mapped = v - 0xFFCA + 0x3155
        case 0xFFD2...0xFFD7: mapped = v - 0xFFD2 + 0x315B
        case 0xFFDA...0xFFDC: mapped = v - 0xFFDA + 0x3161
        default: mapped = nil
        }
        return mapped.flatMap(Unicode.Scalar.init)
    }

    // MARK: Running headers, footers, page numbers

    /// A line's shape: for short lines digits are folded, so "Page 3 of 10" and "Page 4 of
    /// 10" match; longer lines must repeat exactly (numbered body lines are not headers).
    static func shape(_ line: String) -> String {
        guard line.count <= 30 else { return line.lowercased() }
        return String(line.unicodeScalars.map { $0.properties.numericType != nil ? "#" : Character($0) }).lowercased()
    }

    static func isPageNumber(_ line: String) -> Bool {
        // Trimmed as CharacterSet.whitespaces would (tab and space separators), by scalar.
        let scalars = line.unicodeScalars
        func blank(_ u: Unicode.Scalar) -> Bool { u == "\t" || u.properties.generalCategory == .spaceSeparator }
        guard let start = scalars.firstIndex(where: { !blank($0) }),
              let end = scalars.lastIndex(where: { !blank($0) }) else { return false }
        let t = String(scalars[start...end])
        guard t.count <= 20 else { return false }
        return LineShapes.isPageNumber(t)
    }

    /// Shapes of lines at the top or bottom of at least half of the pages (three or more).
    func repeatedEdgeLines(_ pages: [[String]]) -> Set<String> {
        guard pages.count >= 3 else { return [] }
        var counts: [String: Int] = [:]
        for lines in pages {
            let nonEmpty = lines.filter { !$0.isEmpty }
            // Pages with little text say nothing about what repeats around the text.
            guard nonEmpty.count >= 5 else { continue }
            let edges = Set((nonEmpty.prefix(2) + nonEmpty.suffix(2)).map(Self.shape))
            for e in edges where e.count >= 3 { counts[e, default: 0] += 1 }
        }
        return Set(counts.filter { $0.value * 2 >= pages.count && $0.value >= 3 }.keys)
    }

    // MARK: Paragraphs

    /// The lines of a page, split at each line feed that is a character of its own (one not
    /// after a carriage return, which would make the two one character). Split by bytes:
    /// splitting by `Character` measured the grapheme breaks of every page.
    static func lines(of page: String) -> [String] {
        if page.utf8.contains(0x0D) {
            return page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        return page.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(Substring($0)) }
    }

    static func words(in text: String) -> Set<String> {
        var out = Set<String>()
        words(in: text, into: &out)
        return out
    }

    /// Words of two letters or more, lower-cased. A word is cut out of the text in one piece,
    /// not built scalar by scalar, and only lower-cased when it has a letter with case:
    /// Hangul, kana, ideographs and lower-case ASCII are already what `lowercased()` gives.
    static func words(in text: String, into out: inout Set<String>) {
        let scalars = text.unicodeScalars
        var start: String.UnicodeScalarView.Index?
        var length = 0
        var cased = false
        func flush(to end: String.UnicodeScalarView.Index) {
            if let s = start, length >= 2 {
                let word = String(scalars[s..<end])
                out.insert(cased ? word.lowercased() : word)
            }
            start = nil; length = 0; cased = false
        }
        var i = scalars.startIndex
        while i != scalars.endIndex {
            let u = scalars[i]
            if Self.isLetter(u) {
                if start == nil { start = i }
                length += 1
                if !Self.isCaseless(u) { cased = true }
            } else if start != nil {
                flush(to: i)
            }
            scalars.formIndex(after: &i)
        }
        flush(to: scalars.endIndex)
    }

    /// Letters `lowercased()` leaves as they are: lower-case ASCII, Hangul syllables, CJK
    /// ideographs and kana.
    static func isCaseless(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x61...0x7A, 0xAC00...0xD7A3, 0x4E00...0x9FFF, 0x3041...0x3096, 0x30A1...0x30FA: true
        default: false
        }
    }

    /// ASCII answered directly: the Unicode property lookup dominated building the vocabulary.
    /// Hangul syllables, CJK ideographs and kana, all alphabetic, too: the bulk of Korean and
    /// Japanese text.
    static func isLetter(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0..<0x80: return (0x41...0x5A).contains(u.value) || (0x61...0x7A).contains(u.value)
        case 0xAC00...0xD7A3, 0x4E00...0x9FFF, 0x3041...0x3096, 0x30A1...0x30FA: return true
        default: return u.properties.isAlphabetic
        }
    }

    /// Joins the lines of each paragraph. A paragraph ends at a blank line, or where a line
    /// that ends a sentence is clearly shorter than the page's usual line; bullets and
    /// numbered items start new lines.
    func paragraphs(_ lines: [String], vocabulary: Set<String>, hangulPrefixes: Set<String> = []) -> String {
        // Byte lengths: O(1) for native strings, and comparable within one document.
        let lengths = lines.map(\.utf8.count).filter { $0 > 0 }.sorted()
        let typical = lengths.isEmpty ? 0 : lengths[lengths.count * 3 / 4]
        var out = ""
        var previous: String?
        for line in lines {
            guard !line.isEmpty else {
                if previous != nil { out += "\n\n" }
                previous = nil
                continue
            }
            guard let prev = previous else { out += line; previous = line; continue }
            let prevLength = prev.utf8.count
            if Self.startsItem(line) || (Self.endsSentence(prev) && prevLength < typical * 8 / 10) || prevLength < typical / 2
                || Self.isHeadingLike(prev) {
                out += "\n" + line
            } else if let joined = Self.dehyphenate(prev, line, vocabulary: vocabulary) {
                out.removeLast(prev.count)
                out += joined
                previous = joined
                continue
            } else {
                let noSpace = (Self.isCJK(prev.last) && Self.isCJK(line.first)) || Self.continuesHangulWord(prev, line, vocabulary: vocabulary, prefixes: hangulPrefixes)
                out += (noSpace ? "" : " ") + line
            }
            previous = line
        }
        while out.hasSuffix("\n") { out.removeLast() }
        return out
    }

    /// Joins a line that ends in a hyphen with the next one: `exam-` + `ple …` gives
    /// `example …` (a line-end break), while `well-` + `known …` gives `well-known …` (a real
    /// compound, as both halves are words of the document or the hyphenated form occurs in
    /// it). Returns nil when the line does not end in a word hyphen.
    static func dehyphenate(_ prev: String, _ next: String, vocabulary: Set<String>) -> String? {
        guard prev.hasSuffix("-"), prev.count >= 3 else { return nil }
        let beforeHyphen = prev.dropLast()
        guard let lastChar = beforeHyphen.last, lastChar.isLetter, let first = next.first, first.isLetter else { return nil }
        let head = String(beforeHyphen.reversed().prefix { $0.isLetter }.reversed()).lowercased()
        let tail = String(next.prefix { $0.isLetter }).lowercased()
        let joined = head + tail
        // A capital after the hyphen (`Baden-Württemberg`, `Corona-Krise`) is a compound.
        let compound = first.isUppercase || vocabulary.contains(head + "-" + tail)
            || (!vocabulary.contains(joined) && vocabulary.contains(head) && vocabulary.contains(tail))
        return compound ? prev + next : String(beforeHyphen) + next
    }

    /// A title-case line without a full stop ("Korea and NASA Initiate Space Cooperation"):
    /// a heading, which ends its own paragraph.
    static func isHeadingLike(_ line: String) -> Bool {
        guard let first = line.unicodeScalars.first, isUppercase(first),
              let last = line.last, !".,;:!?".contains(last) else { return false }
        let words = line.split(separator: " ").filter { $0.count > 3 && $0.first?.isLetter == true }
        guard words.count >= 3 else { return false }
        let capitalised = words.filter { $0.first?.isUppercase == true }.count
        return capitalised * 10 >= words.count * 8
    }

    /// Unicode's Uppercase, with ASCII and Hangul syllables (most first letters) answered
    /// directly.
    static func isUppercase(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x41...0x5A: true
        case 0..<0x80, 0xAC00...0xD7A3: false
        default: u.properties.isUppercase
        }
    }

    /// Korean justified text breaks lines inside words ("탄소중" / "립기본계획"). A line
    /// boundary between Hangul letters joins without a space when the joined word (or a
    /// longer word starting it) occurs elsewhere in the document; otherwise it was a space.
    static func continuesHangulWord(_ prev: String, _ next: String, vocabulary: Set<String>, prefixes: Set<String>) -> Bool {
        guard let last = prev.last, let first = next.first, isHangul(last), isHangul(first) else { return false }
        let head = String(prev.reversed().prefix { $0.isLetter }.reversed()).lowercased()
        let tail = String(next.prefix { $0.isLetter }).lowercased()
        let joined = Array(head + tail)
        // The joined word, or a longer word it begins ("탄소중립기본계획" of "…계획을"), or a
        // word that begins it ("지방탄소중립위원회" of "…위원회의").
        if prefixes.contains(String(joined)) { return true }
        for length in stride(from: joined.count, to: head.count, by: -1) where vocabulary.contains(String(joined[..<length])) {
            return true
        }
        return false
    }

    /// Every proper prefix (two letters or more) of the document's Hangul words.
    static func hangulPrefixes(of vocabulary: Set<String>) -> Set<String> {
        var out = Set<String>()
        for word in vocabulary where word.first.map(isHangul) == true {
            // Prefixes end at Character boundaries; counted as they grow, not recounted.
            var letters = 0
            var end = word.startIndex
            while end != word.endIndex {
                word.formIndex(after: &end)
                letters += 1
                if letters >= 2, end != word.endIndex { out.insert(String(word[..<end])) }
            }
        }
        return out
    }

    static func isHangul(_ c: Character) -> Bool {
        guard let s = c.unicodeScalars.first else { return false }
        return (0xAC00...0xD7A3).contains(s.value)
    }

    // Sets, not a scan of a string literal per line: these run for every line of every PDF.
    // (Set<Character> compares by canonical equivalence, as String.contains does.)
    static let sentenceEnds = Set(".!?:;。！？…\"”’)")
    static let itemMarks = Set("•·▪■□◦●○◆◇▶►-–—*※○◎")

    static func endsSentence(_ line: String) -> Bool {
        guard let last = line.last else { return true }
        return sentenceEnds.contains(last) || last.isNumber
    }

    static func startsItem(_ line: String) -> Bool {
        guard let first = line.first else { return false }
        if itemMarks.contains(first) { return true }
        return LineShapes.startsNumberedItem(line)
    }

    static func isCJK(_ c: Character?) -> Bool {
        guard let s = c?.unicodeScalars.first else { return false }
        switch s.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x3000...0x303F, 0xFF00...0xFFEF: return true
        default: return false
        }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        // Most lines neither start nor end with a space or tab: no character work, no copy.
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let f = utf8.first, let l = utf8.last, blank(f) || blank(l) else { return self }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
