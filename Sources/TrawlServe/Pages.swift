import Foundation
import Trawl
import TrawlLedger
import TrawlSinks

/// The three pages of `trawl serve`, rendered on the server from the output directory:
/// search, one record, recent runs. Read-only; no scripts.
struct Pages: Sendable {
    let output: URL
    let sources: [String]

    // MARK: Search

    func search(query: String, source: String?, since: String?) -> (status: Int, html: String) {
        var body = "<h1>Search the records</h1>"
        let options = ([""] + sources).map { s in
            "<option value=\"\(HTML.escape(s))\"\(s == (source ?? "") ? " selected" : "")>\(s.isEmpty ? "all sources" : HTML.escape(s))</option>"
        }.joined()
        body += """
            <form class="search" method="get" action="/">
            <input type="search" name="q" value="\(HTML.escape(query))" placeholder="반도체 수출, &quot;public wi-fi&quot;, export*" autofocus aria-label="query">
            <select name="source" aria-label="source">\(options)</select>
            <input type="date" name="since" value="\(HTML.escape(since ?? ""))" aria-label="published since">
            <button type="submit">Search</button></form>
            """
        guard !query.trimmingCharacters(in: .whitespaces).isEmpty else {
            return (200, HTML.page(title: "Search", output: output.path, body: body + "<p class=\"muted\">Words are all required; OR between two words accepts either; \"…\" is a phrase; word* a prefix. Korean words match inside compounds.</p>"))
        }
        let hits: [SearchHit]
        do {
            let index = try SearchIndex(file: SearchIndex.file(output: output), create: false)
            hits = try index.search(SearchQuery(query, source: source, since: since, limit: 50))
        } catch {
            return (500, HTML.page(title: "Search", output: output.path, body: body + "<p class=\"err\">\(HTML.escape("\(error)"))</p>"))
        }
        body += "<p class=\"muted\" id=\"count\">\(hits.count == 50 ? "50+" : "\(hits.count)") records match <b>\(HTML.escape(query))</b></p>"
        for hit in hits {
            body += """
                <div class="hit"><h3><a href="/record/\(HTML.escape(hit.id))">\(HTML.escape(hit.title ?? "(untitled)"))</a></h3>
                <div class="meta">\(HTML.escape(hit.published ?? "no date")) · \(HTML.escape(hit.source))</div>
                <div class="url">\(HTML.escape(hit.url))</div>
                <div class="snippet">\(hit.marked(open: "<mark>", close: "</mark>", escape: { HTML.escape($0) }))</div></div>
                """
        }
        return (200, HTML.page(title: query, output: output.path, body: body))
    }

    // MARK: Record

