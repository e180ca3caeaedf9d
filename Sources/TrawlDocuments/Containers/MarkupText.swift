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
    /// Word's list numbering, when the document has any: numbered paragraphs get their label.
    var numbering: ListNumbering?
}

enum MarkupText {
    /// What an element does, worked out once per element name and document.
    struct Role: OptionSet {
        let rawValue: UInt16
        static let paragraph = Role(rawValue: 1 << 0)
        static let text = Role(rawValue: 1 << 1)
        static let tab = Role(rawValue: 1 << 2)
        static let lineBreak = Role(rawValue: 1 << 3)
        static let character = Role(rawValue: 1 << 4)
        static let skipped = Role(rawValue: 1 << 5)
        static let comment = Role(rawValue: 1 << 6)
        static let spaceRun = Role(rawValue: 1 << 7)
        static let cell = Role(rawValue: 1 << 8)
        static let deferred = Role(rawValue: 1 << 9)
        /// `pStyle`, `numId`, `ilvl`: a paragraph's numbering properties.
        static let numbering = Role(rawValue: 1 << 10)
    }

    static func role(of name: String, in rules: MarkupRules) -> Role {
        var r: Role = []
        if rules.paragraphs.contains(name) { r.insert(.paragraph) }
        if rules.textElements?.contains(name) == true { r.insert(.text) }
        if rules.tabs.contains(name) { r.insert(.tab) }
        if rules.lineBreaks.contains(name) { r.insert(.lineBreak) }
        if rules.characters[name] != nil { r.insert(.character) }
        if rules.skipped.contains(name) { r.insert(.skipped) }
        if rules.comments.contains(name) { r.insert(.comment) }
        if rules.spaceRuns.contains(name) { r.insert(.spaceRun) }
        if rules.cells.contains(name) { r.insert(.cell) }
        if rules.deferred.contains(name) { r.insert(.deferred) }
        if rules.numbering != nil && (name == "pStyle" || name == "numId" || name == "ilvl") { r.insert(.numbering) }
        return r
    }

    /// Walks `data` (an XML part called `name`) and appends its text to `builder`, comments to
    /// `comments`.
    static func extract(_ data: Data, name: String, rules: MarkupRules, into builder: inout TextBuilder,
                        comments: inout [String]) throws {
        let reader = try XMLStreamReader(data, name: name)
        // Element names are interned by libxml2: one lookup per distinct name and document.
        var roles: [UnsafeRawPointer: (Role, String)] = [:]
        func classify(_ p: UnsafeRawPointer) -> (Role, String) {
            if let known = roles[p] { return known }
            let n = String(cString: p.assumingMemoryBound(to: CChar.self))
            let entry = (role(of: n, in: rules), n)
            roles[p] = entry
            return entry
        }
        let textEverywhere = rules.textElements == nil
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
        // Numbering of the open paragraphs (innermost last): style, list, level, and whether
        // the label was already placed (before the paragraph's first text).
        struct Numbered { var style: String?; var numId: String?; var ilvl: Int?; var done = false }
        var numbered: [Numbered] = []
        func label() -> String? {
            guard let numbering = rules.numbering, var n = numbered.last, !n.done else { return nil }
            n.done = true
            numbered[numbered.count - 1] = n
            var numId = n.numId, ilvl = n.ilvl
            if numId == nil, let style = n.style, let s = numbering.styleNumbering(style) { numId = s.numId; ilvl = ilvl ?? s.ilvl }
            guard let numId else { return nil }
            return numbering.label(numId: numId, ilvl: ilvl ?? 0)
        }
        while let event = try reader.nextRaw() {
            switch event {
            case .start(let p):
                if skipDepth > 0 { skipDepth += 1; continue }
                let (role, el) = classify(p)
                if role.isEmpty { continue }
                if role.contains(.skipped) { skipDepth = 1; continue }
                if role.contains(.comment) { commentDepth += 1; continue }
                if commentDepth > 0 {
                    if role.contains(.text) { textDepth += 1 }
                    continue
                }
                if role.contains(.deferred) { notes.append(TextBuilder()); continue }
                if role.contains(.numbering), !numbered.isEmpty {
                    let v = reader.attribute("val")
                    switch el {
                    case "pStyle": numbered[numbered.count - 1].style = v
                    case "numId": numbered[numbered.count - 1].numId = v
                    default: numbered[numbered.count - 1].ilvl = v.flatMap(Int.init)
                    }
                    continue
                }
                if role.contains(.paragraph) {
                    if notes.isEmpty { builder.endParagraph() } else { notes[notes.count - 1].endParagraph() }
                    if rules.numbering != nil { numbered.append(Numbered()) }
                }
                if role.contains(.text) { textDepth += 1 }
                var piece: String?
                if role.contains(.tab) { piece = "\t" }
                else if role.contains(.lineBreak) { piece = "\n" }
                else if role.contains(.character) { piece = rules.characters[el] }
                else if role.contains(.spaceRun) {
                    let n = reader.attribute("c").flatMap(Int.init) ?? 1
                    piece = String(repeating: " ", count: min(max(n, 1), 1000))
                }
                if let piece { if notes.isEmpty { builder.append(piece) } else { notes[notes.count - 1].append(piece) } }
            case .end(let p):
                if skipDepth > 0 { skipDepth -= 1; continue }
                let (role, _) = classify(p)
                if role.isEmpty { continue }
                if commentDepth > 0 {
                    if role.contains(.text) { textDepth -= 1 }
                    if role.contains(.paragraph) { comment.endParagraph() }
                    if role.contains(.comment) {
                        commentDepth -= 1
                        if commentDepth == 0 {
                            let c = comment.finish()
                            if !c.isEmpty { comments.append(c) }
                            comment = TextBuilder()
                        }
                    }
                    continue
                }
                if role.contains(.text) { textDepth -= 1 }
                if role.contains(.deferred), var note = notes.popLast() {
                    let t = note.finish()
                    if !t.isEmpty {
                        if notes.isEmpty { waiting.append(t) } else { notes[notes.count - 1].append(t); notes[notes.count - 1].endParagraph() }
                    }
                    continue
                }
                if role.contains(.paragraph), rules.numbering != nil, !numbered.isEmpty {
                    _ = label()   // an empty numbered paragraph still advances its list
                    numbered.removeLast()
                }
                if role.contains(.paragraph) || role.contains(.cell) {
                    if notes.isEmpty {
                        builder.endParagraph()
                        flushWaiting(into: &builder)
                    } else {
                        notes[notes.count - 1].endParagraph()
                    }
                }
            case .text(let t):
                if skipDepth > 0 { continue }
                if !textEverywhere && textDepth <= 0 { continue }
                if commentDepth > 0 { comment.append(t); continue }
                let prefix = rules.numbering != nil ? (label() ?? "") : ""
                if notes.isEmpty { builder.append(prefix + t) } else { notes[notes.count - 1].append(prefix + t) }
            }
        }
        builder.endParagraph()
        flushWaiting(into: &builder)
    }
}
