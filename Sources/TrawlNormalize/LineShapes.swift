/// The fixed line shapes the PDF text cleaner recognises, matched scalar by scalar.
///
/// They were regular expressions; on Linux Foundation compiles an ICU regex on nearly every
/// `range(of:options: .regularExpression)` call, which made cleaning a 50-page form cost
/// six times poppler's extraction of it. Each matcher below says which pattern it stands
/// for, and a test checks them against those patterns.
enum LineShapes {
    /// `^(\(?\d{1,2}[.)]|[a-z][.)]|[가-하][.)]|[①-⑳]|[ⅰ-ⅹⅠ-Ⅹ][.)]?)\s`: a numbered or
    /// lettered list item ("1. ", "(2) ", "a) ", "가. ", "③ ", "ⅱ ").
    static func startsNumberedItem(_ line: String) -> Bool {
        var it = line.unicodeScalars.makeIterator()
        guard let first = it.next() else { return false }
        var next = it.next()
        switch first.value {
        case 0x61...0x7A, 0xAC00...0xD558:  // a-z, 가-하
            guard let c = next, isCloser(c) else { return false }
            next = it.next()
        case 0x2460...0x2473:  // ①-⑳
            break
        case 0x2170...0x2179, 0x2160...0x2169:  // ⅰ-ⅹ, Ⅰ-Ⅹ
            if let c = next, isCloser(c) { next = it.next() }
        default:
            var digit: Unicode.Scalar? = first
            if first == "(" { digit = next; next = it.next() }
            var count = 0
            while let d = digit, isDigit(d) {
                count += 1
                digit = next; next = it.next()
            }
            // `digit` now holds the scalar after the digits.
            guard (1...2).contains(count), let c = digit, isCloser(c) else { return false }
        }
        return next.map(isSpace) ?? false
    }

    /// A line that is only a page number, in any of these case-insensitive shapes:
    /// `^[-–—\s]*\d{1,4}[-–—\s]*$` ("- 3 -"), `^(page|seite|p\.|pág\.?)\s*\d{1,4}(\s*(of|von|/|de)\s*\d{1,4})?$`,
    /// `^\d{1,4}\s*/\s*\d{1,4}$` ("3 / 10"), `^\d{1,4}\s*쪽$` and `^[ivxlc]{1,6}$` (roman).
    static func isPageNumber(_ line: String) -> Bool {
        let s = Array(line.lowercased().unicodeScalars)
        guard !s.isEmpty else { return false }
        if s.count <= 6, s.allSatisfy({ "ivxlc".unicodeScalars.contains($0) }) { return true }

        var scan = Scanner(s)
        // Dashes around a bare number.
        scan.skip { isDash($0) || isSpace($0) }
        if (1...4).contains(scan.digits()) {
            scan.skip { isDash($0) || isSpace($0) }
            if scan.atEnd { return true }
        }
        // "3 / 10" and "3쪽".
        scan = Scanner(s)
        if (1...4).contains(scan.digits()) {
            scan.skip(isSpace)
            if scan.take("쪽"), scan.atEnd { return true }
            if scan.take("/") {
                scan.skip(isSpace)
                if (1...4).contains(scan.digits()), scan.atEnd { return true }
            }
        }
        // "Page 3", "Seite 3 von 10", "p. 3", "pág 3 de 10".
        scan = Scanner(s)
        guard scan.take("page") || scan.take("seite") || scan.take("p.") || (scan.take("pág") && (scan.take(".") || true))
        else { return false }
        scan.skip(isSpace)
        guard (1...4).contains(scan.digits()) else { return false }
        if scan.atEnd { return true }
        scan.skip(isSpace)
        guard scan.take("of") || scan.take("von") || scan.take("/") || scan.take("de") else { return false }
        scan.skip(isSpace)
        return (1...4).contains(scan.digits()) && scan.atEnd
    }

    private struct Scanner {
        let s: [Unicode.Scalar]
        var i = 0
        init(_ s: [Unicode.Scalar]) { self.s = s }
        var atEnd: Bool { i == s.count }
        mutating func skip(_ p: (Unicode.Scalar) -> Bool) { while i < s.count, p(s[i]) { i += 1 } }
        /// Consumes a run of decimal digits and returns its length.
        mutating func digits() -> Int {
            let start = i
            skip(LineShapes.isDigit)
            return i - start
        }
        mutating func take(_ word: String) -> Bool {
            var j = i
            for u in word.unicodeScalars {
                guard j < s.count, s[j] == u else { return false }
                j += 1
            }
            i = j
            return true
        }
    }

    // ICU's `\d` is any decimal digit and `\s` any white space.
    static func isDigit(_ u: Unicode.Scalar) -> Bool { u.properties.numericType == .decimal }
    static func isSpace(_ u: Unicode.Scalar) -> Bool { u.isWhitespaceFast }
    static func isCloser(_ u: Unicode.Scalar) -> Bool { u == "." || u == ")" }
    static func isDash(_ u: Unicode.Scalar) -> Bool { u == "-" || u == "–" || u == "—" }
}
