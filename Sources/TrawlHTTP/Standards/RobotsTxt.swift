import Foundation

/// A parsed robots.txt (RFC 9309), checked against Google's reference suite.
///
/// - A group is one or more `user-agent` lines and the rules after them; only `allow` and
///   `disallow` lines end a run of `user-agent` lines, so a `sitemap` or unknown line between
///   two of them does not split the group. Rules before the first group are ignored.
/// - A group applies when its product token (the value up to the first space) equals ours,
///   ignoring case; all such groups are merged. Without one, the `*` groups apply.
/// - Paths are compared percent-encoded, with upper-case hex digits, on both sides: `/게시판/`
///   in a rule matches the URL Trawl fetches, and `%aa` equals `%AA`.
/// - The longest matching pattern (in octets) wins and `allow` wins a tie; `*` matches any
///   run of characters and a trailing `$` anchors the end.
public struct RobotsTxt: Sendable, Equatable {
    struct Rule: Sendable, Equatable {
        var allow: Bool
        var pattern: String
    }

    private let rules: [Rule]

    /// Everything allowed (robots.txt missing: 4xx).
    public static let allowAll = RobotsTxt(rules: [])
    /// Nothing allowed (robots.txt unreachable: 5xx or network failure, RFC 9309 §2.3.1.4).
    public static let disallowAll = RobotsTxt(rules: [Rule(allow: false, pattern: "/")])

    init(rules: [Rule]) { self.rules = rules }

    /// The file as served: a UTF-8 byte-order mark, whole or cut short, is skipped (files saved
    /// on Windows start with one, and it must not hide the first group).
    public init(data: Data, agent: String) {
        var bytes = data[...]
        for b: UInt8 in [0xEF, 0xBB, 0xBF] {
            guard bytes.first == b else { break }
            bytes = bytes.dropFirst()
        }
        self.init(text: String(decoding: bytes, as: UTF8.self), agent: agent)
    }

    public init(text: String, agent: String) {
        let token = Self.productToken(agent)
        var groups: [(agents: [String], rules: [Rule])] = []
        var inAgentLines = false
        var text = Substring(text)
        if text.unicodeScalars.first == "\u{FEFF}" { text = Substring(text.unicodeScalars.dropFirst()) }
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            guard let (key, value) = Self.directive(rawLine) else { continue }
            switch key {
            case "user-agent":
                // `FOO BAR`, `Trawl/1.0`: the product token; `*` for everyone.
                let name = value.hasPrefix("*") ? "*" : Self.productToken(value)
                if inAgentLines, !groups.isEmpty { groups[groups.count - 1].agents.append(name) } else {
                    groups.append((agents: [name], rules: []))
                }
                inAgentLines = true
            case "allow", "disallow":
                inAgentLines = false
                // An empty rule matches nothing: `Disallow:` allows everything.
                guard !groups.isEmpty, !value.isEmpty else { continue }
                groups[groups.count - 1].rules.append(Rule(allow: key == "allow", pattern: Self.normalized(value)))
            default:
                continue  // sitemap, crawl-delay, unknown lines: no effect on groups
            }
        }
        let mine = groups.filter { $0.agents.contains(token) }
        let chosen = mine.isEmpty ? groups.filter { $0.agents.contains("*") } : mine
        self.rules = chosen.flatMap(\.rules)
    }

    /// `Trawl/0.4 (+https://…)` → `trawl`: the leading letters, `_` and `-` (RFC 9309 §2.2.1),
    /// lower-cased, for the crawler's own name and for each `user-agent` line.
    static func productToken(_ agent: String) -> String {
        String(agent.prefix { $0.isASCII && ($0.isLetter || $0 == "_" || $0 == "-") }).lowercased()
    }

    /// `Disallow: /a # note` → ("disallow", "/a"). The colon may be missing after a known
    /// name (`disallow /`), as Google accepts: obeying such a line only ever fetches less.
    static func directive(_ line: Substring) -> (String, String)? {
        let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        if let colon = content.firstIndex(of: ":") {
            let key = content[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            return (key, content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let trimmed = content.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(where: \.isWhitespace) else { return nil }
        let key = trimmed[..<space].lowercased()
        guard ["user-agent", "allow", "disallow"].contains(key) else { return nil }
        return (key, trimmed[space...].trimmingCharacters(in: .whitespaces))
    }

    /// Octets outside US-ASCII percent-encoded and existing escapes in upper case, so that a
    /// rule and a URL that name the same bytes compare equal (RFC 9309 §2.2.2).
    static func normalized(_ s: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b >= 0x80 {
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            } else if b == UInt8(ascii: "%"), i + 2 < bytes.count, bytes[i + 1].isHexDigit, bytes[i + 2].isHexDigit {
                out += [b, bytes[i + 1].upperHex, bytes[i + 2].upperHex]
                i += 2
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether the path and query of `url` may be fetched.
    public func allows(_ url: URL) -> Bool {
        var target = url.path(percentEncoded: true)
        if target.isEmpty { target = "/" }
        if let q = url.query(percentEncoded: true) { target += "?" + q }
        return allows(pathAndQuery: target)
    }

    /// `target` is the path and query as sent in the request line (`/a/b?c=d`).
    public func allows(pathAndQuery target: String) -> Bool {
        let target = Self.normalized(target)
        if target == "/robots.txt" { return true }
        var best: Rule?
        for rule in rules where Self.matches(rule.pattern, target) {
            if let b = best {
                if rule.pattern.utf8.count > b.pattern.utf8.count || (rule.pattern.utf8.count == b.pattern.utf8.count && rule.allow) { best = rule }
            } else { best = rule }
        }
        return best?.allow ?? true
    }

    static func matches(_ pattern: String, _ path: String) -> Bool {
        var p = Substring(pattern)
        let anchored = p.hasSuffix("$")
        if anchored { p = p.dropLast() }
        let pieces = p.split(separator: "*", omittingEmptySubsequences: false)
        var rest = Substring(path)
        for (i, piece) in pieces.enumerated() {
            if i == 0 {
                guard rest.hasPrefix(piece) else { return false }
                rest = rest.dropFirst(piece.count)
            } else if piece.isEmpty {
                continue
            } else if i == pieces.count - 1 && anchored {
                return rest.hasSuffix(piece)
            } else {
                guard let r = rest.range(of: piece) else { return false }
                rest = rest[r.upperBound...]
            }
        }
        return !anchored || rest.isEmpty || pieces.last?.isEmpty == true
    }
}

private extension UInt8 {
    var isHexDigit: Bool { (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self) }
    var upperHex: UInt8 { (0x61...0x66).contains(self) ? self - 0x20 : self }
}
