import Foundation

/// A calendar date or date-time found in text, rendered as ISO 8601.
public struct ParsedDate: Sendable, Equatable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int
    public var hour: Int?, minute: Int?, second: Int?
    /// Offset from UTC in minutes, when the source states one.
    public var utcOffsetMinutes: Int?

    public init(year: Int, month: Int, day: Int, hour: Int? = nil, minute: Int? = nil,
                second: Int? = nil, utcOffsetMinutes: Int? = nil) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    /// `2024-01-25`, or `2024-01-25T09:30:00+09:00` when a time is known.
    public var iso8601: String {
        var s = String(format: "%04d-%02d-%02d", year, month, day)
        guard let hour else { return s }
        s += String(format: "T%02d:%02d:%02d", hour, minute ?? 0, second ?? 0)
        if let off = utcOffsetMinutes {
            if off == 0 { s += "Z" } else {
                let sign = off < 0 ? "-" : "+"
                s += String(format: "%@%02d:%02d", sign, abs(off) / 60, abs(off) % 60)
            }
        }
        return s
    }

    public var description: String { iso8601 }

    /// Days since 1970-01-01 of the calendar date (proleptic Gregorian).
    public var dayNumber: Int? {
        guard Self.isValid(year: year, month: month, day: day) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// The same instant at another offset from UTC (nil without a time and an offset).
    public func inOffset(minutes offset: Int) -> ParsedDate? {
        guard utcOffsetMinutes != nil, let instant = epochSeconds else { return nil }
        let local = instant + offset * 60
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let seconds = local - days * 86_400
        var date = ParsedDate(dayNumber: days)
        date.hour = seconds / 3600; date.minute = seconds % 3600 / 60; date.second = seconds % 60
        date.utcOffsetMinutes = offset
        return date
    }

    /// Seconds since 1970-01-01T00:00:00Z of a date-time: its wall-clock time taken as UTC
    /// when it states no offset.
    public var epochSeconds: Int? {
        guard let days = dayNumber, let hour else { return nil }
        return days * 86_400 + hour * 3600 + (minute ?? 0) * 60 + (second ?? 0) - (utcOffsetMinutes ?? 0) * 60
    }

    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1000...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return day <= (month == 2 && leap ? 29 : days[month - 1])
    }
}

/// Finds dates written the ways release sites and PDFs write them and returns ISO 8601.
///
/// Numeric forms are read year-first only (`2024-01-25`, `2024.01.25`, `2024. 1. 25.`,
/// `2024/01/25`, `2024년 1월 25일`); day-first numeric forms such as `01/02/2024` are
/// ambiguous across locales and are not guessed. English month names are read in either
/// order (`January 25, 2024`, `25 January 2024`, `Jan. 25, 2024`).
public struct DateParser: Sendable {
    public init() {}

    /// The first valid date in `text`, or nil.
    public func firstDate(in text: String) -> ParsedDate? {
        if let pdf = parsePDFDate(text) { return pdf }
        // Every form has a four-digit year: texts without one need no regex work.
        var run = 0, hasYear = false
        for u in text.utf8 {
            if u >= 0x30 && u <= 0x39 { run += 1; if run == 4 { hasYear = true; break } } else { run = 0 }
        }
        guard hasYear else { return nil }
        var best: (range: Range<String.Index>, date: ParsedDate)?
        func consider(_ range: Range<String.Index>, _ date: ParsedDate?) {
            guard let date else { return }
            if best == nil || range.lowerBound < best!.range.lowerBound { best = (range, date) }
        }
        for m in text.matches(of: Self.numeric) {
            let (_, y, _, mo, d, h, mi, s, zone) = m.output
            var date = Self.make(y, mo, d, h, mi, s)
            if date?.hour != nil, let zone { date?.utcOffsetMinutes = Self.offsetMinutes(zone) }
            consider(m.range, date)
        }
        for m in text.matches(of: Self.dayFirstDotted) {
            let (_, d, mo, y) = m.output
            consider(m.range, Self.make(y, mo, d, nil, nil, nil))
        }
        for m in text.matches(of: Self.korean) {
            let (_, y, mo, d) = m.output
            consider(m.range, Self.make(y, mo, d, nil, nil, nil))
        }
        for m in text.matches(of: Self.monthDayYear) {
            let (_, mon, d, y) = m.output
            if let month = Self.month(named: mon) { consider(m.range, Self.make(y, Substring(String(month)), d, nil, nil, nil)) }
        }
        for m in text.matches(of: Self.dayMonthYear) {
            let (_, d, mon, y) = m.output
            if let month = Self.month(named: mon) { consider(m.range, Self.make(y, Substring(String(month)), d, nil, nil, nil)) }
        }
        return best?.date
    }

