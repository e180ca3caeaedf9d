import Foundation

/// A parsed robots.txt (RFC 9309): the group for our product token (or `*`), and within it the
/// longest matching rule wins, `Allow` winning a tie. `*` matches any run of characters and a
/// trailing `$` anchors the end.
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

    public init(text: String, agent: String) {
        let token = agent.lowercased()
        var groups: [(agents: [String], rules: [Rule])] = []
        var lastWasAgent = false
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent":
                if lastWasAgent, !groups.isEmpty { groups[groups.count - 1].agents.append(value.lowercased()) } else {
                    groups.append((agents: [value.lowercased()], rules: []))
                }
                lastWasAgent = true
            case "allow", "disallow":
                lastWasAgent = false
                // An empty Disallow allows everything: it is no rule.
                guard !groups.isEmpty, !value.isEmpty else { continue }
                groups[groups.count - 1].rules.append(Rule(allow: key == "allow", pattern: value))
            default:
                lastWasAgent = false
            }
        }
        // Groups naming our token (all of them, merged) win over the `*` groups.
        let mine = groups.filter { $0.agents.contains(where: { $0 != "*" && token.hasPrefix($0) }) }
        let chosen = mine.isEmpty ? groups.filter { $0.agents.contains("*") } : mine
        self.rules = chosen.flatMap(\.rules)
    }

    /// Whether the path and query of `url` may be fetched.
    public func allows(_ url: URL) -> Bool {
        var target = url.path(percentEncoded: true)
        if target.isEmpty { target = "/" }
        if let q = url.query(percentEncoded: true) { target += "?" + q }
        if target == "/robots.txt" { return true }
        var best: Rule?
        for rule in rules where Self.matches(rule.pattern, target) {
            if let b = best {
                if rule.pattern.count > b.pattern.count || (rule.pattern.count == b.pattern.count && rule.allow) { best = rule }
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
