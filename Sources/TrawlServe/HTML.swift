import Foundation

/// Building pages as strings: every piece of data goes through `escape`, so nothing a record
/// holds (titles, text, URLs of hostile pages) can become markup.
public enum HTML {
    public static func escape(_ s: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A link only for http(s) URLs; anything else (javascript:, data:) is shown as text.
    static func link(_ url: String, _ text: String? = nil) -> String {
        guard let scheme = URL(string: url)?.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return escape(text ?? url) }
        return "<a href=\"\(escape(url))\" rel=\"noreferrer noopener\">\(escape(text ?? url))</a>"
    }

    /// A query string value, percent-encoded.
    static func query(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static let style = """
        body{font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans KR","Noto Sans CJK KR",sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
        header{background:#1f3a5f;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:baseline}
        header b{font-size:18px} header a{color:#dbe7ff;text-decoration:none} header a:hover{text-decoration:underline}
        header .out{margin-left:auto;color:#9fb3cc;font-size:13px}
        main{max-width:1120px;margin:0 auto;padding:16px 24px 48px}
        form.search{display:flex;gap:8px;flex-wrap:wrap;margin:8px 0 16px}
        form.search input[type=search]{flex:1;min-width:320px;font-size:17px;padding:8px 10px;border:1px solid #b8c2cc;border-radius:6px}
        form.search select,form.search input[type=date],form.search button{font-size:15px;padding:8px;border:1px solid #b8c2cc;border-radius:6px;background:#fff}
        form.search button{background:#1f3a5f;color:#fff;border-color:#1f3a5f;cursor:pointer}
        .hit{background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:12px 16px;margin:10px 0}
        .hit h3{margin:0 0 2px;font-size:17px} .hit h3 a{color:#0b57d0;text-decoration:none}
        .meta{color:#5b6670;font-size:13px} .url{color:#1a7f37;font-size:13px;word-break:break-all}
        .snippet{margin-top:6px} mark{background:#ffe58a;padding:0 1px}
        table{border-collapse:collapse;background:#fff;width:100%;margin:8px 0 16px}
        th,td{border:1px solid #e1e5ea;padding:5px 8px;text-align:left;vertical-align:top;font-size:14px}
        th{background:#eef1f5;white-space:nowrap} td{word-break:break-word}
        pre{white-space:pre-wrap;background:#fff;border:1px solid #e1e5ea;border-radius:6px;padding:10px;font:14px/1.5 inherit;max-height:480px;overflow:auto}
        .att{background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:10px 14px;margin:10px 0}
        .err{color:#b42318;font-weight:600} .ok{color:#1a7f37} .flag{display:inline-block;background:#fde7e9;color:#b42318;border-radius:4px;padding:0 6px;margin-right:4px;font-size:13px}
        h1{font-size:22px;margin:12px 0} h2{font-size:18px;margin:20px 0 6px}
        .muted{color:#5b6670} svg text{font:12px system-ui,sans-serif;fill:#1b1f24}
        """

    static func page(title: String, output: String, body: String) -> String {
        """
        <!doctype html><html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>\(escape(title)) — Trawl</title><style>\(style)</style></head><body>
        <header><b>Trawl</b><a href="/">Search</a><a href="/runs">Runs</a><span class="out">\(escape(output))</span></header>
        <main>\(body)</main></body></html>
        """
    }
}
