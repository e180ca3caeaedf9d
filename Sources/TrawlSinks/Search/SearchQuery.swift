import Foundation

/// What `trawl search` and the status page ask the embedded index.
///
/// Syntax: words are all required (`반도체 수출`); `OR` between two words accepts either;
/// `"…"` is a phrase; a trailing `*` searches a prefix. A word of Korean, Japanese or Chinese
/// matches inside compounds (`반도체` finds `인공지능반도체`); a single such character is
/// searched as a prefix of the index's bigrams. Operators of FTS5 typed by accident are words.
public struct SearchQuery: Sendable {
    public var text: String
    public var source: String?
    /// Published on or after this ISO 8601 date.
    public var since: String?
    public var limit: Int

    public init(_ text: String, source: String? = nil, since: String? = nil, limit: Int = 10) {
        self.text = text; self.source = source; self.since = since; self.limit = limit
    }

    /// The FTS5 MATCH expression, or nil when the query holds no word.
    public func matchExpression() -> String? {
        var parts: [String] = []
        var pendingOr = false
        for term in Self.terms(text) {
            if term.quoted == false, term.text == "OR" {
                if !parts.isEmpty { pendingOr = true }
                continue
            }
            var body = term.text
            var prefix = false
            if !term.quoted, body.hasSuffix("*") { body.removeLast(); prefix = true }
            let words = SearchTokens.words(Substring(body))
            guard !words.isEmpty else { continue }
            if words.count == 1, SearchTokens.isSingleCJK(words[0]) { prefix = true }
            // The term goes to FTS5 as it was typed, inside a string (where FTS5's operators are
            // plain text), so the index's tokenizer cuts it exactly as it cut the documents:
            // `인공지능·반도체`, `한-미`, `전자(주)` keep their punctuation, which re-joining
            // the words with spaces turned into a bigram across the space no document has.
            let phrase = "\"" + body.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (prefix ? "*" : "")
            if pendingOr, let last = parts.popLast() {
                parts.append("(\(last) OR \(phrase))")
                pendingOr = false
            } else {
                parts.append(phrase)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: " AND ")
    }

    /// Whitespace-separated words and double-quoted phrases.
    public static func terms(_ text: String) -> [(text: String, quoted: Bool)] {
        var out: [(String, Bool)] = []
        var current = ""
        var quoted = false
        // Documents are indexed in NFC; a query typed in decomposed form must match them.
        for ch in text.precomposedStringWithCanonicalMapping {
            if ch == "\"" {
                if quoted || !current.isEmpty { out.append((current, quoted)) }
                current = ""
                quoted.toggle()
            } else if ch.isWhitespace && !quoted {
                if !current.isEmpty { out.append((current, false)) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { out.append((current, quoted)) }
        return out.filter { !$0.0.trimmingCharacters(in: .whitespaces).isEmpty }
    }
}
