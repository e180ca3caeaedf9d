import Foundation
import TrawlNormalize

/// Finds a page's publication date without rules, from the most to the least explicit
/// signal: JSON-LD `datePublished`, `itemprop=datePublished`, publication `<meta>` tags,
/// `<time>` elements, a date in the URL, then a date in the page's date/byline elements.
/// Each result says where it came from (provenance).
struct DateFinder {
    let dates = DateParser()
    /// Dates after this (the run's day, plus a day of time-zone slack) are not publication dates.
    let latest = Date().addingTimeInterval(86_400)
    /// The century of a two-digit year is the one that keeps the date up to this year.
    let currentYear = Calendar(identifier: .gregorian).component(.year, from: Date())

    func find(in doc: HTMLDocument, url: URL) -> (date: ParsedDate, raw: String, source: String)? {
        guard var found = firstSignal(in: doc, url: url) else { return nil }
        if let original = originalOfRestated(found.date, in: doc) { found = original }
        else if let agreed = claimThePageShows(instead: found.date, in: doc) { found = agreed }
        guard found.date.utcOffsetMinutes == 0, found.date.hour != nil else { return found }
        // A UTC timestamp's day is not the page's day for an evening release west of Greenwich
        // (or a morning one east of it): say the instant as the page says it where it can.
        let sources = strings(doc, "//script | //meta/@content | //time/@datetime")
        if let local = LocalTime.restate(found.date, among: sources) {
            return (local, found.raw, found.source + "+local-offset")
        }
        // Another timestamp of the page states its zone: the instant in that zone.
        if let offset = LocalTime.pageOffset(among: sources), let local = found.date.inOffset(minutes: offset) {
            return (local, found.raw, found.source + "+page-offset")
        }
        if let day = fromURL(url), Self.couldBeLocalDay(day, of: found.date) {
            return (day, url.absoluteString, "url(local day of \(found.source))")
        }
        // The page prints this very instant for its readers: the day it prints is the local one.
        if let printed = printedDay(of: found.date, in: doc) {
            if printed.date.dayNumber == found.date.dayNumber { return found }
            if Self.couldBeLocalDay(printed.date, of: found.date) {
                return (printed.date, printed.raw, "text(local day of \(found.source))")
            }
        }
        // The day the page shows its readers, next to the title or in its date line.
        if let shown = visibleDate(doc), shown.date.utcOffsetMinutes == nil, Self.couldBeLocalDay(shown.date, of: found.date) {
            return (shown.date, shown.raw, "text(local day of \(found.source))")
        }
        return found
    }

    /// Whether `day` is the day before or after a UTC timestamp's that a zone at most ten hours
    /// from UTC would show (America/Los_Angeles to Australia/Sydney; beyond, it is another date).
    static func couldBeLocalDay(_ day: ParsedDate, of utc: ParsedDate) -> Bool {
        guard let d = day.dayNumber, let u = utc.dayNumber, let hour = utc.hour else { return false }
        let seconds = hour * 3600 + (utc.minute ?? 0) * 60 + (utc.second ?? 0), limit = 10 * 3600
        if d == u - 1 { return seconds < limit }
        if d == u + 1 { return 86_400 - seconds <= limit }
        return false
    }

    /// The text of a `<time>` whose `datetime` is `instant`, read as a date.
    private func printedDay(of instant: ParsedDate, in doc: HTMLDocument) -> (date: ParsedDate, raw: String)? {
        guard let seconds = instant.epochSeconds,
              case .nodes(let times) = (try? doc.evaluate("//time[@datetime]")) ?? .value("") else { return nil }
        for time in times.prefix(200) {
            guard let stamp = time.attribute("datetime"), let d = dates.firstDate(in: stamp),
                  d.utcOffsetMinutes != nil, d.epochSeconds == seconds else { continue }
            let text = time.stringValue
            if let day = shown(text), day.utcOffsetMinutes == nil { return (day, text) }
        }
        return nil
    }

