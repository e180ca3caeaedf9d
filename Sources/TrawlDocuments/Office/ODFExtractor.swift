import Foundation

/// OpenDocument text, spreadsheets and presentations: `content.xml` in document order (table
/// cells as paragraphs; spreadsheet cells tab-separated per row), headers and footers from
/// `styles.xml`, annotations kept apart, metadata from `meta.xml`.
struct ODFExtractor: DocumentExtractor {
    static let textRules = MarkupRules(
        paragraphs: ["p", "h", "title", "desc"], textElements: nil, tabs: ["tab"], lineBreaks: ["line-break"],
        // Tracked deletions, note citations (the number), an annotation's author and date,
        // and the templates of generated indexes are not document text.
        skipped: ["tracked-changes", "note-citation", "creator", "date", "forms", "sequence-decls",
                  "bibliography-source", "table-of-content-source", "illustration-index-source", "table-index-source",
                  "object-index-source", "user-index-source", "alphabetical-index-source",
                  "variable-decls", "user-field-decls", "script", "event-listeners", "named-expressions",
                  "database-ranges", "calculation-settings", "content-validations"],
        comments: ["annotation"], spaceRuns: ["s"], cells: ["table-cell"], deferred: ["note-body"])

    /// A formula object's text is its StarMath source (`annotation`), which reads as typed;
    /// the MathML presentation tokens would run together.
    static let formulaRules = MarkupRules(paragraphs: ["annotation"], textElements: ["annotation"])

    func extract(_ data: Data, name: String, context: ExtractionContext) throws -> DocumentExtraction {
        let zip = try ZipArchive.open(data, name: name)
        if let manifest = try zip.read("META-INF/manifest.xml", context: context),
           manifest.range(of: Data("encryption-data".utf8)) != nil {
            throw DocumentError(.encrypted, "\(name): the OpenDocument file is encrypted with a password")
        }
        guard let content = try zip.read("content.xml", context: context) else {
            throw DocumentError(.damaged, "\(name): no content.xml")
        }
        let format = zip.containerFormat ?? .odt
        var builder = TextBuilder()
        var comments: [String] = []
        if format == .ods {
            try readSpreadsheet(content, name: "\(name): content.xml", into: &builder, comments: &comments)
        } else {
            try MarkupText.extract(content, name: "\(name): content.xml", rules: Self.textRules, into: &builder, comments: &comments)
        }
        // Embedded objects (charts, formulas, drawings) are sub-documents of the package.
        for path in zip.paths where path.hasPrefix("Object ") && path.hasSuffix("/content.xml") && path.split(separator: "/").count == 2 {
            if let d = try zip.read(path, context: context) {
                let isFormula = d.prefix(4096).range(of: Data("<math".utf8)) != nil || d.prefix(4096).range(of: Data(":math ".utf8)) != nil
                try MarkupText.extract(d, name: "\(name): \(path)", rules: isFormula ? Self.formulaRules : Self.textRules,
                                       into: &builder, comments: &comments)
            }
        }
        if let styles = try zip.read("styles.xml", context: context) {
            try readHeadersAndFooters(styles, name: "\(name): styles.xml", into: &builder)
        }
        var x = DocumentExtraction(format: format, text: builder.finish())
        x.comments = comments
        if let meta = try zip.read("meta.xml", context: context) {
            let f = try SimpleXML.leafTexts(meta, name: "\(name): meta.xml")
            x.metadata.title = f["title"]
            x.metadata.author = f["creator"] ?? f["initial-creator"]
            x.metadata.subject = f["subject"]
            x.metadata.keywords = f["keyword"]
            x.metadata.created = f["creation-date"]
            x.metadata.modified = f["date"]
            x.metadata.application = f["generator"]
        }
        x.parts = 1
        return x
    }