    /// The first day-first dotted date with a two-digit year (`31.10.23`), as German and other
    /// European sites print a date line. Not part of `firstDate`: in free text and PDFs the form
    /// is as often a version or a reference number, so only callers that look at a page's date
    /// line ask for it. The century is the one that does not put the date after `currentYear`.
    public func firstShortYearDate(in text: String, currentYear: Int) -> ParsedDate? {
        for m in text.matches(of: Self.dayFirstShortYear) {
            let (_, d, mo, yy) = m.output
            guard let two = Int(yy) else { continue }
            let year = 2000 + two <= currentYear ? 2000 + two : 1900 + two
            if let date = Self.make(Substring(String(year)), mo, d, nil, nil, nil) { return date }
        }
        return nil
    }

    /// Reads a PDF date string (`D:20240125093000+09'00'`, ISO 32000-1 §7.9.4), which may
    /// stop after any component. Returns nil if `text` is not one.
    public func parsePDFDate(_ text: String) -> ParsedDate? {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        if s.hasPrefix("D:") { s = s.dropFirst(2) } else { return nil }
        let digits = s.prefix(while: \.isASCII).prefix(while: \.isNumber)
        guard digits.count >= 4 else { return nil }
        func field(_ offset: Int, _ length: Int) -> Int? {
            guard digits.count >= offset + length else { return nil }
            let start = digits.index(digits.startIndex, offsetBy: offset)
            return Int(digits[start..<digits.index(start, offsetBy: length)])
        }
        let year = field(0, 4)!, month = field(4, 2) ?? 1, day = field(6, 2) ?? 1
        guard ParsedDate.isValid(year: year, month: month, day: day) else { return nil }
        let hour = field(8, 2), minute = field(10, 2), second = field(12, 2)
        if let hour, hour > 23 { return nil }
        if let minute, minute > 59 { return nil }
        if let second, second > 60 { return nil }
        var offset: Int?
        let rest = s.dropFirst(digits.count)
        if let sign = rest.first {
            if sign == "Z" { offset = 0 } else if sign == "+" || sign == "-" {
                let nums = rest.dropFirst().split(whereSeparator: { !$0.isNumber })
                let oh = nums.first.flatMap { Int($0) } ?? 0
                let om = nums.dropFirst().first.flatMap { Int($0) } ?? 0
                if oh <= 14 && om < 60 { offset = (sign == "-" ? -1 : 1) * (oh * 60 + om) }
            }
        }
        return ParsedDate(year: year, month: month, day: day, hour: hour,
                          minute: hour == nil ? nil : (minute ?? 0),
                          second: hour == nil ? nil : (second ?? 0),
                          utcOffsetMinutes: hour == nil ? nil : offset)
    }

    // Regex is not declared Sendable, but a literal is an immutable value whose compiled
    // program is published atomically on first use, so sharing these across threads is safe.