    func record(id: String) -> (status: Int, html: String) {
        // Ids are hashes; anything else never reaches the file system.
        guard !id.isEmpty, id.count <= 200, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }),
              let data = try? Data(contentsOf: OutputDirectory(root: output).recordFile(id: id)),
              let r = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return (404, HTML.page(title: "Not found", output: output.path, body: "<h1>No record \(HTML.escape(id))</h1><p><a href=\"/\">Search</a></p>"))
        }
        let title = r["title"] as? String ?? "(untitled)"
        var body = "<h1 id=\"title\">\(HTML.escape(title))</h1>"
        var rows: [(String, String)] = []
        for key in ["id", "source", "url", "canonical_url", "published", "updated", "site_name", "language", "encoding", "content_sha256"] {
            guard let v = r[key], !(v is NSNull) else { continue }
            let text = "\(v)"
            rows.append((key, key.hasSuffix("url") ? HTML.link(text) : HTML.escape(text)))
        }
        if let original = r["duplicate_of"] as? String {
            let similarity = (r["similarity"] as? Double).map { String(format: " (similarity %.2f)", $0) } ?? ""
            rows.append(("duplicate_of", "<a href=\"/record/\(HTML.escape(original))\">\(HTML.escape(original))</a>\(similarity)"))
        }
        if let copies = r["duplicate_urls"] as? [String], !copies.isEmpty {
            rows.append(("duplicate_urls", copies.map { HTML.link($0) }.joined(separator: "<br>")))
        }
        body += Self.table(rows)
        if let fields = r["fields"] as? [String: Any], !fields.isEmpty {
            body += "<h2>Fields</h2>" + Self.table(fields.sorted { $0.key < $1.key }.map { ($0.key, HTML.escape("\($0.value)")) })
        }
        if let provenance = r["provenance"] as? [String: Any], !provenance.isEmpty {
            body += "<h2>Provenance</h2>" + Self.table(provenance.sorted { $0.key < $1.key }.map { ($0.key, HTML.escape("\($0.value)")) })
        }
        body += "<h2>Text</h2><pre id=\"text\">\(HTML.escape(r["text"] as? String ?? ""))</pre>"
        let attachments = r["attachments"] as? [[String: Any]] ?? []
        body += "<h2>Attachments (\(attachments.count))</h2>"
        for a in attachments { body += attachment(a) }
        return (200, HTML.page(title: title, output: output.path, body: body))
    }

    func attachment(_ a: [String: Any], depth: Int = 0) -> String {
        let name = a["filename"] as? String ?? a["url"] as? String ?? "attachment"
        var html = "<div class=\"att\"><b>\(HTML.escape(name))</b> <span class=\"meta\">\(HTML.escape(a["format"] as? String ?? "?"))"
        if let bytes = a["bytes"] as? Int { html += " · \(bytes.formatted()) bytes" }
        html += "</span>"
        if let error = a["error"] as? [String: Any] {
            html += "<div class=\"err\">\(HTML.escape("\(error["stage"] ?? "")/\(error["kind"] ?? "")")): \(HTML.escape(error["message"] as? String ?? ""))</div>"
        }
        // Quality flags and metadata, whatever the format reports, flattened.
        var rows: [(String, String)] = []
        for key in ["url", "media_type", "sha256"] { if let v = a[key] as? String { rows.append((key, key == "url" ? HTML.link(v) : HTML.escape(v))) } }
        if let dup = a["duplicate_of"] as? [String: Any] { rows.append(("duplicate_of", HTML.escape(Self.flat(dup)))) }
        for key in ["document", "pdf"] {
            guard let info = a[key] as? [String: Any] else { continue }
            for (k, v) in Self.flatten(info, prefix: key) { rows.append((k, Self.flag(k, v))) }
        }
        html += Self.table(rows)
        if let text = a["text"] as? String, !text.isEmpty {
            html += "<details\(depth == 0 ? " open" : "")><summary>Text (\(text.count.formatted()) characters)</summary><pre>\(HTML.escape(text.prefix(20_000)))\(text.count > 20_000 ? "\n…" : "")</pre></details>"
        } else if a["error"] == nil || a["error"] is NSNull {
            html += "<div class=\"muted\">no text</div>"
        }
        for e in a["embedded"] as? [[String: Any]] ?? [] { html += attachment(e, depth: depth + 1) }
        return html + "</div>"
    }

    /// Values that say something is wrong are shown as flags.
    static func flag(_ key: String, _ value: String) -> String {
        let bad = (key.hasSuffix("truncated") || key.hasSuffix("encrypted") || key.hasSuffix("needs_ocr") || key.hasSuffix("garbled")) && value == "true"
            || (key.hasSuffix("garbled_ratio") && (Double(value) ?? 0) > 0.1)
        return bad ? "<span class=\"flag\">\(HTML.escape(value))</span>" : HTML.escape(value)
    }

    static func flatten(_ object: [String: Any], prefix: String) -> [(String, String)] {
        var out: [(String, String)] = []
        for (k, v) in object.sorted(by: { $0.key < $1.key }) {
            let key = "\(prefix).\(k)"
            switch v {
            case is NSNull: continue
            case let d as [String: Any]: out += flatten(d, prefix: key)
            case let list as [Any]: if !list.isEmpty { out.append((key, list.map { flat($0) }.joined(separator: "; "))) }
            default: out.append((key, flat(v)))
            }
        }
        return out
    }

    static func flat(_ v: Any) -> String {
        if let d = v as? [String: Any] { return d.sorted { $0.key < $1.key }.map { "\($0.key): \(flat($0.value))" }.joined(separator: ", ") }
        // JSON booleans arrive as NSNumber of type char on Linux (and print as 1/0).
        if let n = v as? NSNumber, String(cString: n.objCType) == "c" { return n.boolValue ? "true" : "false" }
        return "\(v)"
    }

    static func table(_ rows: [(String, String)]) -> String {
        guard !rows.isEmpty else { return "" }
        return "<table>" + rows.map { "<tr><th>\(HTML.escape($0.0))</th><td>\($0.1)</td></tr>" }.joined() + "</table>"
    }

    // MARK: Runs

    func runs() -> (status: Int, html: String) {
        let dir = output.appendingPathComponent("runs")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        let summaries: [RunSummary] = names.suffix(30).compactMap {
            (try? Data(contentsOf: dir.appendingPathComponent($0))).flatMap { try? JSONDecoder().decode(RunSummary.self, from: $0) }
        }
        var body = "<h1>Recent runs</h1>"
        guard !summaries.isEmpty else { return (200, HTML.page(title: "Runs", output: output.path, body: body + "<p>No run yet.</p>")) }
        body += Self.plot(summaries)
        body += "<table id=\"runs\"><tr><th>run</th><th>finished</th><th>time</th><th>records</th><th>created</th><th>updated</th><th>deleted</th><th>errors</th></tr>"
        for s in summaries.reversed() {
            let c = s.counts
            body += "<tr><td>\(HTML.escape(s.runID))\(s.interrupted ? " <span class=\"flag\">interrupted</span>" : "")</td><td>\(HTML.escape(s.finished))</td>"
                + "<td>\(String(format: "%.1f s", s.timings["total"] ?? 0))</td><td>\(c.records)</td><td>\(c.created)</td><td>\(c.updated)</td><td>\(c.deleted)</td>"
                + "<td\(c.errors > 0 ? " class=\"err\"" : "")>\(c.errors)</td></tr>"
        }
        body += "</table>"
        if let last = summaries.last {
            body += "<h2>Errors of the last run by kind</h2>"
            if last.errorsByKind.isEmpty { body += "<p class=\"ok\">none</p>" }
            for (kind, n) in last.errorsByKind.sorted(by: { $0.key < $1.key }) {
                let items = last.errors.filter { "\($0.stage)/\($0.kind)" == kind }
                body += "<details open><summary><b>\(HTML.escape(kind))</b>: \(n)</summary>"
                    + Self.table(items.map { ($0.url ?? "-", HTML.escape($0.message)) }) + "</details>"
            }
            if let sinks = last.sinks, !sinks.isEmpty {
                body += "<h2>Sinks</h2>" + Self.table(sinks.map { s in
                    (s.name, HTML.escape("\(s.type): \(s.behind == 0 ? "up to date" : "\(s.behind) changes behind"), \(s.applied) applied, \(s.rejects.count) refused")
                        + (s.error.map { " <span class=\"err\">\(HTML.escape($0))</span>" } ?? ""))
                })
            }
        }
        body += "<h2>Quarantined inputs</h2>"
        let quarantined = (try? Ledger(path: OutputDirectory(root: output).ledger.path).quarantineList()) ?? []
        body += quarantined.isEmpty ? "<p class=\"ok\">none</p>"
            : Self.table(quarantined.map { (String($0.sha256.prefix(16)), HTML.escape("\($0.reason): \($0.message) — ") + HTML.link($0.url) + HTML.escape(" (since \($0.since))")) })
        return (200, HTML.page(title: "Runs", output: output.path, body: body))
    }

    /// Records written and errors per run, as an inline SVG chart (oldest left).
    static func plot(_ runs: [RunSummary]) -> String {
        let width = 1000.0, height = 220.0, left = 48.0, bottom = 28.0, top = 16.0
        let records = runs.map { Double($0.counts.created + $0.counts.updated + $0.counts.deleted) }
        let errors = runs.map { Double($0.counts.errors) }
        let maxValue = max(1, (records + errors).max() ?? 1)
        let step = min(80, (width - left - 10) / Double(max(1, runs.count)))
        func y(_ v: Double) -> Double { top + (height - top - bottom) * (1 - v / maxValue) }
        var svg = "<svg id=\"plot\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" aria-label=\"records changed and errors per run\">"
        svg += "<line x1=\"\(left)\" y1=\"\(y(0))\" x2=\"\(width - 10)\" y2=\"\(y(0))\" stroke=\"#8a96a3\"/>"
        svg += "<text x=\"\(left - 6)\" y=\"\(y(maxValue) + 4)\" text-anchor=\"end\">\(Int(maxValue))</text><text x=\"\(left - 6)\" y=\"\(y(0) + 4)\" text-anchor=\"end\">0</text>"
        for (i, v) in records.enumerated() {
            let x = left + Double(i) * step
            svg += "<rect x=\"\(x + step * 0.15)\" y=\"\(y(v))\" width=\"\(step * 0.35)\" height=\"\(y(0) - y(v))\" fill=\"#4a78b5\"><title>\(HTML.escape(runs[i].runID)): \(Int(v)) records changed</title></rect>"
            svg += "<rect x=\"\(x + step * 0.5)\" y=\"\(y(errors[i]))\" width=\"\(step * 0.35)\" height=\"\(y(0) - y(errors[i]))\" fill=\"#d0453a\"><title>\(Int(errors[i])) errors</title></rect>"
            if runs.count <= 12 || i % max(1, runs.count / 8) == 0 {
                svg += "<text x=\"\(x + step * 0.5)\" y=\"\(height - 8)\" text-anchor=\"middle\">\(HTML.escape(String(runs[i].runID.prefix(13))))</text>"
            }
        }
        svg += "<rect x=\"\(width - 250)\" y=\"4\" width=\"12\" height=\"12\" fill=\"#4a78b5\"/><text x=\"\(width - 232)\" y=\"14\">records changed</text>"
        svg += "<rect x=\"\(width - 120)\" y=\"4\" width=\"12\" height=\"12\" fill=\"#d0453a\"/><text x=\"\(width - 102)\" y=\"14\">errors</text>"
        return svg + "</svg>"
    }
}
