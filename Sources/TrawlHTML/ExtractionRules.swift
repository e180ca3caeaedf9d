/// Where a source's release pages keep each part, as XPath. Every rule is optional; an
/// absent rule falls back to a heuristic (see `PageScraper`).
public struct ExtractionRules: Sendable, Codable, Equatable {
    public var title: String?
    public var published: String?
    public var body: String?
    /// Named fields such as `department`, `author`, `contact`.
    public var fields: [String: String]
    /// Selects attachment links (`<a>` elements or `@href` attributes).
    public var attachments: String?
    /// Nodes to cut out of the body before its text is taken (share buttons, page tools).
    public var exclude: [String]

    public init(title: String? = nil, published: String? = nil, body: String? = nil,
                fields: [String: String] = [:], attachments: String? = nil, exclude: [String] = []) {
        self.title = title; self.published = published; self.body = body
        self.fields = fields; self.attachments = attachments; self.exclude = exclude
    }

    enum CodingKeys: String, CodingKey { case title, published, body, fields, attachments, exclude }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        published = try c.decodeIfPresent(String.self, forKey: .published)
        body = try c.decodeIfPresent(String.self, forKey: .body)
        fields = try c.decodeIfPresent([String: String].self, forKey: .fields) ?? [:]
        attachments = try c.decodeIfPresent(String.self, forKey: .attachments)
        exclude = try c.decodeIfPresent([String].self, forKey: .exclude) ?? []
    }

    /// Every XPath in these rules with a JSON-path-like label, for validation messages.
    public var allExpressions: [(label: String, xpath: String)] {
        var out: [(String, String)] = []
        if let title { out.append(("title", title)) }
        if let published { out.append(("published", published)) }
        if let body { out.append(("body", body)) }
        for (k, v) in fields.sorted(by: { $0.key < $1.key }) { out.append(("fields.\(k)", v)) }
        if let attachments { out.append(("attachments", attachments)) }
        for (i, x) in exclude.enumerated() { out.append(("exclude[\(i)]", x)) }
        return out
    }
}
