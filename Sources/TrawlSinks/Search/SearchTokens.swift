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

    /// A token as bytes: valid only during the callback (it points into the text or into a
    /// scratch buffer), with the UTF-8 byte range of the text it stands for.
    typealias TokenBytes = (bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, colocated: Bool)

    /// Cuts `text` into the tokens of an index (or of a query): words of letters, digits and
    /// marks, lower-cased and with diacritics removed; CJK runs as bigrams (for a document, the
    /// run's last character colocated); a bigram across spaces between two CJK words.
    public static func scan(_ text: String, forQuery: Bool, _ emit: (Located) -> Void) {
        scanUTF8(text, forQuery: forQuery) { t in
            emit(Located(text: String(decoding: t.bytes, as: UTF8.self), start: t.start, end: t.end, colocated: t.colocated))
        }
    }

    /// `scan` without a `String` per token: the index's tokenizer hands these bytes to FTS5
    /// as they are. Snippets tokenize every hit again, so this halved the median query at
    /// 20,000 records. Works on the UTF-8 bytes, with ASCII and Hangul syllables classified
    /// without a Unicode table; spaces keep a CJK join open, anything else ends it.
    static func scanUTF8(_ text: String, forQuery: Bool, _ emit: (TokenBytes) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var scanner = ByteScanner(bytes: bytes, forQuery: forQuery)
            scanner.run(emit)
        }
    }

    /// One scalar of the word being gathered: where its bytes are, whether it is CJK.
    private struct Scalar {
        var start: Int
        var length: Int
        var cjk: Bool
        var end: Int { start + length }
    }

    private struct ByteScanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let forQuery: Bool
        var word: [Scalar] = []
        /// The last character of the previous word, while only spaces follow it.
        var joinable: Scalar?
        /// Lower-cased words and bigrams across a space are written here.
        var scratch: [UInt8] = []

        init(bytes: UnsafeBufferPointer<UInt8>, forQuery: Bool) {
            self.bytes = bytes
            self.forQuery = forQuery
            word.reserveCapacity(64)
            scratch.reserveCapacity(64)
        }

        mutating func run(_ emit: (TokenBytes) -> Void) {
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                if b < 0x80 {
                    // ASCII: letters and digits are word characters, everything else separates.
                    if (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) {
                        word.append(Scalar(start: i, length: 1, cjk: false))
                    } else {
                        flush(at: i, emit)
                        if b != 0x20 && b != 0x09 { joinable = nil }
                    }
                    i += 1
                    continue
                }
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                var value = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
                let scalar = Unicode.Scalar(value)!
                let wordCharacter: Bool
                if value >= 0xAC00 && value <= 0xD7A3 {
                    wordCharacter = true   // Hangul syllables, the common case in Korean text
                } else {
                    let p = scalar.properties
                    wordCharacter = p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark || p.generalCategory == .spacingMark
                }
                if wordCharacter {
                    word.append(Scalar(start: i, length: length, cjk: isCJK(scalar)))
                } else {
                    flush(at: i, emit)
                    if !(value == 0xA0 || value == 0x3000) { joinable = nil }
                }
                i += length
            }
            flush(at: n, emit)
        }

        private mutating func flush(at end: Int, _ emit: (TokenBytes) -> Void) {
            guard !word.isEmpty else { return }
            var i = 0
            while i < word.count {
                let cjk = word[i].cjk
                var j = i
                while j < word.count, word[j].cjk == cjk { j += 1 }
                let pieceEnd = j < word.count ? word[j].start : end
                if cjk {
                    if i == 0, let previous = joinable {
                        scratch.removeAll(keepingCapacity: true)
                        scratch.append(contentsOf: bytes[previous.start..<previous.end])
                        scratch.append(contentsOf: bytes[word[0].start..<word[0].end])
                        let tokenEnd = word.count > 1 ? word[1].start : end
                        scratch.withUnsafeBufferPointer { emit(($0, previous.start, tokenEnd, false)) }
                    }
                    if j - i == 1 {
                        emit((slice(word[i].start, word[i].end), word[i].start, pieceEnd, false))
                    } else {
                        for k in i..<(j - 1) {
                            emit((slice(word[k].start, word[k + 1].end), word[k].start, k + 2 < j ? word[k + 2].start : pieceEnd, false))
                        }
                        if !forQuery { emit((slice(word[j - 1].start, word[j - 1].end), word[j - 1].start, pieceEnd, true)) }
                    }
                } else {
                    emitFolded(from: word[i].start, to: word[j - 1].end, tokenEnd: pieceEnd, emit)
                }
                i = j
            }
            joinable = word[word.count - 1].cjk ? word[word.count - 1] : nil
            word.removeAll(keepingCapacity: true)
        }

        /// A word of other scripts, lower-cased without diacritics (ASCII without `String`).
        private mutating func emitFolded(from start: Int, to stop: Int, tokenEnd: Int, _ emit: (TokenBytes) -> Void) {
            let piece = slice(start, stop)
            if piece.allSatisfy({ $0 < 0x80 }) {
                guard piece.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else {
                    emit((piece, start, tokenEnd, false))
                    return
                }
                scratch.removeAll(keepingCapacity: true)
                for c in piece { scratch.append(c >= 0x41 && c <= 0x5A ? c | 0x20 : c) }
                scratch.withUnsafeBufferPointer { emit(($0, start, tokenEnd, false)) }
                return
            }
            var folded = SearchTokens.fold(String(decoding: piece, as: UTF8.self))
            folded.withUTF8 { emit(($0, start, tokenEnd, false)) }
        }

        private func slice(_ from: Int, _ to: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[from..<to])
        }
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
    /// `latinBytes` and `cjkBytes` cap each text's size too: a tsvector is capped by bytes
    /// (1 MB), and 40,000 distinct long tokens (hex strings) pass any count under it.
    public static func indexTexts(_ text: String, latinLimit: Int, cjkLimit: Int,
                                  latinBytes: Int = .max, cjkBytes: Int = .max) -> (latin: String, cjk: String) {
        var latin: [UInt8] = [], cjk: [UInt8] = []
        var latinCount = 0, cjkCount = 0
        scanUTF8(text, forQuery: false) { t in
            guard !t.colocated, let first = String(decoding: t.bytes.prefix(4), as: UTF8.self).unicodeScalars.first else { return }
            if isCJK(first) {
                guard cjkCount < cjkLimit, cjk.count + t.bytes.count < cjkBytes else { return }
                if !cjk.isEmpty { cjk.append(0x20) }
                cjk.append(contentsOf: t.bytes)
                cjkCount += 1
            } else {
                guard latinCount < latinLimit, latin.count + t.bytes.count < latinBytes else { return }
                if !latin.isEmpty { latin.append(0x20) }
                latin.append(contentsOf: t.bytes)
                latinCount += 1
            }
        }
        return (String(decoding: latin, as: UTF8.self), String(decoding: cjk, as: UTF8.self))
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
