import GRDB

/// The embedded index's FTS5 tokenizer, `trawl_bigram`: `SearchTokens.scan` over the raw text,
/// each token with the byte range it stands for (snippets highlight exactly the match).
/// Registered on every connection of the index; `porter` wraps it, so English words are
/// stemmed as well (porter leaves non-ASCII tokens alone).
final class BigramTokenizer: FTS5CustomTokenizer {
    static let name = "trawl_bigram"

    init(db: Database, arguments: [String]) throws {}

    func tokenize(context: UnsafeMutableRawPointer?, tokenization: FTS5Tokenization, pText: UnsafePointer<CChar>?,
                  nText: CInt, tokenCallback: @escaping FTS5TokenCallback) -> CInt {
        guard let pText, nText > 0 else { return 0 }
        // SQLite hands back the UTF-8 that was stored (Swift strings), so offsets stay exact.
        let text = String(decoding: UnsafeRawBufferPointer(start: pText, count: Int(nText)), as: UTF8.self)
        var status: CInt = 0  // SQLITE_OK
        SearchTokens.scanUTF8(text, forQuery: tokenization.contains(.query)) { token in
            guard status == 0 else { return }
            status = token.bytes.withMemoryRebound(to: CChar.self) { chars in
                tokenCallback(context, token.colocated ? FTS5TokenFlags.colocated.rawValue : 0, chars.baseAddress,
                              CInt(chars.count), CInt(token.start), CInt(token.end))
            }
        }
        return status
    }
}
