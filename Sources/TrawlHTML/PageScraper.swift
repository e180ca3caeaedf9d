import Foundation
import TrawlNormalize

/// A link found on a page, resolved to an absolute URL.
public struct PageLink: Sendable, Hashable, Codable {
    public var url: URL
    /// The anchor's visible text (often the real file name behind a download endpoint).
    public var text: String
}

/// What was scraped from one release page, before attachments are fetched.
public struct ScrapedPage: Sendable {
    public var url: URL
    public var title: String?
    /// The published date as ISO 8601, and the raw text it was read from.
    public var published: String?
    public var publishedRaw: String?
    /// The date the page says it was last updated (kept apart from `published`).
    public var updated: String?
    /// The site's name (og:site_name, application-name, JSON-LD publisher, title suffix).
    public var siteName: String?
    public var fields: [String: String]
    public var text: String
    public var language: String?
    public var attachments: [PageLink]
    /// Where each value came from: `xpath:…`, `meta:og:title`, `html:title`, `fallback:…`.
    public var provenance: [String: String]
    public var encoding: CharsetDetector.Decision
}

/// Parses pages and applies a source's extraction rules, with fallbacks where a rule is absent.
public struct PageScraper: Sendable {
    public var charsets: CharsetDetector
    let normalizer = TextNormalizer()
    private let dates = DateParser()

    public init(charsets: CharsetDetector = CharsetDetector()) {
        self.charsets = charsets
    }

    /// File extensions that mark a link as an attachment when no rule selects them.
    public static let attachmentExtensions: Set<String> = [
        "pdf", "hwp", "hwpx", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp",
        "rtf", "txt", "csv", "zip", "7z", "gz", "tar", "xml", "json", "epub",
    ]

    /// Download endpoints that hide the file behind a query (`/bbs/download.do?atchFileId=…`).
    public static func looksLikeAttachment(_ url: URL) -> Bool {
        let path = url.path.lowercased()
        if attachmentExtensions.contains((path as NSString).pathExtension) { return true }
        let last = (path as NSString).lastPathComponent
        // Viewer and preview endpoints render the file as a page; they are not the file.
        if ["viewer", "preview", "synap", "docview"].contains(where: { last.contains($0) }) { return false }
        let markers = ["download", "filedown", "atchfile", "attach", "getfile"]
        return markers.contains { last.contains($0) }
            || (url.query?.lowercased().contains("atchfileid") ?? false)
    }

    // MARK: Release pages

    /// The main text of a page without rules and without metadata: what a search index
    /// needs from a page nobody wrote rules for (and what trafilatura's `extract` returns).
    public func mainText(bytes: Data, url: URL, transportCharset: String? = nil) throws -> String {
        let encoding = charsets.detect(bytes, transportCharset: transportCharset)
        let doc = try HTMLDocument(bytes: bytes, encoding: encoding.encoding, url: url.absoluteString)
        guard case .nodes(let bodies) = try doc.evaluate("//body"), let body = bodies.first else { return "" }
        if let main = MainContentExtractor().text(of: body) { return main.text }
        return normalizer.normalize(TextExtractor(dropBoilerplate: true).text(of: body))
    }

