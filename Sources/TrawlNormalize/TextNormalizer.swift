import Foundation

/// Cleans text for indexing without changing its meaning: canonical composition (NFC, never
/// NFKC), invisible and control characters removed, spacing collapsed, paragraphs kept.
public struct TextNormalizer: Sendable {
    public init() {}

    /// Normalises `text`: lines are trimmed, runs of blank lines become one paragraph break.
    public func normalize(_ text: String) -> String {
        if isAlreadyNormal(text) { return text }
        let composed = Self.isSurelyNFC(text) ? text : text.precomposedStringWithCanonicalMapping
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var pendingSpace = false

        func endLine() {
            lines.append(String(current))
            current = String.UnicodeScalarView()
            pendingSpace = false
        }

        var previousWasCR = false
        for scalar in composed.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch classify(scalar) {
            case .newline:
                if scalar == "\n" && previousWasCR { continue }  // CRLF is one break
                endLine()
            case .paragraph:
                endLine(); lines.append("")
            case .space:
                if !current.isEmpty { pendingSpace = true }
            case .drop:
                continue
            case .keep:
                if pendingSpace { current.append(" "); pendingSpace = false }
                current.append(scalar)
            }
        }
        endLine()

        // Collapse blank-line runs to a single paragraph break and trim the ends.
        var out: [String] = []
        for line in lines {
            if line.isEmpty {
                if let last = out.last, !last.isEmpty { out.append("") }
            } else {
                out.append(line)
            }
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out.joined(separator: "\n")
    }

    /// Whether `normalize` would give `text` back unchanged, found in one pass without
    /// building anything: every scalar is kept and stable under NFC, spaces are single and
    /// between kept characters, lines are separated by one line feed or two (a paragraph),
    /// and no line feed starts or ends the text. Most cleaned PDF pages are like this.
    func isAlreadyNormal(_ text: String) -> Bool {
        enum After { case start, kept, space, newline, paragraph }
        var state = After.start
        for u in text.unicodeScalars {
            switch u.value {
            case 0x20:
                guard state == .kept else { return false }
                state = .space
            case 0x0A:
                switch state {
                case .kept: state = .newline
                case .newline: state = .paragraph
                default: return false
                }
            default:
                guard classify(u) == .keep, Self.isSurelyNFC(u) else { return false }
                state = .kept
            }
        }
        return state == .kept || state == .start
    }

    /// Collapses all whitespace, including line breaks, to single spaces: for titles and
    /// field values, which are one line by nature.
    public func normalizeInline(_ text: String) -> String {
        normalize(text).split(whereSeparator: { $0 == "\n" }).joined(separator: " ")
    }

    /// True when every scalar lies in a range that is stable under NFC and has no combining
    /// class (Latin below the combining marks and Latin Extended Additional, Cyrillic
    /// letters, general punctuation but U+2000/2001, currency signs, number forms, arrows and
    /// mathematical operators, enclosed alphanumerics, box drawing, geometric shapes and
    /// dingbats, CJK punctuation but the tone marks, kana but the voicing marks, Hangul
    /// compatibility jamo, enclosed CJK letters and CJK compatibility squares, CJK
    /// ideographs, Hangul syllables, full-width forms): most text, Korean documents' ○, □,
    /// ※ and ∼ included, which then skips Foundation's normalisation, the costliest step
    /// here on Linux. Anything else is normalised. `TextNormalizerTests` checks every scalar
    /// of these ranges against Foundation's NFC.
    static func isSurelyNFC(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(isSurelyNFC)
    }

    static func isSurelyNFC(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0..<0x300, 0x400...0x482, 0x48A...0x4FF, 0x1E00...0x1EFF, 0x2002...0x206F, 0x20A0...0x20CF,
             0x2150...0x22FF, 0x2400...0x27BF,
             0x3000...0x3029, 0x3030...0x303F, 0x3041...0x3096, 0x30A0...0x30FF, 0x3131...0x318E, 0x3200...0x33FF,
             0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xFF00...0xFFEF: return true
        default: return false
        }
    }

    private enum ScalarClass { case keep, space, newline, paragraph, drop }

    private func classify(_ s: Unicode.Scalar) -> ScalarClass {
        switch s.value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028: return .newline
        case 0x2029: return .paragraph
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return .space
        // Zero-width space, word joiner, BOM and soft hyphen are invisible noise. ZWJ and
        // ZWNJ (U+200C/D) stay: they change shaping in Persian, Indic scripts and emoji.
        case 0x200B, 0x2060, 0xFEFF, 0xAD: return .drop
        // Bidirectional embedding/override/isolate controls carry no text.
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F: return .drop
        case 0x00...0x1F, 0x7F...0x9F: return .drop
        case 0xFFFE, 0xFFFF, 0xD800...0xDFFF: return .drop
        default: return .keep
        }
    }
}
