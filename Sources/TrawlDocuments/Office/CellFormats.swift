import Foundation

/// Excel's number formats, enough to show a cell as Excel shows it: the built-in formats, and
/// custom codes with sections, literals, decimals, thousands, percent, exponent and dates.
struct CellFormats {
    /// Parsed format per cell style index (`cellXfs`), parsed once per workbook.
    private var formats: [NumberFormat] = []

    init() {}

    init(_ data: Data, name: String) throws {
        let reader = try XMLStreamReader(data, name: name)
        var custom: [Int: String] = [:]
        var inCellXfs = false
        while let e = try reader.next() {
            switch e {
            case .start("numFmt"):
                if let id = reader.attribute("numFmtId").flatMap(Int.init), let code = reader.attribute("formatCode") {
                    custom[id] = code
                }
            case .start("cellXfs"): inCellXfs = true
            case .end("cellXfs"): inCellXfs = false
            case .start("xf") where inCellXfs:
                let id = reader.attribute("numFmtId").flatMap(Int.init) ?? 0
                formats.append(NumberFormat(custom[id] ?? Self.builtIn[id] ?? "General"))
            default: break
            }
        }
    }

    static let general = NumberFormat("General")

    static let builtIn: [Int: String] = [
        0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
        12: "# ?/?", 13: "# ??/??", 14: "m/d/yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
        19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm", 37: "#,##0 ;(#,##0)",
        38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss",
        46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
    ]

    func format(_ value: Double, style: Int, date1904: Bool) -> String {
        let format = style >= 0 && style < formats.count ? formats[style] : Self.general
        return format.format(value, date1904: date1904)
    }
}

/// One format code, parsed into its sections.
struct NumberFormat {
    let sections: [String]

    init(_ code: String) {
        var parts: [String] = []
        var current = ""
        var quoted = false, escaped = false
        for c in code {
            if escaped { current.append(c); escaped = false; continue }
            if c == "\\" { current.append(c); escaped = true; continue }
            if c == "\"" { quoted.toggle() }
            if c == ";" && !quoted { parts.append(current); current = ""; continue }
            current.append(c)
        }
        parts.append(current)
        sections = parts
    }

    func format(_ value: Double, date1904: Bool) -> String {
        guard value.isFinite else { return String(value) }
        // A negative value is shown by its own section without a sign, or by the first
        // section with a minus in front.
        var section = sections[0]
        let v = abs(value)
        if value < 0 && sections.count > 1 { section = sections[1] }
        else if value == 0 && sections.count > 2 { section = sections[2] }
        let cleaned = Self.stripBrackets(section)
        if cleaned.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare("General") == .orderedSame || cleaned.isEmpty {
            return Self.general(value)
        }
        if cleaned == "@" { return Self.general(value) }
        if Self.isDate(cleaned) { return DateFormat.format(value, code: cleaned, date1904: date1904, elapsedHours: section.contains("[h")) }
        if let slash = cleaned.firstIndex(of: "/"), cleaned[cleaned.index(after: slash)...].contains(where: { $0 == "?" || $0 == "#" || $0.isNumber }) {
            let body = Self.fraction(v, code: cleaned)
            return value < 0 && sections.count == 1 ? "-" + body : body
        }
        let body = Self.number(v, code: cleaned)
        return value < 0 && sections.count == 1 ? "-" + body : body
    }

