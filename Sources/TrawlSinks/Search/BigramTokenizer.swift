import GRDB

/// The embedded index's FTS5 tokenizer: SQLite's `unicode61` (case and diacritics folded)
/// cuts words, and each word's CJK runs become bigrams (see `SearchTokens`). Registered on
/// every connection of the index as `trawl_bigram`; `porter` wraps it, so English words are
/// stemmed as well (porter leaves non-ASCII tokens alone). A token keeps the byte range of
/// the word it came from, so a snippet highlights the whole word around a match.
final class BigramTokenizer: FTS5WrapperTokenizer {
    static let name = "trawl_bigram"
    let wrappedTokenizer: any FTS5Tokenizer

    init(db: Database, arguments: [String]) throws {
        wrappedTokenizer = try db.makeTokenizer(FTS5TokenizerDescriptor(components: ["unicode61", "remove_diacritics", "2"]))
    }

    func accept(token: String, flags: FTS5TokenFlags, for tokenization: FTS5Tokenization,
                tokenCallback: FTS5WrapperTokenCallback) throws {
        // A word without CJK passes as it is (the common case: no allocation beyond GRDB's).
        guard token.unicodeScalars.contains(where: SearchTokens.isCJK) else {
            try tokenCallback(token, flags)
            return
        }
        let forQuery = tokenization.contains(.query)
        for (k, t) in SearchTokens.tokens(of: Substring(token), forQuery: forQuery).enumerated() {
            try tokenCallback(t.text, t.colocated || (k == 0 && flags.contains(.colocated)) ? .colocated : [])
        }
    }
}