    public func scrapeRelease(bytes: Data, url: URL, transportCharset: String? = nil,
                              rules: ExtractionRules) throws -> ScrapedPage {
        let encoding = charsets.detect(bytes, transportCharset: transportCharset)
        let doc = try HTMLDocument(bytes: bytes, encoding: encoding.encoding, url: url.absoluteString)
        let base = baseURL(of: doc, pageURL: url)
        var provenance: [String: String] = [:]

        // Title: rule, then og:title, then <title>, then the first <h1>.
        var title: String?
        if let rule = rules.title {
            title = try firstString(doc, rule).map(normalizer.normalizeInline)
            if title != nil { provenance["title"] = "xpath:\(rule)" }
        }
        if title == nil {
            let found = TitleFinder().find(
                ogTitle: try firstString(doc, "//meta[@property='og:title']/@content").map(normalizer.normalizeInline),
                h1: try firstString(doc, "//h1").map(normalizer.normalizeInline),
                htmlTitle: try firstString(doc, "//title").map(normalizer.normalizeInline),
                siteName: try firstString(doc, "//meta[@property='og:site_name']/@content").map(normalizer.normalizeInline),
                headings: headings(doc))
            if let found { title = found.title; provenance["title"] = found.source }
        }

        // Body: rule (all matches, in document order), then <main>/<article>, then <body>.
        var exclusions = Set<OpaquePointer>()
        for x in rules.exclude {
            if case .nodes(let nodes) = try doc.evaluate(x) { exclusions.formUnion(nodes.map(\.pointer)) }
        }
        var text = ""
        if let rule = rules.body, case .nodes(let nodes) = try doc.evaluate(rule), !nodes.isEmpty {
            let extractor = TextExtractor(excluding: exclusions)
            text = normalizer.normalize(nodes.map { extractor.text(of: $0) }.joined(separator: "\n\n"))
            provenance["text"] = "xpath:\(rule)"
        } else {
            // No rule: the scored main content, else the body without its furniture.
            if case .nodes(let bodies) = try doc.evaluate("//body"), let body = bodies.first,
               let main = MainContentExtractor().text(of: body) {
                text = main.text
                provenance["text"] = "heuristic:main-content(\(main.container))"
            } else {
                let extractor = TextExtractor(dropBoilerplate: true, excluding: exclusions)
                for (xpath, label) in [("//main", "fallback:main"), ("//*[@role='main']", "fallback:role-main"),
                                       ("//article", "fallback:article"), ("//body", "fallback:body"), ("/", "fallback:document")] {
                    if case .nodes(let nodes) = try doc.evaluate(xpath), let node = nodes.first {
                        text = extractor.text(of: node)
                        if !text.isEmpty { provenance["text"] = label; break }
                    }
                }
            }
        }

        // Fields: rules; without any field rule, cells labelled with a known field name.
        var fields: [String: String] = [:]
        for (name, rule) in rules.fields {
            if let v = try firstString(doc, rule).map(normalizer.normalizeInline), !v.isEmpty {
                fields[name] = v; provenance["fields.\(name)"] = "xpath:\(rule)"
            }
        }
        if rules.fields.isEmpty {
            for (name, found) in FieldFinder().find(in: doc) {
                fields[name] = normalizer.normalizeInline(found.value)
                provenance["fields.\(name)"] = "heuristic:label:\(found.label)"
            }
        }

        // Published date: rule, then metadata, then the first date in the page text.
        var published: String?, publishedRaw: String?
        if let rule = rules.published, let raw = try firstString(doc, rule) {
            publishedRaw = normalizer.normalizeInline(raw)
            published = dates.firstDate(in: raw)?.iso8601
            if published != nil { provenance["published"] = "xpath:\(rule)" }
        }
        if published == nil, let found = DateFinder().find(in: doc, url: url) {
            published = found.date.iso8601; publishedRaw = found.raw; provenance["published"] = found.source
        }
        if published == nil, let found = DateFinder().dateNearHeading(doc) {
            // The date line usually sits next to the release's heading, outside its body.
            published = found.date.iso8601; provenance["published"] = "text:near-heading"
        }
        if published == nil {
            let pageText = rules.body == nil ? ((try? firstString(doc, "//body")) ?? text) : text
            // A publication date stands near the top; the rest of a long page is not searched.
            if let d = DateFinder().plausible(String(pageText.prefix(12000))) {
                published = d.iso8601; provenance["published"] = "fallback:text"
            }
        }

        // Attachments: rule, else every link that looks like a file.
        var attachments: [PageLink] = []
        if let rule = rules.attachments {
            attachments = try links(doc, rule, base: base)
            provenance["attachments"] = "xpath:\(rule)"
        } else {
            // Cheap string test first: most links on a page are not files, and resolving and
            // normalising every one of them costs more than parsing the page.
            attachments = try links(doc, "//a[@href]", base: base, where: Self.mayBeAttachment)
                .filter { Self.looksLikeAttachment($0.url) }
            if !attachments.isEmpty { provenance["attachments"] = "fallback:link-extension" }
        }
        var seen = Set<URL>()
        attachments = attachments.filter { seen.insert($0.url).inserted }

        let language = language(of: doc, text: text)
        if let language { provenance["language"] = language.source }
        var updated: String?
        if let u = DateFinder().findUpdated(in: doc), u.date.iso8601 != published {
            updated = u.date.iso8601; provenance["updated"] = u.source
        }
        if fields["author"] == nil, rules.fields["author"] == nil, let author = author(doc) {
            fields["author"] = author.value; provenance["fields.author"] = author.source
        }
        let site = siteName(doc)
        if let site { provenance["site_name"] = site.source }
        return ScrapedPage(url: url, title: title, published: published, publishedRaw: publishedRaw,
                           updated: updated, siteName: site?.value,
                           fields: fields, text: text, language: language?.code,
                           attachments: attachments, provenance: provenance, encoding: encoding)
    }