    /// `[Red]`, `[$-409]`, `[>100]` and the like style the value; they are not shown. An
    /// elapsed-time bracket (`[h]`) keeps its letter.
    static func stripBrackets(_ s: String) -> String {
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "\"" {
                if let close = s[s.index(after: i)...].firstIndex(of: "\"") {
                    out += s[i...close]; i = s.index(after: close); continue
                }
            }
            if c == "[", let close = s[i...].firstIndex(of: "]") {
                let inner = s[s.index(after: i)..<close]
                if inner.lowercased().allSatisfy({ "hms".contains($0) }) { out += inner }
                else if inner.hasPrefix("$"), let dash = inner.firstIndex(of: "-") {
                    out += "\"" + inner[inner.index(after: inner.startIndex)..<dash] + "\""  // a currency symbol
                }
                i = s.index(after: close)
                continue
            }
            out.append(c)
            i = s.index(after: i)
        }
        return out
    }

    static func isDate(_ s: String) -> Bool {
        var quoted = false, escaped = false
        for c in s.lowercased() {
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "\"" { quoted.toggle(); continue }
            if !quoted && "dmyhs".contains(c) { return true }
        }
        return false
    }

    /// Excel's General: up to 11 significant characters, integers without a point.
    static func general(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        let a = abs(v)
        if a >= 1e11 || a < 1e-9 {
            var s = String(format: "%.5E", v)
            if let r = s.range(of: "0+E", options: .regularExpression) { s.replaceSubrange(r, with: "E") }
            return s.replacingOccurrences(of: ".E", with: "E")
        }
        let digits = max(0, 10 - Int(floor(log10(a))))
        var s = String(format: "%.\(min(digits, 15))f", v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    /// Numeric codes: literals kept, digits placed by the `0#?` placeholders' shape.
    static func number(_ v: Double, code: String) -> String {
        var literalsBefore = "", literalsAfter = ""
        var pattern = ""
        var i = code.startIndex
        var seenDigit = false
        func addLiteral(_ s: String) { if seenDigit { literalsAfter += s } else { literalsBefore += s } }
        while i < code.endIndex {
            let c = code[i]
            switch c {
            case "\"":
                let start = code.index(after: i)
                let close = code[start...].firstIndex(of: "\"") ?? code.endIndex
                addLiteral(String(code[start..<close]))
                i = close < code.endIndex ? code.index(after: close) : close
                continue
            case "\\":
                let n = code.index(after: i)
                if n < code.endIndex { addLiteral(String(code[n])); i = code.index(after: n); continue }
            case "_":
                addLiteral(" ")
                i = code.index(after: i)
                if i < code.endIndex { i = code.index(after: i) }
                continue
            case "*":
                i = code.index(after: i)
                if i < code.endIndex { i = code.index(after: i) }
                continue
            case "0", "#", "?", ".", ",", "E", "e", "+", "-" where seenDigit, "%":
                if c == "%" { if seenDigit { literalsAfter += "%" } else { literalsBefore += "%" }; pattern += "%" }
                else { pattern.append(c); if "0#?".contains(c) { seenDigit = true } }
            default:
                addLiteral(String(c))
            }
            i = code.index(after: i)
        }
        var value = v
        if pattern.contains("%") { value *= 100 }
        let numeric = pattern.replacingOccurrences(of: "%", with: "")
        var body: String
        if let eIndex = numeric.firstIndex(where: { $0 == "E" || $0 == "e" }) {
            let mantissa = numeric[..<eIndex]
            let decimals = mantissa.split(separator: ".", maxSplits: 1).dropFirst().first.map { $0.filter { "0#?".contains($0) }.count } ?? 0
            body = String(format: "%.\(decimals)E", value)
        } else {
            let parts = numeric.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            let intPart = parts.first.map(String.init) ?? ""
            let fracPart = parts.count > 1 ? String(parts[1]) : ""
            let minDecimals = fracPart.filter { $0 == "0" }.count
            let maxDecimals = fracPart.filter { "0#?".contains($0) }.count
            // Trailing commas scale by thousands; inner commas group.
            var scaled = value
            var trailing = intPart
            while trailing.hasSuffix(",") && (fracPart.isEmpty) { scaled /= 1000; trailing.removeLast() }
            let grouping = trailing.dropLast(0).contains(",")
            let minInt = trailing.filter { $0 == "0" }.count
            // Excel rounds the decimal it shows (15 significant digits) half away from zero.
            let decimal = Double(String(format: "%.15g", scaled)) ?? scaled
            let factor = pow(10, Double(maxDecimals))
            let rounded = (decimal * factor).rounded(.toNearestOrAwayFromZero) / factor
            var s = String(format: "%.\(maxDecimals)f", rounded)
            if maxDecimals > minDecimals, s.contains(".") {
                var trim = maxDecimals - minDecimals
                while trim > 0 && s.hasSuffix("0") { s.removeLast(); trim -= 1 }
                if s.hasSuffix(".") { s.removeLast() }
            }
            var intDigits = String(s.prefix { $0 != "." })
            let rest = s.dropFirst(intDigits.count)
            if intDigits == "0" && minInt == 0 { intDigits = "" }
            while intDigits.count < minInt { intDigits = "0" + intDigits }
            if grouping { intDigits = Self.group(intDigits) }
            body = intDigits + rest
        }
        return literalsBefore + body + literalsAfter
    }

    /// Fractions (`# ?/?`, `# ??/??`, `?/8`): the closest fraction with as many denominator
    /// digits as the code has placeholders, after the whole part when the code has one.
    static func fraction(_ v: Double, code: String) -> String {
        let parts = code.split(separator: "/", maxSplits: 1)
        let denominatorCode = parts.count > 1 ? parts[1] : ""
        let fixed = Int(denominatorCode.filter(\.isNumber))
        let digits = max(1, denominatorCode.filter { $0 == "?" || $0 == "#" || $0 == "0" }.count)
        let hasWhole = parts[0].trimmingCharacters(in: .whitespaces).contains(" ")
        let whole = hasWhole ? floor(v) : 0
        let rest = v - whole
        var best = (n: 0, d: 1, err: Double.infinity)
        let maxD = fixed ?? Int(pow(10, Double(min(digits, 4)))) - 1
        for d in (fixed.map { [$0] } ?? Array(1...max(1, maxD))) {
            let n = Int((rest * Double(d)).rounded())
            let err = abs(rest - Double(n) / Double(d))
            if err < best.err - 1e-12 { best = (n, d, err) }
        }
        if hasWhole {
            if best.n == 0 { return String(Int(whole)) }
            if best.n == best.d { return String(Int(whole) + 1) }
            return whole == 0 ? "\(best.n)/\(best.d)" : "\(Int(whole)) \(best.n)/\(best.d)"
        }
        return "\(best.n)/\(best.d)"
    }

    static func group(_ digits: String) -> String {
        var out = ""
        for (n, c) in digits.reversed().enumerated() {
            if n > 0 && n % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }
}

/// Date and time codes (`yyyy-mm-dd`, `d-mmm-yy`, `h:mm AM/PM`, `[h]:mm:ss`…) on Excel's
/// serial dates (1900 system with its phantom leap day, or 1904).
enum DateFormat {
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]
    static let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    static func format(_ serial: Double, code: String, date1904: Bool, elapsedHours: Bool) -> String {
        var days = Int(floor(serial))
        var seconds = Int(((serial - Double(days)) * 86400).rounded())
        if seconds >= 86400 { days += 1; seconds -= 86400 }
        // Day 0 of the 1900 system is 1899-12-31; day 60 is the phantom 1900-02-29.
        let base = date1904 ? 1461 : 0
        var d = days + base
        if !date1904 && d >= 60 { d -= 1 }
        var comps = DateComponents()
        comps.year = 1899; comps.month = 12; comps.day = 31 + d
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(from: comps) ?? Date(timeIntervalSince1970: 0)
        let c = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
        let hour = seconds / 3600, minute = (seconds / 60) % 60, second = seconds % 60
        let lower = code.lowercased()
        let ampm = lower.contains("am/pm") || lower.contains("a/p")
        var out = ""
        let chars = Array(code)
        var i = 0
        var lastWasHour = false
        func run(_ ch: Character) -> Int {
            var n = 0
            while i + n < chars.count && chars[i + n].lowercased() == String(ch) { n += 1 }
            return n
        }
        func upcomingSeconds(from j: Int) -> Bool {
            var k = j
            while k < chars.count {
                let ch = chars[k].lowercased()
                if ch == "s" { return true }
                if "dmyh".contains(ch) { return false }
                k += 1
            }
            return false
        }
        while i < chars.count {
            let ch = chars[i]
            let l = Character(ch.lowercased())
            switch l {
            case "y":
                let n = run("y"); i += n
                out += n <= 2 ? String(format: "%02d", (c.year ?? 0) % 100) : String(c.year ?? 0)
                lastWasHour = false
            case "d":
                let n = run("d"); i += n
                switch n {
                case 1: out += String(c.day ?? 0)
                case 2: out += String(format: "%02d", c.day ?? 0)
                case 3: out += String(Self.days[((c.weekday ?? 1) - 1) % 7].prefix(3))
                default: out += Self.days[((c.weekday ?? 1) - 1) % 7]
                }
                lastWasHour = false
            case "m":
                let n = run("m")
                let isMinute = n <= 2 && (lastWasHour || upcomingSeconds(from: i + n))
                i += n
                if isMinute { out += n == 1 ? String(minute) : String(format: "%02d", minute) }
                else {
                    let m = (c.month ?? 1) - 1
                    switch n {
                    case 1: out += String(m + 1)
                    case 2: out += String(format: "%02d", m + 1)
                    case 3: out += String(Self.months[m].prefix(3))
                    case 5: out += String(Self.months[m].prefix(1))
                    default: out += Self.months[m]
                    }
                }
                lastWasHour = false
            case "h":
                let n = run("h"); i += n
                var h = elapsedHours ? days * 24 + hour : hour
                if ampm && !elapsedHours { h = h % 12 == 0 ? 12 : h % 12 }
                out += n >= 2 ? String(format: "%02d", h) : String(h)
                lastWasHour = true
            case "s":
                let n = run("s"); i += n
                out += n >= 2 ? String(format: "%02d", second) : String(second)
                lastWasHour = false
            case "a" where lower.dropFirst(i).hasPrefix("am/pm"):
                out += hour < 12 ? "AM" : "PM"; i += 5
            case "a" where lower.dropFirst(i).hasPrefix("a/p"):
                out += hour < 12 ? "A" : "P"; i += 3
            case "\"":
                i += 1
                while i < chars.count && chars[i] != "\"" { out.append(chars[i]); i += 1 }
                i += 1
            case "\\":
                if i + 1 < chars.count { out.append(chars[i + 1]) }
                i += 2
            case "_", "*":
                i += 2
            case ".":
                // Fractions of a second (`ss.0`): shown as zeros; Excel rounds to the digit.
                out += "."; i += 1
                while i < chars.count && chars[i] == "0" { out += "0"; i += 1 }
            default:
                out.append(ch); i += 1
            }
        }
        return out
    }
}
