import Foundation

/// Page parts that several heuristics read: label cells (`<dt>`, `<th>`, `<strong>`,
/// `<label>`, short `<span>`s) with the value that follows them, and JSON-LD objects.
enum PageSignals {
    /// Short elements that may be labels, with their text trimmed of white space and colons.
    static func labelCells(_ doc: HTMLDocument) -> [(label: String, node: HTMLNode)] {
        let xpath = "//*[self::dt or self::th or self::strong or self::b or self::label or self::span or self::em][string-length(normalize-space(.)) < 24]"
        guard case .nodes(let nodes) = (try? doc.evaluate(xpath)) ?? .value("") else { return [] }
        return nodes.map { ($0.stringValue.trimmingCharacters(in: .whitespacesAndNewlines.union(.init(charactersIn: ":："))), $0) }
    }

    /// The sibling after a label: the next element, or (`skippingBlank`) the next element or
    /// text node that has any text.
    static func value(after node: HTMLNode, skippingBlank: Bool) -> HTMLNode? {
        guard let parent = node.parent else { return nil }
        var seen = false
        for sibling in parent.children {
            if seen {
                if !skippingBlank {
                    if sibling.kind == .element { return sibling }
                    continue
                }
                guard sibling.kind == .element || sibling.kind == .text else { continue }
                let text = sibling.kind == .text ? sibling.text : sibling.stringValue
                if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return sibling }
            }
            if sibling.pointer == node.pointer { seen = true }
        }
        return nil
    }

    /// The text of a value node (a text node's own text, an element's string value).
    static func text(of node: HTMLNode) -> String {
        node.kind == .text ? node.text : node.stringValue
    }

    /// Every parseable JSON-LD block of the page.
    static func jsonLD(_ doc: HTMLDocument) -> [Any] {
        guard case .nodes(let scripts) = (try? doc.evaluate("//script[@type='application/ld+json']")) ?? .value("") else { return [] }
        return scripts.compactMap { try? JSONSerialization.jsonObject(with: Data(unwrapped($0.stringValue).utf8), options: [.fragmentsAllowed]) }
    }

    /// A script's JSON without the `<![CDATA[ … ]]>` wrapper (and its `//` or `/* */` comment
    /// forms) that pages written for XHTML put around it: an HTML parser leaves it in the text.
    static func unwrapped(_ script: String) -> String {
        guard let open = script.range(of: "<![CDATA["), let close = script.range(of: "]]>", options: .backwards),
              open.upperBound <= close.lowerBound else { return script }
        // Only a wrapper: nothing but white space and comment marks may precede it.
        let before = script[..<open.lowerBound].filter { !$0.isWhitespace && $0 != "/" && $0 != "*" }
        guard before.isEmpty else { return script }
        var inner = script[open.upperBound..<close.lowerBound]
        while let last = inner.last, last.isWhitespace || last == "/" || last == "*" { inner = inner.dropLast() }
        return String(inner)
    }
}
