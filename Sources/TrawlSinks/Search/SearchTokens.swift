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
public enum SearchTokens {
    /// A piece of a word: text of other scripts, or a run of CJK characters.
    public enum Piece: Equatable, Sendable {
        case word(Substring)
        case cjk([Unicode.Scalar])

        public var text: String {
            switch self {
            case .word(let w): return String(w)
            case .cjk(let run): var v = String.UnicodeScalarView(); v.append(contentsOf: run); return String(v)
            }
        }
    }

    /// One token for the index; `colocated` ones share the previous token's position.
    public struct Token: Equatable, Sendable {
        public var text: String
        public var colocated: Bool
    }

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

    /// Splits one word (as a word tokenizer gives it) into runs of CJK and other characters.
    public static func pieces(of word: Substring) -> [Piece] {
        let scalars = word.unicodeScalars
        var pieces: [Piece] = []
        var start = scalars.startIndex
        var i = start
        var inCJK: Bool?
        func flush(_ end: Substring.UnicodeScalarView.Index) {
            guard start < end, let cjk = inCJK else { return }
            pieces.append(cjk ? .cjk(Array(scalars[start..<end])) : .word(Substring(scalars[start..<end])))
        }
        while i < scalars.endIndex {
            let cjk = isCJK(scalars[i])
            if cjk != inCJK { flush(i); start = i; inCJK = cjk }
            i = scalars.index(after: i)
        }
        flush(i)
        return pieces
    }

    /// The tokens of one word. For a query, a CJK run gives its bigrams only (a phrase);
    /// for a document, also the run's last character, colocated.
    public static func tokens(of word: Substring, forQuery: Bool) -> [Token] {
        var out: [Token] = []
        for piece in pieces(of: word) {
            switch piece {
            case .word(let w):
                out.append(Token(text: String(w), colocated: false))
            case .cjk(let run):
                if run.count == 1 {
                    out.append(Token(text: String(run[0]), colocated: false))
                    continue
                }
                for k in 0..<(run.count - 1) {
                    var s = String.UnicodeScalarView()
                    s.append(run[k]); s.append(run[k + 1])
                    out.append(Token(text: String(s), colocated: false))
                }
                if !forQuery { out.append(Token(text: String(run[run.count - 1]), colocated: true)) }
            }
        }
        return out
    }

    /// A query word that is a single CJK character: searched as a prefix so that it reaches
    /// the bigrams that begin with it and the run-final characters.
    public static func isSingleCJK(_ word: Substring) -> Bool {
        let s = word.unicodeScalars
        return s.count == 1 && isCJK(s.first!)
    }

    /// The CJK tokens of plain text as space-separated words, for an index that has no
    /// tokenizer of ours (PostgreSQL's `simple` configuration; its `english` one takes the
    /// other words). The run-final character follows its bigram instead of sharing its
    /// position, as a tsvector cannot colocate; at most `limit` tokens.
    public static func cjkTokenText(_ text: Substring, limit: Int) -> String {
        var out = ""
        var count = 0
        for word in words(text) where word.unicodeScalars.contains(where: isCJK) {
            for piece in pieces(of: word) {
                guard case .cjk = piece else { continue }
                for t in tokens(of: Substring(piece.text), forQuery: false) {
                    if count >= limit { return out }
                    if !out.isEmpty { out.append(" ") }
                    out.append(t.text)
                    count += 1
                }
            }
        }
        return out
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
