import Foundation
import TrawlHTML

/// Rich Text Format: paragraphs, tabs and table cells; text in the document's code page
/// (`\ansicpg`) or its font's character set (`\fcharset`: Japanese, Korean, Chinese, Cyrillic…)
/// and Unicode escapes (`\uN` with `\ucN` fallbacks skipped); field results kept, field codes,
/// pictures, objects and tables of fonts, colours and styles dropped; annotations apart;
/// title, author and dates from `\info`.
struct RTFExtractor: DocumentExtractor {
    func extract(_ data: Data, name: String, context: ExtractionContext) throws -> DocumentExtraction {
        guard data.starts(with: Array("{\\rtf".utf8)) else { throw DocumentError(.damaged, "\(name): no {\\rtf header") }
        var parser = RTFParser(bytes: [UInt8](data))
        try parser.run(name: name, maxChars: context.limits.maxChars)
        var x = DocumentExtraction(format: .rtf, text: parser.text.finish())
        x.comments = parser.comments
        x.metadata = parser.metadata
        x.parts = 1
        return x
    }
}

struct RTFParser {
    struct State {
        var skip = false              // inside a destination whose text is not document text
        var unicodeSkip = 1           // \ucN
        var font = -1
        var destination = ""          // info fields, fonttbl, annotation
        /// Inside `\upr`'s ANSI rendering, which its `\*\ud` Unicode twin replaces.
        var uprANSI = false
    }

    let bytes: [UInt8]
    var text = TextBuilder()
    var comments: [String] = []
    var metadata = DocumentMetadata()
    private var comment = ""
    /// An info field's text: bytes in the document's code page, decoded when a Unicode escape
    /// or the field's end comes.
    private var fieldBytes: [UInt8] = []
    private var field = ""
    private var stack: [State] = []
    private var state = State()
    private var defaultCodePage = "CP1252"
    private var fontCharsets: [Int: Int] = [:]
    private var pendingFont = -1
    private var pendingBytes: [UInt8] = []
    private var skipChars = 0
    private var dateParts: [String: Int] = [:]
    private var chars = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Destinations that never hold document text.
    static let skipped: Set<String> = [
        "fonttbl", "colortbl", "stylesheet", "pict", "object", "fldinst", "themedata", "colorschememapping",
        "datastore", "latentstyles", "listtable", "listoverridetable", "rsidtbl", "generator", "xmlnstbl",
        "mmathPr", "pgdsctbl", "bkmkstart", "bkmkend", "atnid", "atnauthor", "atnref", "atndate", "atrfstart",
        "atrfend", "filetbl", "revtbl", "info",
        "nonshppict", "shppict", "blipuid", "sp", "sn", "sv", "listtext", "protusertbl",
        "userprops", "docvar", "template", "wgrffmtfilter", "xe", "tc", "ftnsep", "ftnsepc", "aftnsep", "aftnsepc",
    ]
    static let infoFields: Set<String> = ["title", "author", "subject", "keywords", "creatim", "revtim", "operator", "company"]

