@testable import TrawlSinks

/// The tokenizer as first written, scalar by scalar with a `String` per token: kept as the
/// reference the byte scanner must equal, since existing indexes were built with it.
enum ReferenceTokens {
    static func scan(_ text: String, forQuery: Bool) -> [SearchTokens.Located] {
        var out: [SearchTokens.Located] = []
        var offset = 0
        var word: [(scalar: Unicode.Scalar, start: Int)] = []
        var joinable: (scalar: Unicode.Scalar, start: Int)?
        func flush(_ end: Int) {
            guard !word.isEmpty else { return }
            var i = 0
            while i < word.count {
                let cjk = SearchTokens.isCJK(word[i].scalar)
                var j = i
                while j < word.count, SearchTokens.isCJK(word[j].scalar) == cjk { j += 1 }
                let pieceEnd = j < word.count ? word[j].start : end
                if cjk {
                    if i == 0, let previous = joinable {
                        var pair = String.UnicodeScalarView(); pair.append(previous.scalar); pair.append(word[0].scalar)
                        out.append(.init(text: String(pair), start: previous.start, end: word.count > 1 ? word[1].start : end, colocated: false))
                    }
                    if j - i == 1 {
                        out.append(.init(text: String(word[i].scalar), start: word[i].start, end: pieceEnd, colocated: false))
                    } else {
                        for k in i..<(j - 1) {
                            var pair = String.UnicodeScalarView(); pair.append(word[k].scalar); pair.append(word[k + 1].scalar)
                            out.append(.init(text: String(pair), start: word[k].start, end: k + 2 < j ? word[k + 2].start : pieceEnd, colocated: false))
                        }
                        if !forQuery { out.append(.init(text: String(word[j - 1].scalar), start: word[j - 1].start, end: pieceEnd, colocated: true)) }
                    }
                } else {
                    var piece = String.UnicodeScalarView()
                    piece.append(contentsOf: word[i..<j].map(\.scalar))
                    out.append(.init(text: SearchTokens.fold(String(piece)), start: word[i].start, end: pieceEnd, colocated: false))
                }
                i = j
            }
            joinable = SearchTokens.isCJK(word[word.count - 1].scalar) ? word[word.count - 1] : nil
            word.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            let p = scalar.properties
            if p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark || p.generalCategory == .spacingMark {
                word.append((scalar, offset))
            } else {
                flush(offset)
                if !(scalar == " " || scalar == "\t" || scalar == "\u{A0}" || scalar == "\u{3000}") { joinable = nil }
            }
            offset += scalar.utf8.count
        }
        flush(offset)
        return out
    }
}