    /// The first date in the page's labelled date, date line or heading block, with the text
    /// around it: a date line's label is often its parent's text (`<span>Updated <time>…</time></span>`).
    private func visibleDate(_ doc: HTMLDocument) -> (date: ParsedDate, raw: String, context: String)? {
        if let found = labelledDate(doc, labels: Self.dateLabels) { return (found.date, found.raw, found.raw) }
        if case .nodes(let lines) = (try? doc.evaluate(Self.bylineXPath)) ?? .value("") {
            for line in lines.lazy.filter({ !$0.stringValue.isEmpty }).prefix(20) {
                let value = line.stringValue
                if let d = shown(value) { return (d, value, line.parent.map { PageSignals.text(of: $0) } ?? value) }
            }
        }
        return dateNearHeading(doc).map { ($0.date, $0.raw, $0.raw) }
    }

    /// A date in the text around the first `<h1>`: its parent, then up to two more ancestors.
    func dateNearHeading(_ doc: HTMLDocument) -> (date: ParsedDate, raw: String)? {
        guard case .nodes(let heads) = (try? doc.evaluate("//h1")) ?? .value(""), let h1 = heads.first else { return nil }
        var node = h1.parent
        for _ in 0..<3 {
            guard let current = node, current.kind == .element, current.name != "body" else { return nil }
            let text = String(TextExtractor().text(of: current).prefix(3000))
            if let d = shown(text) { return (d, text) }
            node = current.parent
        }
        return nil
    }

    /// A CMS that restates an updated page's publication date as the update's shows the same
    /// day in its modified date: when one of the `<meta>` publication claims in its `<head>` is
    /// earlier, that one is the original. (The body is not asked: an earlier `datePublished`
    /// there may be a teaser's, of another article.)
    private func originalOfRestated(_ date: ParsedDate, in doc: HTMLDocument) -> (date: ParsedDate, raw: String, source: String)? {
        guard let day = date.dayNumber, let updated = findUpdated(in: doc)?.date.dayNumber, updated == day else { return nil }
        var earliest: (date: ParsedDate, raw: String, source: String)?
        for claim in headClaims(doc) {
            guard let n = claim.date.dayNumber, n < (earliest?.date.dayNumber ?? day) else { continue }
            earliest = (claim.date, claim.raw, claim.source + "(earlier than the restated date)")
        }
        return earliest
    }

    /// The publication dates the `<meta>` tags in `<head>` claim, in probe order. (The body is not
    /// asked: its microdata also dates the teasers of other stories.)
    private func headClaims(_ doc: HTMLDocument) -> [(date: ParsedDate, raw: String, source: String)] {
        Self.metadataProbes.filter { $0.0.hasPrefix("//meta") }.flatMap { xpath, source in
            strings(doc, "//head" + xpath.dropFirst()).compactMap { value in plausible(value).map { ($0, value, source) } }
        }
    }

    /// When the page's machine-readable publication claims disagree on the day, the one whose
    /// day the page also shows its readers (its date line, the text by its title) is the date.
    private func claimThePageShows(instead date: ParsedDate, in doc: HTMLDocument) -> (date: ParsedDate, raw: String, source: String)? {
        guard let day = date.dayNumber else { return nil }
        var others: [(date: ParsedDate, raw: String, source: String)] = []
        for json in PageSignals.jsonLD(doc) {
            if let value = Self.search(json, key: "datePublished"), let d = plausible(value) { others.append((d, value, "json-ld:datePublished")) }
        }
        others += headClaims(doc)
        others.removeAll { $0.date.dayNumber == day }
        guard !others.isEmpty, let shownDay = shownPublicationDay(doc), shownDay != day,
              let agreed = others.first(where: { $0.date.dayNumber == shownDay }) else { return nil }
        return (agreed.date, agreed.raw, agreed.source + "(the day the page shows)")
    }

    /// The day of the page's visible date, unless it is introduced as an update ("Updated Jul
    /// 24, 2018"): that day confirms a modification, not a publication.
    private func shownPublicationDay(_ doc: HTMLDocument) -> Int? {
        guard let shown = visibleDate(doc), !Self.saysUpdated(shown.context, before: shown.date) else { return nil }
        return shown.date.dayNumber
    }