    // 2024-01-25, 2024.01.25, 2024. 1. 25., 2024/01/25, optionally followed by a time.
    nonisolated(unsafe) private static let numeric = #/(?:^|[^\d.])(\d{4})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)\.?(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?/#
    // 29.04.2020 and 29. 4. 2020: the day-first dotted form of German, Scandinavian, Slavic…
    // and Korean-adjacent sites; slashes (01/02/2024) stay ambiguous and are not read.
    nonisolated(unsafe) private static let dayFirstDotted = #/(?:^|[^\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?!\d)/#
    // 31.10.23: exactly two year digits, not part of a longer dotted number (1.2.23.4, 10.0.0.23).
    nonisolated(unsafe) private static let dayFirstShortYear = #/(?:^|[^\d.])(\d{1,2})\.(\d{1,2})\.(\d{2})(?!\d|\.\d)/#
    // 2024년 1월 25일 (Korean) and 2024年1月25日 (Chinese, Japanese).
    nonisolated(unsafe) private static let korean = #/(\d{4})\s*[년年]\s*(\d{1,2})\s*[월月]\s*(\d{1,2})\s*[일日]/#
    nonisolated(unsafe) private static let monthDayYear = #/\b(\p{L}{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/#
    nonisolated(unsafe) private static let dayMonthYear = #/\b(\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?(\p{L}{3,12})\.?,?\s+(?:de\s+)?(\d{4})\b/#

    private static let months: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
        "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
        "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
        "nov": 11, "november": 11, "dec": 12, "december": 12,
        // German
        "januar": 1, "jänner": 1, "jän": 1, "februar": 2, "märz": 3, "mär": 3, "mai": 5, "juni": 6,
        "juli": 7, "okt": 10, "oktober": 10, "dez": 12, "dezember": 12,
        // French
        "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "mars": 3, "avril": 4, "avr": 4,
        "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10,
        "novembre": 11, "décembre": 12, "decembre": 12, "déc": 12,
        // Spanish and Italian
        "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
        "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
        "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
        "settembre": 9, "ottobre": 10, "dicembre": 12,
        // Dutch
        "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8,
        // Portuguese
        "janeiro": 1, "fevereiro": 2, "março": 3, "marco": 3, "maio": 5, "junho": 6, "julho": 7,
        "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12,
        // Turkish (dotted and dotless i, as pages and lower-casing write them)
        "ocak": 1, "şubat": 2, "subat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "mayis": 5, "haziran": 6,
        "temmuz": 7, "ağustos": 8, "agustos": 8, "eylül": 9, "eylul": 9, "ekim": 10, "kasım": 11,
        "kasim": 11, "aralık": 12, "aralik": 12,
        // Russian, as dates write them (genitive), and their short forms
        "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
        "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
        "янв": 1, "фев": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7, "авг": 8, "сен": 9, "сент": 9,
        "окт": 10, "ноя": 11, "дек": 12,
        // Ukrainian and Polish (genitive)
        "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6, "липня": 7,
        "серпня": 8, "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12,
        "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6, "lipca": 7,
        "sierpnia": 8, "września": 9, "października": 10, "listopada": 11, "grudnia": 12,
        // Arabic (Egyptian and Gulf names; the Levantine ones of one word)
        "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6,
        "يوليو": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11,
        "ديسمبر": 12, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7, "أيلول": 9,
    ]

    /// `Z`, `+09:00`, `-0530` as minutes east of UTC.
    private static func offsetMinutes(_ zone: Substring) -> Int? {
        if zone == "Z" { return 0 }
        let digits = zone.dropFirst().filter(\.isNumber)
        guard digits.count == 4, let h = Int(digits.prefix(2)), let m = Int(digits.suffix(2)), h <= 14, m < 60 else { return nil }
        return (zone.first == "-" ? -1 : 1) * (h * 60 + m)
    }

    private static func month(named name: Substring) -> Int? { months[name.lowercased()] }

    private static func make(_ y: Substring, _ mo: Substring, _ d: Substring,
                             _ h: Substring?, _ mi: Substring?, _ s: Substring?) -> ParsedDate? {
        guard let year = Int(y), let month = Int(mo), let day = Int(d),
              ParsedDate.isValid(year: year, month: month, day: day) else { return nil }
        var date = ParsedDate(year: year, month: month, day: day)
        if let h, let hour = Int(h), hour < 24, let mi, let minute = Int(mi), minute < 60 {
            date.hour = hour; date.minute = minute; date.second = s.flatMap { Int($0) } ?? 0
        }
        return date
    }
}
