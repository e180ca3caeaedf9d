import Foundation

/// How one XML vocabulary (WordprocessingML, DrawingML, OWPML, ODF) carries text, by local
/// element name. One walker serves them all.
struct MarkupRules {
    /// Elements that are paragraphs: their end closes a line of text.
    var paragraphs: Set<String>
    /// Text counts only inside these elements (nil: text anywhere counts).
    var textElements: Set<String>?
    var tabs: Set<String> = []
    var lineBreaks: Set<String> = []
    /// Elements standing for one character (a non-breaking hyphen, a fixed space…).
    var characters: [String: String] = [:]
    /// Subtrees that hold no document text (deleted runs, field codes, fallbacks repeating
    /// the primary content).
    var skipped: Set<String> = []
    /// Subtrees whose text is a comment, kept apart.
    var comments: Set<String> = []
    /// ODF's `text:s`: a run of spaces counted by its `c` attribute.
    var spaceRuns: Set<String> = []
    /// Elements after which a table cell ends (its text stays one paragraph of its own).
    var cells: Set<String> = []
    /// Notes anchored inside a paragraph: their text follows the paragraph instead of
    /// splitting its sentence.
    var deferred: Set<String> = []
}

enum MarkupText {
    /// Walks `data` (an XML part called `name`) and appends its text to `builder`, comments to
    /// `comments`.
    static func extract(_ data: Data, name: String, rules: MarkupRules, into builder: inout TextBuilder,
                        comments: inout [String]) throws {
        let reader = try XMLStreamReader(data, name: name)
        var skipDepth = 0
        var textDepth = 0
        var commentDepth = 0
        var comment = TextBuilder()
        // Open deferred notes (innermost last) and the finished ones waiting for the end of
        // the paragraph they are anchored in.
        var notes: [TextBuilder] = []
        var waiting: [String] = []
        func flushWaiting(into b: inout TextBuilder) {
            for t in waiting { b.append(t); b.endParagraph() }
            waiting.removeAll()
        }
        while let event = try reader.next() {
            switch event {
            case .start(let el):
                if skipDepth > 0 || rules.skipped.contains(el) { skipDepth += 1; continue }
                if rules.comments.contains(el) { commentDepth += 1; continue }
                if commentDepth > 0 {
                    if rules.textElements?.contains(el) == true { textDepth += 1 }
                    continue
                }
                if rules.deferred.contains(el) { notes.append(TextBuilder()); continue }
                if rules.paragraphs.contains(el) { if notes.isEmpty { builder.endParagraph() } else { notes[notes.count - 1].endParagraph() } }
                if rules.textElements?.contains(el) == true { textDepth += 1 }
                var piece: String?
                if rules.tabs.contains(el) { piece = "\t" }
                else if rules.lineBreaks.contains(el) { piece = "\n" }
                else if let c = rules.characters[el] { piece = c }
                else if rules.spaceRuns.contains(el) {
                    let n = reader.attribute("c").flatMap(Int.init) ?? 1
                    piece = String(repeating: " ", count: min(max(n, 1), 1000))
                }
                if let piece { if notes.isEmpty { builder.append(piece) } else { notes[notes.count - 1].append(piece) } }
            case .end(let el):
                if skipDepth > 0 { skipDepth -= 1; continue }
                if commentDepth > 0 {
                    if rules.textElements?.contains(el) == true { textDepth -= 1 }
                    if rules.paragraphs.contains(el) { comment.endParagraph() }
                    if rules.comments.contains(el) {
                        commentDepth -= 1
                        if commentDepth == 0 {
                            let c = comment.finish()
                            if !c.isEmpty { comments.append(c) }
                            comment = TextBuilder()
                        }
                    }
                    continue
                }
                if rules.textElements?.contains(el) == true { textDepth -= 1 }
                if rules.deferred.contains(el), var note = notes.popLast() {
                    let t = note.finish()
                    if !t.isEmpty {
                        if notes.isEmpty { waiting.append(t) } else { notes[notes.count - 1].append(t); notes[notes.count - 1].endParagraph() }
                    }
                    continue
                }
                if rules.paragraphs.contains(el) || rules.cells.contains(el) {
                    if notes.isEmpty {
                        builder.endParagraph()
                        flushWaiting(into: &builder)
                    } else {
                        notes[notes.count - 1].endParagraph()
                    }
                }
            case .text(let t):
                if skipDepth > 0 { continue }
                if rules.textElements != nil && textDepth <= 0 { continue }
                if commentDepth > 0 { comment.append(t) } else if notes.isEmpty { builder.append(t) } else { notes[notes.count - 1].append(t) }
            }
        }
        builder.endParagraph()
        flushWaiting(into: &builder)
    }
}