    mutating func run(name: String, maxChars: Int) throws {
        var i = 0
        let n = bytes.count
        var depth = 0
        while i < n {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "{"):
                flushBytes()
                stack.append(state)
                depth += 1
                guard depth < 1000 else { throw DocumentError(.damaged, "\(name): groups nested deeper than 1000") }
                i += 1
                // An ignorable destination `{\*\word …}` is skipped unless Trawl knows it.
                if i + 1 < n, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "*") {
                    var at = i + 2
                    while at < n, bytes[at] == 0x20 || bytes[at] == 0x0D || bytes[at] == 0x0A { at += 1 }
                    let (word, _, _) = at < n && bytes[at] == UInt8(ascii: "\\") ? Self.controlWord(bytes, from: at + 1) : ("", nil, at)
                    // Kept: annotations, field results, shapes' text boxes, and `\ud`, the
                    // Unicode twin of an `\upr` group.
                    if !["annotation", "fldrslt", "shpinst", "shptxt", "ud"].contains(word) { state.skip = true }
                    i += 2
                }
            case UInt8(ascii: "}"):
                flushBytes()
                endDestination()
                if let s = stack.popLast() { state = s }
                depth -= 1
                i += 1
                if depth <= 0 { i = n }  // the document's group is closed: trailing bytes are not RTF
            case UInt8(ascii: "\\"):
                i = try control(at: i, name: name)
            case 0x0D, 0x0A:
                i += 1
            default:
                if skipChars > 0 { skipChars -= 1; i += 1; continue }
                if !state.skip {
                    if c < 0x80 { flushBytes(); emit(String(UnicodeScalar(c))) } else { pendingBytes.append(c) }
                } else if !state.uprANSI && Self.infoFields.contains(state.destination) {
                    fieldBytes.append(c)
                }
                i += 1
            }
            if chars > maxChars { break }
        }
        flushBytes()
    }

    /// Reads `\word-123 ` at `from` (after the backslash): the word, its parameter, the index after.
    static func controlWord(_ b: [UInt8], from start: Int) -> (String, Int?, Int) {
        var i = start
        while i < b.count, (b[i] >= 0x61 && b[i] <= 0x7A) || (b[i] >= 0x41 && b[i] <= 0x5A) { i += 1 }
        let word = String(decoding: b[start..<i], as: UTF8.self)
        var param: Int?
        let paramStart = i
        if i < b.count, b[i] == UInt8(ascii: "-") || (b[i] >= 0x30 && b[i] <= 0x39) {
            i += 1
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39, i - paramStart < 11 { i += 1 }
            param = Int(String(decoding: b[paramStart..<i], as: UTF8.self))
        }
        if i < b.count, b[i] == UInt8(ascii: " ") { i += 1 }
        return (word, param, i)
    }

    private mutating func control(at start: Int, name: String) throws -> Int {
        let i = start + 1
        guard i < bytes.count else { return bytes.count }
        let c = bytes[i]
        // Control symbols.
        switch c {
        case UInt8(ascii: "'"):
            guard i + 2 < bytes.count, let v = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) else { return i + 1 }
            if skipChars > 0 { skipChars -= 1 } else if state.uprANSI { }
            else if !state.skip { pendingBytes.append(v) }
            else if Self.infoFields.contains(state.destination) { fieldBytes.append(v) }
            return i + 3
        case UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"):
            if !state.skip { flushBytes(); emit(String(UnicodeScalar(c))) }
            return i + 1
        case UInt8(ascii: "~"): if !state.skip { flushBytes(); emit("\u{00A0}") }; return i + 1
        case UInt8(ascii: "_"): if !state.skip { flushBytes(); emit("-") }; return i + 1
        case UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: ":"), UInt8(ascii: "|"): return i + 1
        case 0x0D, 0x0A: if !state.skip { flushBytes(); text.endParagraph() }; return i + 1
        default: break
        }
        let (word, param, next) = Self.controlWord(bytes, from: i)
        if word.isEmpty { return i + 1 }
        flushIfNeeded(word)
        switch word {
        case "bin":
            return min(bytes.count, next + max(0, param ?? 0))  // binary data: skipped whole
        case "ansicpg": if let p = param { defaultCodePage = "CP\(p)" }
        case "uc": state.unicodeSkip = max(0, param ?? 1)
        case "u":
            if var v = param {
                if v < 0 { v += 65536 }
                if state.uprANSI {
                } else if !state.skip, let s = UnicodeScalar(UInt32(v)) { emit(String(s)) }
                else if !state.skip, (0xD800...0xDFFF).contains(v) { emitSurrogate(UInt16(v)) }
                else if state.skip, Self.infoFields.contains(state.destination), let s = UnicodeScalar(UInt32(v)) {
                    flushField()
                    field.unicodeScalars.append(s)
                }
                skipChars = state.unicodeSkip
            }
        case "f":
            if state.destination == "fonttbl" { pendingFont = param ?? -1 } else { state.font = param ?? -1 }
        case "fcharset": if state.destination == "fonttbl", pendingFont >= 0 { fontCharsets[pendingFont] = param ?? 0 }
        case "par", "line", "sect", "page", "row", "cell", "nestcell", "nestrow":
            if !state.skip {
                if state.destination == "annotation" { comment += "\n" } else if word == "line" { emit("\n") } else { text.endParagraph() }
            }
        case "tab": if !state.skip { emit("\t") }
        case "emdash": if !state.skip { emit("\u{2014}") }
        case "endash": if !state.skip { emit("\u{2013}") }
        case "bullet": if !state.skip { emit("\u{2022}") }
        case "lquote": if !state.skip { emit("\u{2018}") }
        case "rquote": if !state.skip { emit("\u{2019}") }
        case "ldblquote": if !state.skip { emit("\u{201C}") }
        case "rdblquote": if !state.skip { emit("\u{201D}") }
        case "annotation": state.destination = "annotation"; state.skip = false; comment = ""
        case "fldrslt": state.skip = stack.last?.skip ?? false
        case "upr": state.uprANSI = true
        case "ud":
            // The Unicode rendering of an \upr group: what came in ANSI is replaced.
            state.uprANSI = false
            state.skip = stack.last?.skip ?? false
            if Self.infoFields.contains(state.destination) { fieldBytes.removeAll(); field = "" }
        case "fonttbl": state.destination = "fonttbl"; state.skip = true
        case "info": state.destination = "info"; state.skip = true
        case "yr", "mo", "dy", "hr", "min": dateParts[word] = param
        default:
            if Self.infoFields.contains(word), state.destination == "info" || stack.last?.destination == "info" {
                state.destination = word; state.skip = true; field = ""; fieldBytes = []; dateParts = [:]
            } else if Self.skipped.contains(word) {
                state.skip = true
                if state.destination != "info" { state.destination = word }
            }
        }
        return next
    }

    private mutating func flushIfNeeded(_ word: String) {
        if word != "'" { flushBytes() }
    }

    private mutating func endDestination() {
        let parent = stack.last?.destination
        switch state.destination {
        case "annotation" where parent != "annotation":
            let c = comment.trimmingCharacters(in: .whitespacesAndNewlines)
            if !c.isEmpty { comments.append(c) }
            comment = ""
        case "title", "author", "subject", "keywords":
            flushField()
            let v = field.trimmingCharacters(in: .whitespacesAndNewlines)
            if !v.isEmpty {
                switch state.destination {
                case "title": metadata.title = v
                case "author": metadata.author = v
                case "subject": metadata.subject = v
                default: metadata.keywords = v
                }
            }
            field = ""
        case "creatim", "revtim":
            if let y = dateParts["yr"], let m = dateParts["mo"], let d = dateParts["dy"], (1900...2200).contains(y), (1...12).contains(m), (1...31).contains(d) {
                let s = String(format: "%04d-%02d-%02dT%02d:%02d:00", y, m, d, dateParts["hr"] ?? 0, dateParts["min"] ?? 0)
                if state.destination == "creatim" { metadata.created = s } else { metadata.modified = s }
            }
            dateParts = [:]
        case "fonttbl":
            pendingFont = -1
        default: break
        }
        if state.destination == "fonttbl" && parent == "fonttbl" { pendingFont = -1 }
    }

    /// Decodes the field's pending bytes in the font's code page (else the document's).
    private mutating func flushField() {
        guard !fieldBytes.isEmpty else { return }
        let raw = Data(fieldBytes)
        fieldBytes.removeAll()
        if !raw.contains(where: { $0 >= 0x80 }) { field += String(decoding: raw, as: UTF8.self); return }
        field += CharsetDetector.decode(raw, encoding: codePage) ?? CharsetDetector.decode(raw, encoding: defaultCodePage)
            ?? String(decoding: raw, as: UTF8.self)
    }

    private var codePage: String {
        if let cs = fontCharsets[state.font] {
            switch cs {
            case 128: return "CP932"
            case 129: return "CP949"
            case 130: return "JOHAB"
            case 134: return "CP936"
            case 136: return "CP950"
            case 161: return "CP1253"
            case 162: return "CP1254"
            case 163: return "CP1258"
            case 177: return "CP1255"
            case 178: return "CP1256"
            case 186: return "CP1257"
            case 204: return "CP1251"
            case 222: return "CP874"
            case 238: return "CP1250"
            default: break
            }
        }
        return defaultCodePage
    }

    private mutating func flushBytes() {
        guard !pendingBytes.isEmpty else { return }
        let data = Data(pendingBytes)
        pendingBytes.removeAll()
        let s = CharsetDetector.decode(data, encoding: codePage)
            ?? CharsetDetector.decode(data, encoding: defaultCodePage)
            ?? String(decoding: data, as: UTF8.self)
        emit(s)
    }

    private var highSurrogate: UInt16?
    private mutating func emitSurrogate(_ unit: UInt16) {
        if unit < 0xDC00 { highSurrogate = unit; return }
        if let high = highSurrogate { emit(String(decoding: [high, unit], as: UTF16.self)) }
        highSurrogate = nil
    }

    private mutating func emit(_ s: String) {
        if state.destination == "annotation" { comment += s; return }
        chars += s.utf8.count
        text.append(s)
    }
}
