import Foundation

/// An Office Open XML package: parts found through their relationships, as Office finds
/// them, not by guessed names.
struct OOXMLPackage {
    let zip: ZipArchive
    let context: ExtractionContext

    struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    func part(_ path: String) throws -> Data? { try zip.read(path, context: context) }

    /// The main part of an OOXML package: its name (from the package relationships, or
    /// `fallback`), its bytes and its relationships. A package without one is damaged.
    struct Main {
        var path: String
        var data: Data
        var relationships: [Relationship]
        /// Relationship targets by id (`r:id` attributes point through these).
        var targets: [String: String] { Dictionary(relationships.map { ($0.id, $0.target) }, uniquingKeysWith: { a, _ in a }) }
    }

    static func open(_ data: Data, name: String, context: ExtractionContext, fallback: String) throws -> (OOXMLPackage, Main) {
        let package = OOXMLPackage(zip: try ZipArchive.open(data, name: name), context: context)
        let path = try package.mainPart(fallback: fallback)
        guard let bytes = try package.part(path) else {
            throw DocumentError(.damaged, "\(name): the package has no main part (\(path))")
        }
        return (package, Main(path: path, data: bytes, relationships: try package.relationships(of: path)))
    }

    /// The relationships of `part` ("" for the package), with targets resolved to part names.
    func relationships(of part: String) throws -> [Relationship] {
        let dir = (part as NSString).deletingLastPathComponent
        let relsPath = (dir.isEmpty ? "" : dir + "/") + "_rels/" + (part as NSString).lastPathComponent + ".rels"
        guard let data = try self.part(relsPath) else { return [] }
        let reader = try XMLStreamReader(data, name: "\(zip.name): \(relsPath)")
        var out: [Relationship] = []
        while let e = try reader.next() {
            guard case .start("Relationship") = e else { continue }
            if reader.attribute("TargetMode") == "External" { continue }
            guard let target = reader.attribute("Target") else { continue }
            out.append(Relationship(id: reader.attribute("Id") ?? "", type: reader.attribute("Type") ?? "",
                                    target: Self.resolve(target, from: dir)))
        }
        return out
    }

    /// Targets are relative to the source part's folder, or absolute from the package root.
    static func resolve(_ target: String, from dir: String) -> String {
        let decoded = target.removingPercentEncoding ?? target
        var parts: [Substring] = decoded.hasPrefix("/") ? [] : dir.split(separator: "/")
        for c in decoded.split(separator: "/") {
            if c == "." { continue }
            if c == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(c)
        }
        return parts.joined(separator: "/")
    }

    /// The main document part (`officeDocument` relationship), or `fallback`.
    func mainPart(fallback: String) throws -> String {
        try relationships(of: "").first { $0.type.hasSuffix("/officeDocument") }?.target ?? fallback
    }

    /// Files embedded in the document (`word/embeddings/…`, `ppt/embeddings/…`): PDFs, other
    /// Office files, packages. Each is extracted as an attachment of its own.
    func embedded(name: String) -> [DocumentMember] {
        let indices = zip.paths.indices.filter { zip.paths[$0].contains("/embeddings/") }
        return ZIPBundleExtractor.members(of: zip, indices: indices, name: name, context: context).0
    }

    /// Text of charts (titles, series and category names) and SmartArt diagrams reached from
    /// `part`'s relationships.
    func graphicText(of part: String, into builder: inout TextBuilder) throws {
        var ignored: [String] = []
        for rel in try relationships(of: part) {
            if rel.type.hasSuffix("/chart"), let d = try self.part(rel.target) {
                try Self.chartText(d, name: "\(zip.name): \(rel.target)", into: &builder)
            } else if rel.type.hasSuffix("/diagramData"), let d = try self.part(rel.target) {
                try MarkupText.extract(d, name: "\(zip.name): \(rel.target)", rules: MarkupRules(paragraphs: ["p"], textElements: ["t"]),
                                       into: &builder, comments: &ignored)
            }
        }
    }

    /// A chart's words: rich-text titles (`a:t`) and the string caches of series and
    /// categories; the numbers it plots are not text.
    static func chartText(_ data: Data, name: String, into builder: inout TextBuilder) throws {
        let reader = try XMLStreamReader(data, name: name)
        var inT = 0, inStr = 0, inV = 0
        var seen: Set<String> = []
        while let e = try reader.next() {
            switch e {
            case .start("t"): inT += 1
            case .end("t"): inT -= 1; builder.endParagraph()
            case .start("strCache"), .start("strLit"): inStr += 1
            case .end("strCache"), .end("strLit"): inStr -= 1
            case .start("v"): inV += 1
            case .end("v"): inV -= 1
            case .text(let t):
                if inT > 0 { builder.append(t) }
                else if inStr > 0 && inV > 0, seen.insert(t).inserted { builder.append(t); builder.endParagraph() }
            default: break
            }
        }
    }

    /// Title, author and dates from `docProps/core.xml`.
    func metadata() throws -> DocumentMetadata {
        var meta = DocumentMetadata()
        if let core = try part("docProps/core.xml") {
            let fields = try SimpleXML.leafTexts(core, name: "\(zip.name): docProps/core.xml")
            meta.title = fields["title"]
            meta.author = fields["creator"]
            meta.subject = fields["subject"]
            meta.keywords = fields["keywords"]
            meta.created = fields["created"]
            meta.modified = fields["modified"]
        }
        if let app = try part("docProps/app.xml") {
            meta.application = try SimpleXML.leafTexts(app, name: "\(zip.name): docProps/app.xml")["Application"]
        }
        return meta
    }
}

enum SimpleXML {
    /// The text of each leaf element by local name (the first occurrence wins), for small
    /// metadata parts.
    static func leafTexts(_ data: Data, name: String) throws -> [String: String] {
        let reader = try XMLStreamReader(data, name: name)
        var out: [String: String] = [:]
        var stack: [String] = []
        var text = ""
        while let e = try reader.next() {
            switch e {
            case .start(let el): stack.append(el); text = ""
            case .text(let t): text += t
            case .end(let el):
                if stack.last == el { stack.removeLast() }
                let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty && out[el] == nil { out[el] = value }
                text = ""
            }
        }
        return out
    }
}
