/// Builds a page's text the way a reader sees it: poppler's reading-order text, with
/// form-field values placed where they are drawn (poppler-glib's text leaves widgets out,
/// pdftotext prints them because their appearance is drawn on the page).
struct PageTextAssembler {
    struct Line { var text: Substring.UnicodeScalarView; var box: PageBox? }

    /// `layout` holds one box per scalar of `text`, as poppler returns them.
    static func assemble(text: String, layout: [PageBox], fields: [(box: PageBox, text: String)]) -> String {
        let pending = fields.filter { !$0.text.isEmpty && !text.contains($0.text) }
        guard !pending.isEmpty else { return text }
        let scalars = text.unicodeScalars
        guard layout.count == scalars.count else {
            return ([text] + pending.map(\.text)).joined(separator: "\n")
        }

        // Split into lines, remembering the box of each line's first scalar.
        var lines: [Line] = []
        var start = scalars.startIndex, offset = 0, lineOffset = 0
        for (i, s) in zip(scalars.indices, scalars) {
            if s == "\n" {
                lines.append(Line(text: Substring(text).unicodeScalars[start..<i], box: layout[lineOffset]))
                start = scalars.index(after: i); lineOffset = offset + 1
            }
            offset += 1
        }
        if start < scalars.endIndex {
            lines.append(Line(text: Substring(text).unicodeScalars[start...], box: layout[lineOffset]))
        }

        // Each value goes after its label: the nearest line to its left on the same row, or
        // else the closest line above it.
        var after: [Int: [String]] = [:]
        var before: [String] = []
        for field in pending.sorted(by: { ($0.box.y1, $0.box.x1) < ($1.box.y1, $1.box.x1) }) {
            let sameRow = lines.indices.filter { i in
                guard let b = lines[i].box else { return false }
                return b.midY >= field.box.y1 && b.midY <= field.box.y2 && b.x1 < field.box.x1
            }
            if let i = sameRow.max(by: { lines[$0].box!.x1 < lines[$1].box!.x1 }) {
                after[i, default: []].append(field.text); continue
            }
            let above = lines.indices.filter { (lines[$0].box?.midY ?? .infinity) < field.box.midY }
            if let i = above.max(by: { lines[$0].box!.midY < lines[$1].box!.midY }) {
                after[i, default: []].append(field.text)
            } else {
                before.append(field.text)
            }
        }
        var out = before
        for (i, line) in lines.enumerated() {
            out.append(String(String.UnicodeScalarView(line.text)))
            out += after[i] ?? []
        }
        return out.joined(separator: "\n")
    }
}
