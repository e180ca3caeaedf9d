import Foundation

/// Excel workbooks: every sheet with its name, cells in row order separated by tabs, values
/// formatted as Excel shows them (dates, percentages, decimals), then headers, footers and
/// text boxes; cell comments kept apart.
struct XLSXExtractor: DocumentExtractor {
    func extract(_ data: Data, name: String, context: ExtractionContext) throws -> DocumentExtraction {
        let (package, book) = try OOXMLPackage.open(data, name: name, context: context, fallback: "xl/workbook.xml")
        let main = book.path, workbook = book.data, rels = book.relationships, byID = book.targets
        var sheets: [(name: String, part: String)] = []
        var date1904 = false
        let reader = try XMLStreamReader(workbook, name: "\(name): \(main)")
        while let e = try reader.next() {
            guard case .start(let el) = e else { continue }
            if el == "workbookPr", let v = reader.attribute("date1904") { date1904 = v == "1" || v == "true" }
            if el == "sheet", let rid = reader.attribute("id", prefixed: true), let target = byID[rid] {
                sheets.append((reader.attribute("name") ?? "", target))
            }
        }
        let strings = try rels.first { $0.type.hasSuffix("/sharedStrings") }.flatMap { try package.part($0.target) }
            .map { try Self.sharedStrings($0, name: "\(name): shared strings") } ?? []
        let styles = try rels.first { $0.type.hasSuffix("/styles") }.flatMap { try package.part($0.target) }
            .map { try CellFormats($0, name: "\(name): styles") } ?? CellFormats()
        var builder = TextBuilder()
        var comments: [String] = []
        var ignored: [String] = []
        for sheet in sheets {
            guard let d = try package.part(sheet.part) else { continue }
            // A sheet's name heads its text; an empty sheet says nothing.
            var sheetText = TextBuilder()
            try readSheet(d, name: "\(name): \(sheet.part)", strings: strings, styles: styles, date1904: date1904, into: &sheetText)
            let body = sheetText.finish()
            if !body.isEmpty {
                if !sheet.name.isEmpty { builder.append(sheet.name); builder.endParagraph() }
                builder.append(body)
                builder.endParagraph()
            }
            for rel in try package.relationships(of: sheet.part) {
                if rel.type.hasSuffix("/drawing"), let drawing = try package.part(rel.target) {
                    try MarkupText.extract(drawing, name: "\(name): \(rel.target)", rules: PPTXExtractor.rules, into: &builder, comments: &ignored)
                    try package.graphicText(of: rel.target, into: &builder)
                } else if rel.type.hasSuffix("/comments"), let c = try package.part(rel.target) {
                    var t = TextBuilder()
                    try MarkupText.extract(c, name: "\(name): \(rel.target)",
                                           rules: MarkupRules(paragraphs: ["comment"], textElements: ["t"], skipped: ["rPh"]), into: &t, comments: &ignored)
                    comments.append(contentsOf: t.finish().split(separator: "\n").map(String.init))
                }
            }
            builder.endPart()
        }
        var x = DocumentExtraction(format: .xlsx, text: builder.finish())
        x.comments = comments
        x.metadata = try package.metadata()
        x.parts = sheets.count
        x.members = package.embedded(name: name)
        return x
    }

    /// Each `si` is one string: the text of its runs, without phonetic guides (`rPh`).
    static func sharedStrings(_ data: Data, name: String) throws -> [String] {
        let reader = try XMLStreamReader(data, name: name)
        var out: [String] = []
        var current = ""
        var inT = 0, skip = 0
        while let e = try reader.next() {
            switch e {
            case .start("si"): current = ""
            case .start("rPh"): skip += 1
            case .start("t"): inT += 1
            case .end("t"): inT -= 1
            case .end("rPh"): skip -= 1
            case .end("si"): out.append(current)
            case .text(let t) where inT > 0 && skip == 0: current += t
            default: break
            }
        }
        return out
    }

    private func readSheet(_ data: Data, name: String, strings: [String], styles: CellFormats, date1904: Bool,
                           into builder: inout TextBuilder) throws {
        let reader = try XMLStreamReader(data, name: name)
        var row: [String] = []
        var type = "", style = 0
        var value = "", inline = ""
        var inV = false, inIS = false, inT = false, inHF = false, skip = 0
        var headerFooter: [String] = []
        while let e = try reader.next() {
            switch e {
            case .start("row"): row = []
            case .start("c"):
                type = reader.attribute("t") ?? "n"
                style = reader.attribute("s").flatMap(Int.init) ?? 0
                value = ""; inline = ""
            case .start("v"): inV = true
            case .end("v"): inV = false
            case .start("is"): inIS = true
            case .end("is"): inIS = false
            case .start("rPh"): skip += 1
            case .end("rPh"): skip -= 1
            case .start("t"): inT = true
            case .end("t"): inT = false
            case .start(let el) where el.hasPrefix("odd") || el.hasPrefix("even") || el.hasPrefix("first"):
                inHF = true; value = ""
            case .end(let el) where inHF && (el.hasPrefix("odd") || el.hasPrefix("even") || el.hasPrefix("first")):
                inHF = false
                let t = Self.headerFooterText(value)
                if !t.isEmpty && !headerFooter.contains(t) { headerFooter.append(t) }
            case .text(let t):
                if inHF { value += t }
                else if inV { value += t }
                else if inIS && inT && skip == 0 { inline += t }
            case .end("c"):
                let shown: String
                switch type {
                case "s": shown = Int(value).flatMap { $0 >= 0 && $0 < strings.count ? strings[$0] : nil } ?? ""
                case "inlineStr": shown = inline
                case "str", "e": shown = value
                case "b": shown = value == "1" ? "TRUE" : value == "0" ? "FALSE" : value
                default: shown = Double(value).map { styles.format($0, style: style, date1904: date1904) } ?? value
                }
                if !shown.isEmpty { row.append(shown) }
            case .end("row"):
                if !row.isEmpty { builder.append(row.joined(separator: "\t")); builder.endParagraph() }
            default: break
            }
        }
        for t in headerFooter { builder.append(t); builder.endParagraph() }
    }

    /// Header and footer strings carry codes (`&L`, `&C`, `&"Arial,Bold"`, `&P`…): the text
    /// between them is what prints.
    static func headerFooterText(_ s: String) -> String {
        var out = ""
        var chars = Array(s)[...]
        while let c = chars.popFirst() {
            guard c == "&" else { out.append(c); continue }
            guard let next = chars.popFirst() else { break }
            switch next {
            case "&": out.append("&")
            case "\"": while let q = chars.popFirst(), q != "\"" {}
            case "L", "C", "R": if !out.isEmpty && out.last != " " { out.append(" ") }
            case "P": out.append("1")  // page numbers print per page; one stands for them
            case "N": out.append("1")
            case "D", "T", "Z", "F", "A", "G": break
            default:
                if next.isNumber { while let d = chars.first, d.isNumber { chars.removeFirst() } }
            }
        }
        return out.trimmingCharacters(in: .whitespaces)
    }
}