    /// Whether an update word stands in the 80 characters before `date`'s year in `text`.
    static func saysUpdated(_ text: String, before date: ParsedDate) -> Bool {
        let lower = text.lowercased()
        let window: Substring
        if let year = lower.range(of: String(date.year)) ?? lower.range(of: String(format: "%02d", date.year % 100)) {
            let from = lower.index(year.lowerBound, offsetBy: -80, limitedBy: lower.startIndex) ?? lower.startIndex
            window = lower[from..<year.lowerBound]
        } else {
            window = lower.prefix(300)
        }
        return updateWords.contains { window.contains($0) }
    }

    static let updateWords = ["updated", "update:", "aktualisiert", "geändert", "mis à jour", "actualizado", "aggiornato",
                              "atualizado", "bijgewerkt", "수정", "更新", "обновлено"]

    /// `<meta name>`s of a publication date, lower-cased, as one XPath string literal `'|a|b|'`.
    static let publicationNames = "'|" + ["date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "pubdate", "publishdate", "publish-date", "publication_date", "sailthru.date", "parsely-pub-date", "citation_publication_date", "citation_date", "article.published", "published_time"].joined(separator: "|") + "|'"

    /// Publication dates in markup made for machines, the most explicit first.
    static let metadataProbes: [(String, String)] = [
        ("//*[@itemprop='datePublished']/@content | //*[@itemprop='datePublished']/@datetime | //*[@itemprop='datePublished']", "microdata:datePublished"),
        ("//meta[@property='article:published_time' or @property='og:published_time' or @property='og:article:published_time' or @name='article:published_time']/@content", "meta:article:published_time"),
        // Names compared lower-cased: DC.Date, DC.date.issued and dc.date are one tag.
        ("//meta[contains(" + Self.publicationNames + ", concat('|', translate(@name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), '|')) or @itemprop='datePublished']/@content", "meta:date"),
        // RDFa (Drupal and others): schema.org and Dublin Core properties.
        ("//*[@property='schema:datePublished' or @property='schema:dateCreated' or @property='dc:date' or @property='dc:created' or @property='dcterms:created' or @property='dcterms:issued']/@content", "rdfa:datePublished"),
    ]

    private func firstSignal(in doc: HTMLDocument, url: URL) -> (date: ParsedDate, raw: String, source: String)? {
        if let found = jsonLD(doc) { return found }
        if let found = first(Self.metadataProbes, in: doc) { return found }
        let probes: [(String, String)] = [
            // A <time> inside a <blockquote> is an embedded post's (Instagram, X), not the page's.
            ("//time[@pubdate or contains(@class, 'publish') or contains(@itemprop, 'datePublished')][not(ancestor::blockquote)]/@datetime", "html:time[pubdate]"),
            ("(//article//time | //main//time)[not(ancestor::blockquote)][1]/@datetime", "html:time"),
            ("//time[not(ancestor::blockquote)]/@datetime", "html:time"),
            // hAtom's value-title pattern: `<abbr class="published" title="2013-04-04T18:52:11">`.
            ("//*[contains(concat(' ', normalize-space(@class), ' '), ' published ')]/@title", "microformat:published"),
            ("//*[contains(concat(' ', normalize-space(@class), ' '), ' updated ')]/@title", "microformat:updated"),
        ]
        if let found = first(probes, in: doc) { return found }
        if let d = fromURL(url) { return (d, url.absoluteString, "url") }
        if let found = labelledDate(doc, labels: Self.dateLabels) { return found }
        if let found = scriptState(doc) { return found }
        for value in strings(doc, Self.bylineXPath).prefix(20) {
            if let d = shown(value) { return (d, value, "text:date-element") }
        }
        return nil
    }

    /// The first plausible date the first probe with one selects.
    private func first(_ probes: [(String, String)], in doc: HTMLDocument) -> (date: ParsedDate, raw: String, source: String)? {
        for (xpath, source) in probes {
            for value in strings(doc, xpath) {
                if let d = plausible(value) { return (d, value, source) }
            }
        }
        return nil
    }

    /// The date a page says it was last updated, kept apart from its publication date.
    func findUpdated(in doc: HTMLDocument) -> (date: ParsedDate, source: String)? {
        for json in PageSignals.jsonLD(doc) {
            if let value = Self.search(json, key: "dateModified"), let d = plausible(value) {
                return (d, "json-ld:dateModified")
            }
        }
        let probes: [(String, String)] = [
            ("//*[@itemprop='dateModified']/@content | //*[@itemprop='dateModified']/@datetime | //*[@itemprop='dateModified']", "microdata:dateModified"),
            ("//meta[@property='article:modified_time' or @property='og:updated_time' or @name='last-modified' or @name='DC.date.modified' or @name='dcterms.modified' or @http-equiv='last-modified']/@content", "meta:modified"),
        ]
        for (xpath, source) in probes {
            for value in strings(doc, xpath) { if let d = plausible(value) { return (d, source) } }
        }
        let labels: Set<String> = ["수정일", "최종수정일", "수정일자", "최종 수정일", "letzte änderung", "aktualisiert", "aktualisiert am",
                                   "updated", "last updated", "last modified", "modified", "mis à jour", "mis à jour le", "actualizado"]
        return labelledDate(doc, labels: labels).map { ($0.date, $0.source) }
    }

    /// Elements that hold a page's date line.
    static let bylineXPath = "//*[contains(@class, 'date') or contains(@class, 'Date') or contains(@class, 'time') or contains(@class, 'publish') or contains(@class, 'posted') or contains(@class, 'submitted') or contains(@class, 'byline') or contains(@class, 'meta') or contains(@id, 'date') or contains(@class, 'info')][not(self::html or self::body)]"

    /// Labels that introduce a publication date on release pages.
    static let dateLabels: Set<String> = [
        "등록일", "작성일", "게시일", "등록일자", "작성일자", "날짜", "배포일", "보도일", "발행일",
        "stand", "datum", "veröffentlicht", "veröffentlicht am", "erstellt", "erstellt am", "erschienen",
        "published", "posted", "posted on", "date", "released", "publié le", "publié", "fecha", "data",
    ]

    /// A date in the element after a label such as 등록일 or "Stand:".
    private func labelledDate(_ doc: HTMLDocument, labels: Set<String>) -> (date: ParsedDate, raw: String, source: String)? {
        for (label, node) in PageSignals.labelCells(doc) where labels.contains(label.lowercased()) {
            guard let valueNode = PageSignals.value(after: node, skippingBlank: true) else { continue }
            let value = PageSignals.text(of: valueNode)
            if let d = plausible(value) { return (d, value, "label:\(label.lowercased())") }
        }
        return nil
    }

    /// The first date in `value` that could be a publication date (1995 up to today).
    func plausible(_ value: String) -> ParsedDate? {
        guard let d = dates.firstDate(in: value), d.year >= 1995 else { return nil }
        var c = DateComponents()
        c.year = d.year; c.month = d.month; c.day = d.day
        guard let when = Calendar(identifier: .gregorian).date(from: c), when <= latest else { return nil }
        return d
    }

    /// A date as a page's date line shows it to readers: any form `plausible` reads, else a
    /// day-first date with a two-digit year (`31.10.23`), which only a date line is trusted with.
    func shown(_ value: String) -> ParsedDate? {
        if let d = plausible(value) { return d }
        return dates.firstShortYearDate(in: value, currentYear: currentYear).flatMap { plausible($0.iso8601) }
    }

    private func strings(_ doc: HTMLDocument, _ xpath: String) -> [String] {
        switch (try? doc.evaluate(xpath)) ?? .value("") {
        case .nodes(let nodes): return nodes.map { $0.stringValue }.filter { !$0.isEmpty }
        case .value(let v): return v.isEmpty ? [] : [v]
        }
    }

    /// A publication date in a script's data (the state a JavaScript front end renders from):
    /// `"publishedAt": "2022-01-31T15:58:43+01:00"` and the like, the first key of the list found.
    private func scriptState(_ doc: HTMLDocument) -> (ParsedDate, String, String)? {
        let scripts = strings(doc, "//script[not(@src)]")
        for key in Self.stateKeys {
            let quoted = "\"" + key + "\""
            for script in scripts {
                var from = script.startIndex
                while let hit = script.range(of: quoted, range: from..<script.endIndex) {
                    from = hit.upperBound
                    let value = script[hit.upperBound...].prefix(48)
                    // Only a value right after the key: `: "…"`, with JSON's escaped slashes.
                    guard let colon = value.firstIndex(where: { !$0.isWhitespace }), value[colon] == ":" else { continue }
                    let text = value[value.index(after: colon)...].replacingOccurrences(of: "\\/", with: "/")
                    if let d = plausible(String(text.prefix(40))) { return (d, String(text.prefix(40)), "script:\(key)") }
                }
            }
        }
        return nil
    }

    /// Keys of a publication date in front-end state, the most specific first.
    static let stateKeys = ["datePublished", "publishedAt", "published_at", "publishDate", "publish_date", "publicationDate",
                            "firstPublishedAt", "first_published_at", "dateCreated", "createdAt", "created_at"]

    /// `datePublished` anywhere in the page's JSON-LD (also inside `@graph`).
    private func jsonLD(_ doc: HTMLDocument) -> (ParsedDate, String, String)? {
        for json in PageSignals.jsonLD(doc) {
            if let value = Self.search(json, key: "datePublished") ?? Self.search(json, key: "dateCreated"),
               let d = plausible(value) {
                return (d, value, "json-ld:datePublished")
            }
        }
        return nil
    }

    private static func search(_ json: Any, key: String) -> String? {
        if let dict = json as? [String: Any] {
            if let v = dict[key] as? String { return v }
            for (_, v) in dict { if let found = search(v, key: key) { return found } }
        } else if let array = json as? [Any] {
            for v in array { if let found = search(v, key: key) { return found } }
        }
        return nil
    }

    /// `/2020/04/29/`, `/2020-04-29-…`, `/20200429/` in the path.
    private func fromURL(_ url: URL) -> ParsedDate? {
        let path = url.path
        if let m = path.firstMatch(of: #/\/((?:19|20)\d\d)[\/-](\d{1,2})[\/-](\d{1,2})(?:[\/-]|$|\D)/#) {
            return plausible("\(m.1)-\(m.2)-\(m.3)")
        }
        if let m = path.firstMatch(of: #/\/((?:19|20)\d\d)(\d\d)(\d\d)(?:\/|$|\D)/#) {
            return plausible("\(m.1)-\(m.2)-\(m.3)")
        }
        return nil
    }
}

/// Finds the offset a page states for an instant it also gives in UTC: the same instant with
/// another offset, or the same wall-clock time without one, a whole quarter-hour away.
enum LocalTime {
    nonisolated(unsafe) private static let stamp = #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?([+-])(\d{2}):?(\d{2})/#