    /// Sheets (`table:table`) by name, rows as lines, cells separated by tabs; repeated empty
    /// cells and rows (a sheet's padding to 1,048,576 rows) cost nothing.
    private func readSpreadsheet(_ data: Data, name: String, into builder: inout TextBuilder, comments: inout [String]) throws {
        let reader = try XMLStreamReader(data, name: name)
        var row: [String] = []
        var cell = "", comment = ""
        var inCell = false, inAnnotation = 0, skip = 0, cellParagraphs = 0
        var pendingName: String?
        while let e = try reader.next() {
            switch e {
            case .start(let el) where skip > 0: if !el.isEmpty { skip += 1 }
            case .end where skip > 0: skip -= 1
            case .start("table"):
                pendingName = reader.attribute("name")
            case .end("table"):
                pendingName = nil
                builder.endPart()
            case .start("table-row"): row = []
            case .end("table-row"):
                while row.last == "" { row.removeLast() }
                if !row.isEmpty {
                    // A sheet's name is printed before its first row: empty sheets say nothing.
                    if let n = pendingName, !n.isEmpty { builder.append(n); builder.endParagraph() }
                    pendingName = nil
                    builder.append(row.joined(separator: "\t"))
                    builder.endParagraph()
                }
            case .start("table-cell"), .start("covered-table-cell"):
                inCell = true; cell = ""; cellParagraphs = 0
                let repeated = min(reader.attribute("number-columns-repeated").flatMap(Int.init) ?? 1, 64)
                if repeated > 1 { row.append(contentsOf: Array(repeating: "", count: repeated - 1)) }
            case .end("table-cell"), .end("covered-table-cell"):
                inCell = false
                row.append(cell)
            case .start("annotation"): inAnnotation += 1; comment = ""
            case .end("annotation"):
                inAnnotation -= 1
                let c = comment.trimmingCharacters(in: .whitespacesAndNewlines)
                if !c.isEmpty { comments.append(c) }
            case .start("p") where inCell && inAnnotation == 0:
                if cellParagraphs > 0 { cell += " " }
                cellParagraphs += 1
            case .start("s"):
                let n = min(max(reader.attribute("c").flatMap(Int.init) ?? 1, 1), 1000)
                if inAnnotation > 0 { comment += String(repeating: " ", count: n) } else if inCell { cell += String(repeating: " ", count: n) }
            case .start("tab"): if inCell { cell += "\t" }
            case .start("named-expressions"), .start("database-ranges"), .start("content-validations"), .start("forms"):
                skip = 1
            case .text(let t):
                if inAnnotation > 0 { comment += t } else if inCell { cell += t }
            default: break
            }
        }
    }

    /// Fields of page styles whose stored text is a placeholder, not document text.
    static let headerFields: Set<String> = ["sheet-name", "page-number", "page-count", "date", "time", "file-name", "title",
                                            "chapter", "author-name", "page-continuation"]

    /// Headers and footers live in master pages (`style:header`, `style:footer`, and in
    /// presentations the frames of class header or footer on a master page).
    private func readHeadersAndFooters(_ data: Data, name: String, into builder: inout TextBuilder) throws {
        let reader = try XMLStreamReader(data, name: name)
        var depth = 0
        var frames: [Bool] = []   // per open draw:frame: does it count as a header or footer?
        var fieldDepth = 0        // inside a field whose text is a placeholder ("???", "Page 1 / 99")
        var lines: [String] = []
        var line = ""
        var hadField = false
        // A line that held a field and keeps only its frame ("Page /", "()") once the
        // placeholder is gone says nothing: only lines with words of their own are kept.
        func endLine() {
            let t = line.trimmingCharacters(in: .whitespacesAndNewlines)
            let letters = t.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.count
            if !t.isEmpty && (!hadField || letters > 6) && !lines.contains(t) { lines.append(t) }
            line = ""
            hadField = false
        }
        let containers: Set<String> = ["header", "footer", "header-left", "footer-left", "header-first", "footer-first", "footer-decl", "header-decl"]
        while let e = try reader.next() {
            switch e {
            case .start("frame"):
                let cls = reader.attribute("class") ?? ""
                let counts = cls == "footer" || cls == "header"
                frames.append(counts)
                if counts { depth += 1 }
            case .end("frame"):
                if frames.popLast() == true {
                    depth -= 1
                    if depth == 0 { endLine() }
                }
            case .start(let el) where containers.contains(el): depth += 1
            case .end(let el) where containers.contains(el):
                depth -= 1
                if depth == 0 { endLine() }
            case .start(let el) where depth > 0 && Self.headerFields.contains(el): fieldDepth += 1; hadField = true
            case .end(let el) where depth > 0 && Self.headerFields.contains(el): fieldDepth -= 1
            case .text where fieldDepth > 0: break
            case .start("p") where depth > 0, .start("h") where depth > 0: endLine()
            case .start("tab") where depth > 0: line += "\t"
            case .start("s") where depth > 0: line += " "
            case .text(let t) where depth > 0: line += t
            default: break
            }
        }
        endLine()
        for l in lines { builder.append(l); builder.endParagraph() }
    }
}
