/// Collects text into paragraphs: runs are appended to the open paragraph, a paragraph end
/// closes it, and a paragraph nested inside another (a table or note inside a paragraph)
/// closes what came before it, so text keeps its reading order.
struct TextBuilder {
    private(set) var paragraphs: [String] = []
    private var current = ""

    mutating func append(_ s: String) { current += s }
    mutating func append(_ c: Character) { current.append(c) }

    /// Ends the open paragraph (an empty one is dropped).
    mutating func endParagraph() {
        let trimmed = current.trimmingTrailingSpaces()
        if !trimmed.isEmpty { paragraphs.append(trimmed) }
        current = ""
    }

    /// Ends the open paragraph and marks a boundary between parts (sections, sheets, slides).
    mutating func endPart() {
        endParagraph()
        if let last = paragraphs.last, last != "\u{0C}" { paragraphs.append("\u{0C}") }
    }

    var isEmpty: Bool { paragraphs.isEmpty && current.isEmpty }

    /// Paragraphs joined by newlines; part boundaries become form feeds on their own line.
    mutating func finish() -> String {
        endParagraph()
        while paragraphs.last == "\u{0C}" { paragraphs.removeLast() }
        while paragraphs.first == "\u{0C}" { paragraphs.removeFirst() }
        return paragraphs.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while let last = s.unicodeScalars.last, last == " " || last == "\t" || last == "\n" || last == "\r" {
            s = Substring(s.unicodeScalars.dropLast())
        }
        var start = s.startIndex
        while start < s.endIndex, s[start] == "\n" || s[start] == "\r" { start = s.index(after: start) }
        return String(s[start...])
    }
}
