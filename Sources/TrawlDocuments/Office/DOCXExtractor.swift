import Foundation

/// Word documents: headers, body (tables cell by cell, text boxes once), footnotes, endnotes
/// and footers in that order; comments kept apart.
struct DOCXExtractor: DocumentExtractor {
    static let rules = MarkupRules(
        paragraphs: ["p"], textElements: ["t"], tabs: ["tab"], lineBreaks: ["br", "cr"],
        characters: ["noBreakHyphen": "-", "softHyphen": ""],
        // Deleted runs, field instructions, the VML fallback that repeats a text box, and
        // ruby text (the reading guide printed above East Asian words).
        skipped: ["delText", "instrText", "Fallback", "del", "moveFrom", "rPh", "tabs", "rt"],
        cells: ["tc"])

    func extract(_ data: Data, name: String, context: ExtractionContext) throws -> DocumentExtraction {
        let (package, document) = try OOXMLPackage.open(data, name: name, context: context, fallback: "word/document.xml")
        let main = document.path, body = document.data, rels = document.relationships
        func parts(_ suffix: String) -> [String] {
            rels.filter { $0.type.hasSuffix(suffix) }.map(\.target).sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        }
        var builder = TextBuilder()
        var comments: [String] = []
        var ignored: [String] = []
        func add(_ path: String, into target: inout TextBuilder) throws {
            guard let d = try package.part(path) else { return }
            try MarkupText.extract(d, name: "\(name): \(path)", rules: Self.rules, into: &target, comments: &ignored)
        }
        // The body's numbered paragraphs show their list labels ("1)", "a.", "2.17").
        var bodyRules = Self.rules
        let numbering = try parts("/numbering").first.flatMap { try package.part($0) }
        if let numbering {
            bodyRules.numbering = try ListNumbering(numbering: numbering, styles: try parts("/styles").first.flatMap { try package.part($0) }, name: name)
        }
        for h in parts("/header") { try add(h, into: &builder) }
        try MarkupText.extract(body, name: "\(name): \(main)", rules: bodyRules, into: &builder, comments: &ignored)
        try package.graphicText(of: main, into: &builder)
        for n in parts("/footnotes") + parts("/endnotes") { try add(n, into: &builder) }
        for f in parts("/footer") { try add(f, into: &builder) }
        for c in parts("/comments") {
            var commentText = TextBuilder()
            try add(c, into: &commentText)
            let t = commentText.finish()
            if !t.isEmpty { comments.append(t) }
        }
        var x = DocumentExtraction(format: .docx, text: builder.finish())
        x.comments = comments
        x.metadata = try package.metadata()
        x.parts = 1
        x.members = package.embedded(name: name)
        return x
    }
}

/// PowerPoint: slides in presentation order, each followed by its notes; comments apart.
struct PPTXExtractor: DocumentExtractor {
    static let rules = MarkupRules(paragraphs: ["p"], textElements: ["t"], tabs: [], lineBreaks: ["br"],
                                   skipped: ["Fallback"], cells: ["tc"])

    func extract(_ data: Data, name: String, context: ExtractionContext) throws -> DocumentExtraction {
        let (package, deck) = try OOXMLPackage.open(data, name: name, context: context, fallback: "ppt/presentation.xml")
        let main = deck.path, presentation = deck.data, byID = deck.targets
        // Slide order is the order of sldId elements, not of part names.
        var slides: [String] = []
        let reader = try XMLStreamReader(presentation, name: "\(name): \(main)")
        while let e = try reader.next() {
            if case .start("sldId") = e, let rid = reader.attribute("id", prefixed: true), let target = byID[rid] {
                slides.append(target)
            }
        }
        var builder = TextBuilder()
        var ignored: [String] = []
        var comments: [String] = []
        for slide in slides {
            guard let d = try package.part(slide) else { continue }
            try MarkupText.extract(d, name: "\(name): \(slide)", rules: Self.rules, into: &builder, comments: &ignored)
            try package.graphicText(of: slide, into: &builder)
            for rel in try package.relationships(of: slide) {
                if rel.type.hasSuffix("/notesSlide"), let n = try package.part(rel.target) {
                    try MarkupText.extract(n, name: "\(name): \(rel.target)", rules: Self.notesRules, into: &builder, comments: &ignored)
                } else if rel.type.hasSuffix("/comments"), let c = try package.part(rel.target) {
                    var t = TextBuilder()
                    try MarkupText.extract(c, name: "\(name): \(rel.target)", rules: MarkupRules(paragraphs: ["cm"], textElements: ["text"]), into: &t, comments: &ignored)
                    let s = t.finish()
                    if !s.isEmpty { comments.append(s) }
                }
            }
            builder.endPart()
        }
        // Text typed on a slide master or layout (not its placeholders' prompts) shows on
        // every slide that uses it; it is read once per master.
        var seen: Set<String> = []
        for slide in slides {
            for layout in try package.relationships(of: slide) where layout.type.hasSuffix("/slideLayout") {
                var chain = [layout.target]
                chain += try package.relationships(of: layout.target).filter { $0.type.hasSuffix("/slideMaster") }.map(\.target)
                for part in chain where seen.insert(part).inserted {
                    if let d = try package.part(part) { try Self.nonPlaceholderText(d, name: "\(name): \(part)", into: &builder) }
                }
            }
        }
        var x = DocumentExtraction(format: .pptx, text: builder.finish())
        x.comments = comments
        x.metadata = try package.metadata()
        x.parts = slides.count
        x.members = package.embedded(name: name)
        return x
    }

    /// The text of shapes that are not placeholders.
    static func nonPlaceholderText(_ data: Data, name: String, into builder: inout TextBuilder) throws {
        let reader = try XMLStreamReader(data, name: name)
        var depth = 0
        var placeholder = false
        var shape = TextBuilder()
        var inT = 0
        while let e = try reader.next() {
            switch e {
            case .start("sp"): if depth == 0 { shape = TextBuilder(); placeholder = false }; depth += 1
            case .start("ph") where depth > 0: placeholder = true
            case .start("t") where depth > 0: inT += 1
            case .end("t") where depth > 0: inT -= 1
            case .start("br") where depth > 0: shape.append("\n")
            case .end("p") where depth > 0: shape.endParagraph()
            case .text(let t) where depth > 0 && inT > 0: shape.append(t)
            case .end("sp"):
                depth -= 1
                if depth == 0 && !placeholder {
                    let t = shape.finish()
                    if !t.isEmpty { builder.append(t); builder.endParagraph() }
                }
            default: break
            }
        }
    }

    /// Notes pages repeat the slide's number and image placeholders; only their text counts.
    static let notesRules = MarkupRules(paragraphs: ["p"], textElements: ["t"], lineBreaks: ["br"], skipped: ["Fallback", "fld"])
}
