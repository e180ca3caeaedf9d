import Foundation

/// How Trawl's indexes cut text into searchable tokens, shared by the embedded index (as an
/// FTS5 tokenizer) and the PostgreSQL sink (as the words of a `simple` tsvector), so a query
/// finds the same documents in both.
///
/// Korean, Japanese and Chinese write compounds without spaces (`인공지능반도체`), so a
/// whitespace word is useless as a token and a query for `반도체` must match inside it. Runs of
/// those scripts become overlapping bigrams, the scheme of Lucene's CJK analyser: `반도체` is
/// the phrase `반도 도체`, found wherever the three syllables stand together; a two-syllable
/// query is one token; the last character of each run is also indexed alone (at the position
/// of the last bigram), so a one-character query is a prefix query that reaches every
/// character. Other scripts keep their words (the indexes stem English on top).
///
/// Korean spacing varies (`인공지능 반도체` and `인공지능반도체` are both written), so two CJK
/// words separated by spaces only also give the bigram across the space: a query written as
/// one compound finds the spaced text, and the other way round.
public enum SearchTokens {
    /// Hangul syllables and jamo, CJK ideographs (with extension A and compatibility forms),
    /// hiragana and katakana.
    public static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xAC00...0xD7AF, 0xD7B0...0xD7FF: return true
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return true
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }

    /// A token with the UTF-8 byte range of the text it stands for (snippets highlight it).
    public struct Located: Equatable, Sendable {
        public var text: String
        public var start: Int
        public var end: Int
        public var colocated: Bool
    }

    /// Cuts `text` into the tokens of an index (or of a query): words of letters, digits and
    /// marks, lower-cased and with diacritics removed; CJK runs as bigrams (for a document, the
    /// run's last character colocated); a bigram across spaces between two CJK words.
    public static func scan(_ text: String, forQuery: Bool, _ emit: (Located) -> Void) {
        var offset = 0
        var word: [(scalar: Unicode.Scalar, start: Int)] = []
        // The last character of the previous word, while only spaces follow it.
        var joinable: (scalar: Unicode.Scalar, start: Int)?
        func flush(_ end: Int) {
            guard !word.isEmpty else { return }
            var i = 0
            while i < word.count {
                let cjk = isCJK(word[i].scalar)
                var j = i
                while j < word.count, isCJK(word[j].scalar) == cjk { j += 1 }
                let pieceEnd = j < word.count ? word[j].start : end
                if cjk {
                    if i == 0, let previous = joinable {
                        var pair = String.UnicodeScalarView(); pair.append(previous.scalar); pair.append(word[0].scalar)
                        emit(Located(text: String(pair), start: previous.start, end: word.count > 1 ? word[1].start : end, colocated: false))
                    }
                    if j - i == 1 {
                        emit(Located(text: String(word[i].scalar), start: word[i].start, end: pieceEnd, colocated: false))
                    } else {
                        for k in i..<(j - 1) {
                            var pair = String.UnicodeScalarView(); pair.append(word[k].scalar); pair.append(word[k + 1].scalar)
                            emit(Located(text: String(pair), start: word[k].start, end: k + 2 < j ? word[k + 2].start : pieceEnd, colocated: false))
                        }
                        if !forQuery { emit(Located(text: String(word[j - 1].scalar), start: word[j - 1].start, end: pieceEnd, colocated: true)) }
                    }
                } else {
                    var piece = String.UnicodeScalarView()
                    piece.append(contentsOf: word[i..<j].map(\.scalar))
                    emit(Located(text: fold(String(piece)), start: word[i].start, end: pieceEnd, colocated: false))
                }
                i = j
            }
            joinable = isCJK(word[word.count - 1].scalar) ? word[word.count - 1] : nil
            word.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            let p = scalar.properties
            if p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark || p.generalCategory == .spacingMark {
                word.append((scalar, offset))
            } else {
                flush(offset)
                // Spaces keep the join open; anything else (punctuation, a line break) ends it.
                if !(scalar == " " || scalar == "\t" || scalar == "\u{A0}" || scalar == "\u{3000}") { joinable = nil }
            }
            offset += scalar.utf8.count
        }
        flush(offset)
    }

    /// Lower case without diacritics, as SQLite's unicode61 folds (ASCII the fast way).
    static func fold(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s.lowercased() }
        return s.lowercased().folding(options: .diacriticInsensitive, locale: nil)
    }

    /// A query word that is a single CJK character: searched as a prefix so that it reaches
    /// the bigrams that begin with it and the run-final characters.
    public static func isSingleCJK(_ word: Substring) -> Bool {
        let s = word.unicodeScalars
        return s.count == 1 && isCJK(s.first!)
    }

    /// Plain text cut for an index that has no tokenizer of ours (PostgreSQL): the words of
    /// other scripts, folded, for its `english` configuration (at most `latinLimit` of them),
    /// and the CJK bigrams for its `simple` one (at most `cjkLimit`). Run-final characters are
    /// left out: a tsvector cannot colocate them, and in a position of their own they would
    /// break phrases; a one-character query is a prefix of the bigrams instead.
    public static func indexTexts(_ text: String, latinLimit: Int, cjkLimit: Int) -> (latin: String, cjk: String) {
        var latin = "", cjk = ""
        var latinCount = 0, cjkCount = 0
        scan(text, forQuery: false) { t in
            guard !t.colocated, let first = t.text.unicodeScalars.first else { return }
            if isCJK(first) {
                guard cjkCount < cjkLimit else { return }
                if !cjk.isEmpty { cjk.append(" ") }
                cjk.append(t.text)
                cjkCount += 1
            } else {
                guard latinCount < latinLimit else { return }
                if !latin.isEmpty { latin.append(" ") }
                latin.append(t.text)
                latinCount += 1
            }
        }
        return (latin, cjk)
    }

    /// Letters and digits (Unicode), lower-cased; everything else separates words.
    public static func words(_ text: Substring) -> [Substring] {
        let lowered = text.lowercased()
        var out: [Substring] = []
        var current = lowered.unicodeScalars.startIndex
        var start: String.UnicodeScalarView.Index?
        let scalars = lowered.unicodeScalars
        while current < scalars.endIndex {
            let p = scalars[current].properties
            let isWordChar = p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark
            if isWordChar { if start == nil { start = current } } else if let s = start {
                out.append(Substring(lowered.unicodeScalars[s..<current])); start = nil
            }
            current = scalars.index(after: current)
        }
        if let s = start { out.append(Substring(lowered.unicodeScalars[s..<scalars.endIndex])) }
        return out
    }
}
