import TrawlNormalize

/// Renders a subtree as plain text with its block structure: paragraphs and headings become
/// paragraph breaks, list items and table rows become lines, table cells are separated by a
/// space. Scripts, styles and form controls never reach the text.
public struct TextExtractor {
    /// Elements whose content is never text. Ruby annotations (`<rt>`, `<rp>`) are reading
    /// aids printed above the text (furigana, pinyin): kept, they split every annotated word.
    public static let invisible: Set<String> = [
        "script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe",
        "object", "embed", "svg", "canvas", "select", "option", "button", "input", "textarea", "rt", "rp",
    ]
    /// Page furniture dropped when no rule says where the body is.
    public static let boilerplate: Set<String> = ["nav", "header", "footer", "aside", "form", "menu"]

    static let paragraphBlocks: Set<String> = [
        "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "ul", "ol", "dl", "blockquote", "pre", "figure", "figcaption", "hr",
        "header", "footer", "nav", "aside", "address", "details", "summary", "fieldset", "center",
    ]
    static let lineBlocks: Set<String> = ["li", "tr", "dt", "dd", "caption", "thead", "tbody", "tfoot"]

    public var skipped: Set<String>
    /// Particular nodes to leave out (selected by a source's `exclude` rules).
    var excludedNodes: Set<OpaquePointer>

    public init(dropBoilerplate: Bool = false) {
        self.init(dropBoilerplate: dropBoilerplate, excluding: [])
    }

    init(dropBoilerplate: Bool = false, excluding nodes: Set<OpaquePointer>) {
        skipped = dropBoilerplate ? Self.invisible.union(Self.boilerplate) : Self.invisible
        excludedNodes = nodes
    }

    public func text(of node: HTMLNode) -> String {
        var out = ""
        // The node asked for is rendered even if its kind is normally skipped (`<title>`).
        if node.kind == .element, skipped.contains(node.name) {
            for child in node.children { render(child, into: &out, preformatted: false) }
        } else {
            render(node, into: &out, preformatted: false)
        }
        return TextNormalizer().normalize(out)
    }

    /// Ends the output with at least `count` line breaks (block edges do not add up).
    private static func breakLines(_ out: inout String, _ count: Int) {
        var have = 0
        for ch in out.reversed() {
            if ch == "\n" { have += 1 } else if ch != " " { break }
            if have >= count { return }
        }
        out += String(repeating: "\n", count: count - have)
    }

    /// Normalises rendered text (for other renderers built on the same block rules).
    static func finish(_ out: String) -> String { TextNormalizer().normalize(out) }

    /// Appends a text node's text with HTML white-space collapsing.
    func appendText(_ t: String, to out: inout String) {
        // HTML's white space is ASCII, so the collapsing is done on UTF-8 bytes: walking
        // Characters (grapheme breaking) was the larger part of rendering.
        var lastWasSpace = out.utf8.last.map { $0 == 0x20 || $0 == 0x0A } ?? true
        var bytes: [UInt8] = []
        bytes.reserveCapacity(t.utf8.count)
        for b in t.utf8 {
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                if !lastWasSpace { bytes.append(0x20); lastWasSpace = true }
            } else {
                bytes.append(b); lastWasSpace = false
            }
        }
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// The break (and cell space) an element's start adds.
    func open(_ name: String, into out: inout String) {
        if name == "br" { out += "\n"; return }
        if Self.paragraphBlocks.contains(name) { Self.breakLines(&out, 2) } else if Self.lineBlocks.contains(name) { Self.breakLines(&out, 1) }
        if name == "td" || name == "th" { out += " " }
    }

    /// The break an element's end adds.
    func close(_ name: String, into out: inout String) {
        if Self.paragraphBlocks.contains(name) { Self.breakLines(&out, 2) } else if Self.lineBlocks.contains(name) { Self.breakLines(&out, 1) }
    }

    private func render(_ node: HTMLNode, into out: inout String, preformatted: Bool) {
        switch node.kind {
        case .text:
            // HTML collapses runs of white space (including line breaks) to one space.
            if preformatted { out += node.text } else { appendText(node.text, to: &out) }
        case .element, .document:
            let name = node.name
            if skipped.contains(name) || excludedNodes.contains(node.pointer) { return }
            open(name, into: &out)
            if name == "br" { return }
            let pre = preformatted || name == "pre"
            for child in node.children { render(child, into: &out, preformatted: pre) }
            close(name, into: &out)
        case .comment, .other:
            return
        }
    }
}
