import CTrawlXML
import Foundation

/// An error from parsing HTML or evaluating XPath, naming what failed.
public struct HTMLError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable { case parse, xpath }
    public let code: Code
    public let message: String
    public var description: String { message }
}

/// A parsed HTML document. It owns the libxml2 tree and frees it exactly once, in `deinit`;
/// nodes keep their document alive. Not `Sendable`: a tree is used by one task at a time.
public final class HTMLDocument {
    fileprivate let handle: OpaquePointer

    /// Parses `bytes` as HTML in `encoding` (an iconv name such as `UTF-8` or `CP949`).
    /// `url` is the document's own address, used by libxml2 only for diagnostics.
    public init(bytes: Data, encoding: String, url: String? = nil) throws {
        var error: UnsafeMutablePointer<CChar>?
        let doc = bytes.withUnsafeBytes { raw in
            trawl_html_parse(raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count,
                             url, encoding, &error)
        }
        guard let doc else {
            defer { trawl_free(error) }
            let message = error.map { String(cString: $0) } ?? "HTML parse failed"
            throw HTMLError(code: .parse, message: "\(url ?? "document"): \(message)")
        }
        handle = doc
    }

    deinit { trawl_html_free(handle) }

    /// The document node; its children are the top-level elements.
    public var root: HTMLNode { HTMLNode(document: self, pointer: trawl_html_document_node(handle)) }

    /// Evaluates `xpath` against the document (or `node`).
    public func evaluate(_ xpath: String, from node: HTMLNode? = nil) throws -> XPathResult {
        var error: UnsafeMutablePointer<CChar>?
        guard let result = trawl_xpath_eval(handle, node?.pointer, xpath, &error) else {
            defer { trawl_free(error) }
            let message = error.map { String(cString: $0) } ?? "XPath error"
            throw HTMLError(code: .xpath, message: "\(message) in '\(xpath)'")
        }
        defer { trawl_xpath_free(result) }
        switch Int32(trawl_xpath_kind(result)) {
        case Int32(TRAWL_XPATH_NODES.rawValue):
            let count = trawl_xpath_node_count(result)
            let nodes = (0..<count).compactMap { i in
                trawl_xpath_node_at(result, i).map { HTMLNode(document: self, pointer: $0) }
            }
            return .nodes(nodes)
        default:
            let value = trawl_xpath_string_value(result)
            defer { trawl_free(value) }
            return .value(value.map { String(cString: $0) } ?? "")
        }
    }

    /// Checks an XPath expression for syntax errors against an empty document.
    public static func validate(xpath: String) throws {
        let empty = try HTMLDocument(bytes: Data("<html></html>".utf8), encoding: "UTF-8")
        _ = try empty.evaluate(xpath)
    }
}

/// What an XPath expression selected: nodes, or a scalar rendered as a string.
public enum XPathResult {
    case nodes([HTMLNode])
    case value(String)
}

/// A node borrowed from an `HTMLDocument`, which it keeps alive.
public struct HTMLNode {
    public enum Kind { case element, text, comment, document, other }

    let document: HTMLDocument
    let pointer: OpaquePointer

    init(document: HTMLDocument, pointer: OpaquePointer) {
        self.document = document
        self.pointer = pointer
    }

    public var kind: Kind {
        switch UInt32(trawl_node_kind(pointer)) {
        case TRAWL_NODE_ELEMENT.rawValue: .element
        case TRAWL_NODE_TEXT.rawValue, TRAWL_NODE_CDATA.rawValue: .text
        case TRAWL_NODE_COMMENT.rawValue: .comment
        case TRAWL_NODE_DOCUMENT.rawValue: .document
        default: .other
        }
    }

    /// Lower-case element (or attribute) name.
    public var name: String {
        withExtendedLifetime(document) { trawl_node_name(pointer).map { String(cString: $0) } ?? "" }
    }

    /// The text of a text node; empty for other kinds.
    public var text: String {
        withExtendedLifetime(document) { trawl_node_text(pointer).map { String(cString: $0) } ?? "" }
    }

    /// All descendant text (XPath string value); for an attribute node, its value.
    public var stringValue: String {
        withExtendedLifetime(document) {
            let value = trawl_node_string_value(pointer)
            defer { trawl_free(value) }
            return value.map { String(cString: $0) } ?? ""
        }
    }

    /// Whether the element has any attribute at all.
    public var hasAttributes: Bool {
        withExtendedLifetime(document) { trawl_node_has_attributes(pointer) != 0 }
    }

    public func attribute(_ name: String) -> String? {
        withExtendedLifetime(document) {
            let value = trawl_node_attribute(pointer, name)
            defer { trawl_free(value) }
            return value.map { String(cString: $0) }
        }
    }

    public var children: [HTMLNode] {
        withExtendedLifetime(document) {
            var out: [HTMLNode] = []
            var next = trawl_node_first_child(pointer)
            while let child = next {
                out.append(HTMLNode(document: document, pointer: child))
                next = trawl_node_next_sibling(child)
            }
            return out
        }
    }

    public var parent: HTMLNode? {
        withExtendedLifetime(document) {
            trawl_node_parent(pointer).map { HTMLNode(document: document, pointer: $0) }
        }
    }
}