    /// The offset of the first ISO 8601 timestamp with a non-zero one in `texts`.
    static func pageOffset(among texts: [String]) -> Int? {
        for text in texts where text.contains("T") {
            for m in text.matches(of: stamp) {
                guard let h = Int(m.output.2), let mi = Int(m.output.3), h <= 14, mi < 60, h + mi > 0 else { continue }
                return (m.output.1 == "-" ? -1 : 1) * (h * 60 + mi)
            }
        }
        return nil
    }

    static func restate(_ utc: ParsedDate, among texts: [String]) -> ParsedDate? {
        guard let instant = utc.epochSeconds, let day = utc.dayNumber else { return nil }
        let parser = DateParser()
        // The local day is the UTC day or one either side: look only where one is written.
        let days = (day - 1...day + 1).map { ParsedDate(dayNumber: $0).iso8601 }
        for text in texts {
            for dayString in days {
                var from = text.startIndex
                while let hit = text.range(of: dayString, range: from..<text.endIndex) {
                    from = hit.upperBound
                    let window = String(text[hit.lowerBound...].prefix(40))
                    guard let candidate = parser.firstDate(in: window), candidate.hour != nil,
                          let seconds = candidate.epochSeconds else { continue }
                    if let offset = candidate.utcOffsetMinutes {
                        if offset != 0, abs(seconds - instant) <= 60 { return candidate }
                    } else {
                        // Wall-clock time: the difference is the offset, if it is a likely one
                        // (twelve hours apart is a 12-hour clock read as 24, not a zone).
                        let delta = seconds - instant
                        if delta != 0, abs(delta) < 12 * 3600, delta % 900 == 0 {
                            var local = candidate
                            local.utcOffsetMinutes = Int(delta / 60)
                            return local
                        }
                    }
                }
            }
        }
        return nil
    }
}