    // MARK: Listing pages

    /// The links a listing page's `xpath` selects, resolved against the page and `<base href>`.
    public func links(bytes: Data, url: URL, transportCharset: String? = nil, xpath: String) throws -> [PageLink] {
        let encoding = charsets.detect(bytes, transportCharset: transportCharset)
        let doc = try HTMLDocument(bytes: bytes, encoding: encoding.encoding, url: url.absoluteString)
        return try links(doc, xpath, base: baseURL(of: doc, pageURL: url))
    }

    // MARK: Helpers

    private func baseURL(of doc: HTMLDocument, pageURL: URL) -> URL {
        guard let href = try? firstString(doc, "//head/base/@href | //base/@href"),
              let base = resolve(href, against: pageURL) else { return pageURL }
        return base
    }

    private func resolve(_ href: String, against base: URL) -> URL? {
        let trimmed = href.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
        let lower = trimmed.lowercased()
        if lower.hasPrefix("javascript:") || lower.hasPrefix("mailto:") || lower.hasPrefix("tel:")
            || lower.hasPrefix("data:") { return nil }
        return URL(string: trimmed, relativeTo: base)?.absoluteURL
    }

    static let attachmentHints: [[UInt8]] = (attachmentExtensions.map { ".\($0)" } + ["download", "filedown", "atchfile", "attach", "getfile"])
        .map { Array($0.utf8) }

    /// A quick test on the raw href before it is resolved (plain byte search: Foundation's
    /// `contains` is far too slow for every link of every page).
    static func mayBeAttachment(_ href: String) -> Bool {
        let h = href.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return attachmentHints.contains { ByteSearch.contains($0, in: h) }
    }

    private func links(_ doc: HTMLDocument, _ xpath: String, base: URL, where keep: (String) -> Bool = { _ in true }) throws -> [PageLink] {
        guard case .nodes(let nodes) = try doc.evaluate(xpath) else { return [] }
        return nodes.compactMap { node -> PageLink? in
            // An attribute node gives the href itself; an element gives its href and text.
            let href = node.kind == .element ? (node.attribute("href") ?? node.attribute("src")) : node.stringValue
            guard let href, keep(href), let url = resolve(href, against: base) else { return nil }
            let label = node.kind == .element ? node.stringValue : (node.parent?.stringValue ?? "")
            return PageLink(url: url, text: normalizer.normalizeInline(label))
        }
    }

    /// The first non-empty string an XPath selects (node string value or scalar).
    func firstString(_ doc: HTMLDocument, _ xpath: String) throws -> String? {
        switch try doc.evaluate(xpath) {
        case .nodes(let nodes):
            for n in nodes {
                let v = n.kind == .element ? TextExtractor().text(of: n) : n.stringValue
                if !v.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return v }
            }
            return nil
        case .value(let v):
            return v.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : v
        }
    }
}
