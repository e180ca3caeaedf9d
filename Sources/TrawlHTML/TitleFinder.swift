/// Chooses a page's title without rules. Candidates are `og:title`, the first `<h1>` and
/// `<title>`; site names are cut from them (`Release title | Ministry of …`), and a
/// heading that the `<title>` or `og:title` confirms wins over either alone.
struct TitleFinder {
    static let separators = [" | ", " - ", " – ", " — ", " :: ", " » ", " · ", " / ", " : "]

    func find(ogTitle: String?, h1: String?, htmlTitle: String?, siteName: String?, headings: [String] = []) -> (title: String, source: String)? {
        let og = ogTitle.map { clean($0, siteName: siteName, headings: headings) }.flatMap(nonEmpty)
        let head = htmlTitle.map { clean($0, siteName: siteName, headings: headings) }.flatMap(nonEmpty)
        let heading = h1.flatMap(nonEmpty)
        // A heading confirmed by the document's own title is the most reliable.
        if let heading, heading.count >= 8, [ogTitle, htmlTitle].contains(where: { $0.map { contains($0, heading) } ?? false }) {
            return (heading, "html:h1")
        }
        if let og { return (og, "meta:og:title") }
        if let head { return (head, "html:title") }
        if let heading { return (heading, "html:h1") }
        return nil
    }

    /// Cuts a site name joined by a separator: the named site if known, else the shorter
    /// side when one side is clearly the longer (release titles are longer than site names).
    func clean(_ title: String, siteName: String?, headings: [String] = []) -> String {
        var t = title
        if let site = siteName.flatMap(nonEmpty) {
            for sep in Self.separators {
                if t.hasSuffix(sep + site) { t = String(t.dropLast(sep.count + site.count)) }
                if t.hasPrefix(site + sep) { t = String(t.dropFirst(site.count + sep.count)) }
            }
        }
        for sep in Self.separators where t.contains(sep) {
            let parts = t.components(separatedBy: sep)
            guard parts.count >= 2 else { continue }
            // The part that the page repeats as a heading is the page's own title.
            if let confirmed = parts.first(where: { part in
                part.count >= 6 && headings.contains { $0.caseInsensitiveCompare(part.trimmingCharacters(in: .whitespaces)) == .orderedSame }
            }) {
                t = confirmed
                break
            }
            if [" | ", " :: ", " » ", " · "].contains(sep) {
                // Pipes and chevrons only ever join a title and its site: keep the longest part.
                let longest = parts.max(by: { $0.count < $1.count })!
                let others = parts.filter { $0 != longest }.map(\.count).max() ?? 0
                if longest.count >= 2 * others, others <= 40 { t = longest }
            } else if let last = parts.last, last.count <= 40 {
                // Dashes and colons also occur inside titles ("Berlin - Brandenburg agree …"):
                // only a short trailing part, after a much longer title, is a site name.
                let head = parts.dropLast().joined(separator: sep)
                if head.count >= 2 * last.count { t = head }
            }
            break
        }
        return t.trimmingCharacters(in: .whitespaces)
    }

    private func contains(_ haystack: String, _ needle: String) -> Bool {
        haystack.lowercased().contains(needle.lowercased())
    }

    private func nonEmpty(_ s: String) -> String? {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }
}
