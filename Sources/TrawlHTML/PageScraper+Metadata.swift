import Foundation
import TrawlNormalize

/// Page metadata found without rules: the declared author, the site's name, dates near the
/// release heading, the page's headings and the text's language. Each result names its
/// source, for the record's provenance.
extension PageScraper {
    /// The author a page declares: meta, JSON-LD, microdata or `rel=author`.
    func author(_ doc: HTMLDocument) -> (value: String, source: String)? {
        let probes: [(String, String)] = [
            ("//meta[@name='author' or @name='Author' or @property='article:author' or @name='dc.creator' or @name='DC.creator']/@content", "meta:author"),
            ("//*[@itemprop='author']//*[@itemprop='name'] | //*[@itemprop='author']", "microdata:author"),
            ("//a[@rel='author']", "html:rel-author"),
        ]
        for json in PageSignals.jsonLD(doc) {
            if let name = Self.jsonAuthor(json) { return (normalizer.normalizeInline(name), "json-ld:author") }
        }
        for (xpath, source) in probes {
            if let v = (try? firstString(doc, xpath)).flatMap({ $0 }).map(normalizer.normalizeInline), !v.isEmpty, v.count <= 100,
               !v.lowercased().hasPrefix("http") {
                return (v, source)
            }
        }
        return nil
    }

    static func jsonAuthor(_ json: Any) -> String? {
        if let dict = json as? [String: Any] {
            if let a = dict["author"] {
                if let s = a as? String { return s }
                if let d = a as? [String: Any], let n = d["name"] as? String { return n }
                if let list = a as? [[String: Any]] { let names = list.compactMap { $0["name"] as? String }; if !names.isEmpty { return names.joined(separator: ", ") } }
            }
            for (_, v) in dict { if let found = jsonAuthor(v) { return found } }
        } else if let array = json as? [Any] {
            for v in array { if let found = jsonAuthor(v) { return found } }
        }
        return nil
    }

    /// The site's name: og:site_name, application-name, JSON-LD publisher, else the part of
    /// `<title>` that is not the page's own title.
    func siteName(_ doc: HTMLDocument) -> (value: String, source: String)? {
        for (xpath, source) in [("//meta[@property='og:site_name']/@content", "meta:og:site_name"),
                                ("//meta[@name='application-name']/@content", "meta:application-name")] {
            if let v = (try? firstString(doc, xpath)).flatMap({ $0 }).map(normalizer.normalizeInline), !v.isEmpty { return (v, source) }
        }
        if let raw = (try? firstString(doc, "//title")).flatMap({ $0 }).map(normalizer.normalizeInline) {
            for sep in [" | ", " :: ", " » ", " · ", " - ", " – ", " — "] where raw.contains(sep) {
                let parts = raw.components(separatedBy: sep)
                if let last = parts.last, parts.count >= 2, last.count <= 40, last.count * 2 <= raw.count { return (last, "html:title-suffix") }
            }
        }
        return nil
    }

    /// Text of the page's headings (h1–h4 and elements classed as titles), for confirming
    /// which part of `<title>` is the page's own.
    func headings(_ doc: HTMLDocument) -> [String] {
        let xpath = "(//h1 | //h2 | //h3 | //h4 | //*[contains(@class, 'title') or contains(@class, 'subject') or contains(@class, 'headline')])[position() <= 60]"
        guard case .nodes(let nodes) = (try? doc.evaluate(xpath)) ?? .value("") else { return [] }
        return nodes.map { normalizer.normalizeInline($0.stringValue) }.filter { !$0.isEmpty && $0.count < 300 }
    }


    /// The text's own language when it tells clearly (script, or function words for Latin
    /// script), else the page's `lang` attribute: templates often declare one language for
    /// pages in several.
    func language(of doc: HTMLDocument, text: String) -> (code: String, source: String)? {
        if let guess = LanguageDetector().detect(text) { return (guess.language, "heuristic:\(guess.method)") }
        if let lang = try? firstString(doc, "/html/@lang | /html/@xml:lang"),
           let primary = lang.split(separator: "-").first?.lowercased(), (2...3).contains(primary.count) {
            return (primary, "html:lang")
        }
        return nil
    }
}
