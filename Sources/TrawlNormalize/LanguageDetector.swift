/// Tells a text's language from its script (Hangul, Kana, Han, Arabic, Hebrew, Cyrillic, Thai)
/// and, for Latin script, from the share of each language's most frequent function words —
/// a light model that needs no training data and is reliable on a paragraph or more.
public struct LanguageDetector: Sendable {
    public struct Guess: Sendable, Equatable {
        public var language: String
        /// `script` or `words`.
        public var method: String
    }

    public init() {}

    static let functionWords: [String: Set<String>] = [
        "en": ["the", "and", "of", "to", "in", "is", "that", "for", "it", "with", "as", "was", "on", "are", "by", "this", "be", "at", "from", "have", "which", "will", "has", "its", "their"],
        "de": ["der", "die", "und", "das", "ist", "nicht", "den", "mit", "sich", "des", "auf", "für", "ein", "eine", "dem", "auch", "es", "an", "werden", "aus", "wird", "bei", "sind", "zu", "im"],
        "fr": ["le", "la", "les", "et", "des", "est", "une", "un", "du", "dans", "que", "pour", "qui", "pas", "sur", "au", "avec", "ce", "il", "sont", "par", "plus", "aux", "ne", "se"],
        "es": ["el", "la", "de", "que", "y", "los", "las", "en", "un", "por", "con", "una", "para", "es", "del", "se", "al", "lo", "como", "más", "pero", "sus", "fue", "ha", "su"],
        "it": ["il", "di", "che", "la", "e", "per", "un", "non", "una", "sono", "del", "della", "nel", "con", "si", "le", "da", "al", "anche", "gli", "dei", "alla", "è", "come", "ha"],
        "nl": ["de", "het", "een", "van", "en", "is", "dat", "op", "te", "zijn", "voor", "met", "niet", "die", "aan", "er", "om", "ook", "als", "bij", "door", "wordt", "naar", "uit", "werd"],
        "pt": ["o", "a", "de", "que", "e", "do", "da", "em", "um", "para", "com", "não", "uma", "os", "no", "se", "na", "por", "mais", "as", "dos", "como", "mas", "foi", "ao"],
    ]

    public func detect(_ fullText: String) -> Guess? {
        // A few thousand characters decide as well as the whole text, at a fraction of the cost.
        let text = String(fullText.prefix(6000))
        var counts: [String: Int] = [:]
        var letters = 0
        for s in text.unicodeScalars where s.properties.isAlphabetic {
            letters += 1
            let script: String?
            switch s.value {
            case 0xAC00...0xD7A3, 0x1100...0x11FF, 0x3130...0x318F: script = "ko"
            case 0x3040...0x30FF: script = "ja"
            case 0x4E00...0x9FFF, 0x3400...0x4DBF: script = "han"
            case 0x0600...0x06FF, 0x0750...0x077F: script = "ar"
            case 0x0590...0x05FF: script = "he"
            case 0x0400...0x04FF: script = "ru"
            case 0x0E00...0x0E7F: script = "th"
            case 0x0041...0x005A, 0x0061...0x007A, 0x00C0...0x024F: script = "latin"
            default: script = nil
            }
            if let script { counts[script, default: 0] += 1 }
        }
        guard letters >= 20 else { return nil }
        if (counts["ko"] ?? 0) * 5 >= letters { return Guess(language: "ko", method: "script") }
        if (counts["ja"] ?? 0) * 10 >= letters { return Guess(language: "ja", method: "script") }
        if (counts["han"] ?? 0) * 3 >= letters { return Guess(language: "zh", method: "script") }
        for code in ["ar", "he", "ru", "th"] where (counts[code] ?? 0) * 2 >= letters {
            return Guess(language: code, method: "script")
        }
        guard (counts["latin"] ?? 0) * 2 >= letters else { return nil }
        // Latin script: the language whose function words cover most of the text.
        var tokens = 0
        var hits: [String: Int] = [:]
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter }).prefix(3000) {
            tokens += 1
            for (lang, words) in Self.functionWords where words.contains(String(word)) { hits[lang, default: 0] += 1 }
        }
        guard tokens >= 8, let best = hits.max(by: { $0.value < $1.value }) else { return nil }
        let second = hits.filter { $0.key != best.key }.map(\.value).max() ?? 0
        guard best.value * 10 >= tokens, best.value >= second + 2 else { return nil }
        return Guess(language: best.key, method: "words")
    }
}
