import Foundation
import TrawlDocuments
import TrawlHTML
import TrawlHTTP
import TrawlOCR

/// Reads and checks `pipeline.json`. Every problem is reported with its JSON path; unknown
/// keys are errors too, because a misspelt rule would otherwise be silently ignored.
public struct ConfigLoader {
    public init() {}

    public func load(_ file: URL) throws -> PipelineConfig {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw ConfigErrors(errors: [ConfigError(file: file.path, path: "$", reason: "cannot read the file (\(error.localizedDescription))")])
        }
        return try parse(data, file: file)
    }

    public func parse(_ data: Data, file: URL) throws -> PipelineConfig {
        var reader = Reader(file: file.path)
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw ConfigErrors(errors: [ConfigError(file: file.path, path: "$", reason: "not valid JSON (\(Self.describe(error)))")])
        }
        let baseDir = file.deletingLastPathComponent()
        var config = reader.config(json, baseDir: baseDir)
        if !reader.errors.isEmpty { throw ConfigErrors(errors: reader.errors) }
        config!.warnings = reader.warnings
        return config!
    }

    static func describe(_ error: any Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }
}

/// Walks the JSON tree by hand so that each error carries its exact path.
private struct Reader {
    let file: String
    var errors: [ConfigError] = []
    var warnings: [ConfigError] = []

    mutating func fail(_ path: String, _ reason: String) {
        errors.append(ConfigError(file: file, path: path, reason: reason))
    }

    mutating func object(_ value: Any?, _ path: String, allowed: Set<String>) -> [String: Any]? {
        guard let dict = value as? [String: Any] else {
            fail(path, "expected an object"); return nil
        }
        for key in dict.keys.sorted() where !allowed.contains(key) {
            fail("\(path).\(key)", "unknown key (expected one of: \(allowed.sorted().joined(separator: ", ")))")
        }
        return dict
    }

    mutating func string(_ dict: [String: Any], _ key: String, _ path: String, required: Bool = false) -> String? {
        guard let value = dict[key] else {
            if required { fail("\(path).\(key)", "required") }
            return nil
        }
        guard let s = value as? String, !s.isEmpty else {
            fail("\(path).\(key)", "expected a non-empty string"); return nil
        }
        return s
    }

    mutating func number(_ dict: [String: Any], _ key: String, _ path: String, range: ClosedRange<Double>) -> Double? {
        guard let value = dict[key] else { return nil }
        guard !isBool(value), let n = value as? NSNumber, range.contains(n.doubleValue) else {
            fail("\(path).\(key)", "expected a number in \(range.lowerBound)...\(range.upperBound)"); return nil
        }
        return n.doubleValue
    }

    mutating func int(_ dict: [String: Any], _ key: String, _ path: String, range: ClosedRange<Int>) -> Int? {
        guard let value = dict[key] else { return nil }
        guard !isBool(value), let n = value as? NSNumber,
              n.doubleValue == n.doubleValue.rounded(), range.contains(n.intValue) else {
            fail("\(path).\(key)", "expected an integer in \(range.lowerBound)...\(range.upperBound)"); return nil
        }
        return n.intValue
    }

    /// A source's or sink's name: it becomes part of file names and metric labels.
    mutating func name(_ dict: [String: Any], _ path: String) -> String? {
        let name = string(dict, "name", path, required: true)
        if let name, !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            fail("\(path).name", "use letters, digits, '-' and '_' only")
        }
        return name
    }

    mutating func xpath(_ dict: [String: Any], _ key: String, _ path: String, required: Bool = false) -> String? {
        guard let x = string(dict, key, path, required: required) else { return nil }
        return checkXPath(x, "\(path).\(key)")
    }

    mutating func checkXPath(_ x: String, _ path: String) -> String? {
        do { try HTMLDocument.validate(xpath: x) } catch {
            fail(path, "invalid XPath: \(error)"); return nil
        }
        return x
    }

    mutating func config(_ json: Any, baseDir: URL) -> PipelineConfig? {
        guard let root = object(json, "$", allowed: ["output", "workers", "limits", "duplicates", "extraction", "pdf", "documents", "ocr", "sources", "sinks", "$schema", "description"]) else { return nil }
        let output = string(root, "output", "$", required: true)
        var workers = PipelineConfig.Workers()
        if let w = root["workers"], let d = object(w, "$.workers", allowed: ["pages", "attachments"]) {
            workers.pages = int(d, "pages", "$.workers", range: 1...256) ?? workers.pages
            workers.attachments = int(d, "attachments", "$.workers", range: 1...256) ?? workers.attachments
        }
        var limits = PipelineConfig.Limits()
        if let l = root["limits"], let d = object(l, "$.limits", allowed: ["max_page_bytes", "max_attachment_bytes", "max_listing_pages"]) {
            limits.maxPageBytes = int(d, "max_page_bytes", "$.limits", range: 1024...(1 << 40)) ?? limits.maxPageBytes
            limits.maxAttachmentBytes = int(d, "max_attachment_bytes", "$.limits", range: 1024...(1 << 40)) ?? limits.maxAttachmentBytes
            limits.maxListingPages = int(d, "max_listing_pages", "$.limits", range: 1...10_000_000) ?? limits.maxListingPages
        }
        var policy = PipelineConfig.DuplicatePolicy.mark
        if let p = string(root, "duplicates", "$") {
            if let v = PipelineConfig.DuplicatePolicy(rawValue: p) { policy = v } else {
                fail("$.duplicates", "expected one of: mark, write, skip")
            }
        }
        var pdf = ExtractionSettings()
        // The worker pool and its caps serve every format: `extraction`. The same keys under
        // `pdf` (where they lived when only PDFs had workers) still work, with a warning.
        if let e = root["extraction"], let d = object(e, "$.extraction", allowed: Set(Self.poolKeys + ["formats"])) {
            pool(d, "$.extraction", into: &pdf)
            if let f = d["formats"] { formats(f, into: &pdf) }
        }
        if let p = root["pdf"], let d = object(p, "$.pdf", allowed: Set(Self.poolKeys + ["max_pages", "max_chars", "max_embedded_depth", "max_embedded_bytes", "passwords"])) {
            let extraction = root["extraction"] as? [String: Any] ?? [:]
            for key in Self.poolKeys where d[key] != nil {
                if extraction[key] != nil {
                    fail("$.pdf.\(key)", "also set as $.extraction.\(key): keep only the extraction key")
                } else {
                    warnings.append(ConfigError(file: file, path: "$.pdf.\(key)",
                                                reason: "deprecated: the worker pool serves every format; use $.extraction.\(key)"))
                }
            }
            pool(d.filter { extraction[$0.key] == nil }, "$.pdf", into: &pdf)
            pdf.pdf.maxPages = int(d, "max_pages", "$.pdf", range: 1...1_000_000) ?? pdf.pdf.maxPages
            pdf.pdf.maxChars = int(d, "max_chars", "$.pdf", range: 1...1_000_000_000) ?? pdf.pdf.maxChars
            pdf.pdf.maxEmbeddedDepth = int(d, "max_embedded_depth", "$.pdf", range: 0...16) ?? pdf.pdf.maxEmbeddedDepth
            pdf.pdf.maxEmbeddedBytes = int(d, "max_embedded_bytes", "$.pdf", range: 0...(1 << 40)) ?? pdf.pdf.maxEmbeddedBytes
            if let pw = d["passwords"] {
                if let list = pw as? [String] { pdf.passwords = list } else { fail("$.pdf.passwords", "expected an array of strings") }
            }
        }
        // Caps on what opening a non-PDF attachment may cost (ZIP, OLE and deflate bombs).
        if let p = root["documents"], let d = object(p, "$.documents", allowed: ["max_entry_mb", "max_total_mb", "max_entries", "max_record_mb", "max_ratio", "max_depth"]) {
            var l = pdf.documentLimits
            l.maxEntryBytes = (int(d, "max_entry_mb", "$.documents", range: 1...65_536) ?? (l.maxEntryBytes >> 20)) << 20
            l.maxTotalBytes = (int(d, "max_total_mb", "$.documents", range: 1...1_048_576) ?? (l.maxTotalBytes >> 20)) << 20
            l.maxEntries = int(d, "max_entries", "$.documents", range: 1...10_000_000) ?? l.maxEntries
            l.maxRecordBytes = (int(d, "max_record_mb", "$.documents", range: 1...4_095) ?? (l.maxRecordBytes >> 20)) << 20
            l.maxRatio = int(d, "max_ratio", "$.documents", range: 2...1_000_000) ?? l.maxRatio
            l.maxDepth = int(d, "max_depth", "$.documents", range: 0...16) ?? l.maxDepth
            pdf.documentLimits = l
        }
        if let o = root["ocr"] { pdf.ocr = ocr(o) }
        // The language data is looked for once, here: a machine without it fails at startup
        // with one configuration error instead of an error on every scanned page.
        if pdf.ocr.isOn {
            do { pdf.tessdata = try TessData.locate(languages: pdf.ocr.languages, configured: pdf.ocr.tessdata) } catch {
                fail(pdf.ocr.tessdata != nil ? "$.ocr.tessdata" : "$.ocr.languages", "\(error)")
            }
        }
        var sources: [SourceConfig] = []
        if let list = root["sources"] {
            if let array = list as? [Any], !array.isEmpty {
                for (i, s) in array.enumerated() {
                    if let src = source(s, "$.sources[\(i)]", baseDir: baseDir) { sources.append(src) }
                }
                let names = sources.map(\.name)
                for (i, n) in names.enumerated() where names[..<i].contains(n) {
                    fail("$.sources[\(i)].name", "duplicate source name '\(n)'")
                }
            } else {
                fail("$.sources", "expected a non-empty array of sources")
            }
        } else {
            fail("$.sources", "required")
        }
        let sinks = root["sinks"].map { self.sinks($0) }
        guard let output else { return nil }
        var config = PipelineConfig(output: URL(fileURLWithPath: output, relativeTo: baseDir).standardizedFileURL,
                                    workers: workers, limits: limits, duplicates: policy, extraction: pdf, sources: sources)
        if let sinks { config.sinks = sinks }
        return config
    }

    static let poolKeys = ["isolation", "workers", "timeout_seconds", "memory_mb", "cpu_seconds", "recycle_after"]

    /// The worker pool's keys (`extraction`, or the deprecated `pdf`).
    mutating func pool(_ d: [String: Any], _ path: String, into settings: inout ExtractionSettings) {
        if let i = string(d, "isolation", path) {
            if i == "process" || i == "none" { settings.isolated = i == "process" } else { fail("\(path).isolation", "expected one of: process, none") }
        }
        settings.workers = int(d, "workers", path, range: 1...64) ?? settings.workers
        settings.timeoutSeconds = Double(int(d, "timeout_seconds", path, range: 1...86_400) ?? Int(settings.timeoutSeconds))
        settings.memoryMB = int(d, "memory_mb", path, range: 256...1_048_576) ?? settings.memoryMB
        settings.cpuSeconds = int(d, "cpu_seconds", path, range: 1...86_400) ?? settings.cpuSeconds
        settings.recycleAfter = int(d, "recycle_after", path, range: 1...1_000_000) ?? settings.recycleAfter
    }

    /// `extraction.formats`: a format's own caps, e.g. `{"hwp": {"memory_mb": 4096}}`.
    mutating func formats(_ json: Any, into settings: inout ExtractionSettings) {
        // The formats worker processes read (plain text is read in the main process).
        let names = DocumentFormat.allCases.filter { ($0.isExtractable && $0 != .text) || $0 == .image }.map(\.rawValue)
        guard let d = object(json, "$.extraction.formats", allowed: Set(names)) else { return }
        for (name, value) in d.sorted(by: { $0.key < $1.key }) {
            let path = "$.extraction.formats.\(name)"
            guard let format = DocumentFormat(rawValue: name),
                  let o = object(value, path, allowed: ["timeout_seconds", "memory_mb", "cpu_seconds"]) else { continue }
            settings.formats[format] = ExtractionSettings.FormatOverride(
                timeoutSeconds: int(o, "timeout_seconds", path, range: 1...86_400).map(Double.init),
                memoryMB: int(o, "memory_mb", path, range: 256...1_048_576),
                cpuSeconds: int(o, "cpu_seconds", path, range: 1...86_400))
        }
    }

    mutating func ocr(_ json: Any) -> OCRSettings {
        var o = OCRSettings()
        let path = "$.ocr"
        guard let d = object(json, path, allowed: ["mode", "languages", "dpi", "max_pages_per_document", "max_pages_per_run",
                                                   "page_timeout_seconds", "max_pixels", "low_confidence", "garbled_ratio", "tessdata"]) else { return o }
        if let m = string(d, "mode", path) {
            if let mode = OCRSettings.Mode(rawValue: m) { o.mode = mode } else { fail("\(path).mode", "expected one of: off, auto, always") }
        }
        if let l = d["languages"] {
            if let list = l as? [String], !list.isEmpty, list.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) {
                o.languages = list
            } else {
                fail("\(path).languages", "expected a non-empty array of Tesseract language codes such as [\"kor\", \"eng\"]")
            }
        }
        o.dpi = int(d, "dpi", path, range: 50...1200) ?? o.dpi
        o.maxPagesPerDocument = int(d, "max_pages_per_document", path, range: 0...100_000) ?? o.maxPagesPerDocument
        if d["max_pages_per_run"] is NSNull { o.maxPagesPerRun = nil } else {
            o.maxPagesPerRun = int(d, "max_pages_per_run", path, range: 0...100_000_000) ?? o.maxPagesPerRun
        }
        o.pageTimeoutSeconds = int(d, "page_timeout_seconds", path, range: 1...3_600) ?? o.pageTimeoutSeconds
        o.maxPixels = int(d, "max_pixels", path, range: 10_000...1_000_000_000) ?? o.maxPixels
        if let c = d["low_confidence"] {
            if let v = c as? Double, (0...100).contains(v) { o.lowConfidence = v } else { fail("\(path).low_confidence", "expected a number from 0 to 100") }
        }
        if let g = d["garbled_ratio"] {
            if let v = g as? Double, v > 0, v <= 1 { o.garbledRatio = v } else { fail("\(path).garbled_ratio", "expected a number above 0 and at most 1") }
        }
        o.tessdata = string(d, "tessdata", path)
        return o
    }

    mutating func sinks(_ json: Any) -> [SinkConfig] {
        guard let array = json as? [Any] else { fail("$.sinks", "expected an array of sinks ([] publishes nowhere)"); return [] }
        var out: [SinkConfig] = []
        for (i, item) in array.enumerated() {
            let path = "$.sinks[\(i)]"
            guard let d = object(item, path, allowed: ["name", "type", "url", "table", "batch_size", "index", "api_key_env", "username", "password_env", "max_request_mb", "text_index"]) else { continue }
            let name = self.name(d, path)
            var kind: SinkConfig.Kind?
            if let t = string(d, "type", path, required: true) {
                kind = SinkConfig.Kind(rawValue: t)
                if kind == nil { fail("\(path).type", "unsupported sink type '\(t)' (supported: \(SinkConfig.Kind.allCases.map(\.rawValue).joined(separator: ", ")))") }
            }
            let url = string(d, "url", path, required: kind == .postgres || kind?.isSearchEngine == true)
            if let url, kind == .postgres, !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) {
                fail("\(path).url", "expected a postgres:// URL")
            }
            if let url, kind?.isSearchEngine == true, !(url.hasPrefix("http://") || url.hasPrefix("https://")) || URL(string: url)?.host == nil {
                fail("\(path).url", "expected an http:// or https:// URL of the engine")
            }
            let index = string(d, "index", path)
            if let index {
                if kind?.isSearchEngine != true { fail("\(path).index", "only a search-engine sink has an index") }
                if index.range(of: "^[a-z0-9][a-z0-9_-]{0,199}$", options: .regularExpression) == nil {
                    fail("\(path).index", "use lower-case letters, digits, '-' and '_' (not starting with '-' or '_')")
                }
            }
            let apiKeyEnv = string(d, "api_key_env", path)
            let username = string(d, "username", path)
            let passwordEnv = string(d, "password_env", path)
            for (key, value) in [("api_key_env", apiKeyEnv), ("username", username), ("password_env", passwordEnv)] where value != nil && kind?.isSearchEngine != true {
                fail("\(path).\(key)", "only a search-engine sink takes credentials (a postgres sink has them in its url)")
            }
            if apiKeyEnv != nil, username != nil { fail("\(path).username", "give api_key_env or username, not both") }
            if passwordEnv != nil, username == nil { fail("\(path).password_env", "a password needs a username") }
            let maxMB = int(d, "max_request_mb", path, range: 1...1024)
            if kind == .index, d["url"] != nil { fail("\(path).url", "an index sink lives in the output directory and has no url") }
            let table = string(d, "table", path)
            if let table {
                if kind != .postgres { fail("\(path).table", "only a postgres sink has a table") }
                if table.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) == nil {
                    fail("\(path).table", "use lower-case letters, digits and '_' (at most 63, not starting with a digit)")
                }
            }
            let textIndex = string(d, "text_index", path)
            if let textIndex {
                if kind != .postgres { fail("\(path).text_index", "only a postgres sink has a text index") }
                if !["gin", "rum"].contains(textIndex) { fail("\(path).text_index", "expected 'gin' or 'rum'") }
            }
            let batch = int(d, "batch_size", path, range: 1...100_000)
            if let name, let kind {
                var sink = SinkConfig(name: name, kind: kind, url: url, table: table, batchSize: batch)
                sink.index = index; sink.apiKeyEnv = apiKeyEnv; sink.username = username; sink.passwordEnv = passwordEnv
                sink.maxRequestMB = maxMB; sink.textIndex = textIndex
                out.append(sink)
            }
        }
        let names = out.map(\.name)
        for (i, n) in names.enumerated() where names[..<i].contains(n) { fail("$.sinks[\(i)].name", "duplicate sink name '\(n)'") }
        return out
    }

    mutating func source(_ json: Any, _ path: String, baseDir: URL) -> SourceConfig? {
        guard let d = object(json, path, allowed: ["name", "type", "root", "base_url", "seeds", "listing", "release", "default_encoding", "near_duplicates", "http", "incremental", "warc_files", "url_parameters"]) else { return nil }
        let errorCount = errors.count
        let name = self.name(d, path)
        var kind: SourceConfig.Kind?
        if let t = string(d, "type", path, required: true) {
            kind = SourceConfig.Kind(rawValue: t)
            if kind == nil { fail("\(path).type", "unsupported source type '\(t)' (supported: directory, http, warc)") }
        }
        var root: URL?
        if kind?.fetches == true, d["root"] != nil { fail("\(path).root", "an \(kind!.rawValue) source has no root (it reads pages by URL)") }
        var warcFiles: [URL] = []
        if kind == .warc {
            if let list = d["warc_files"] as? [String], !list.isEmpty {
                for (i, item) in list.enumerated() {
                    let url = URL(fileURLWithPath: item, relativeTo: baseDir).standardizedFileURL
                    var isDir: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else {
                        fail("\(path).warc_files[\(i)]", "no such file or folder: \(url.path)"); continue
                    }
                    if isDir.boolValue {
                        let names = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [])
                            .filter { $0.hasSuffix(".warc") || $0.hasSuffix(".warc.gz") }.sorted()
                        if names.isEmpty { fail("\(path).warc_files[\(i)]", "no .warc or .warc.gz files in \(url.path)") }
                        warcFiles += names.map { url.appendingPathComponent($0) }
                    } else {
                        warcFiles.append(url)
                    }
                }
            } else {
                fail("\(path).warc_files", "expected a non-empty array of WARC files or folders")
            }
        } else if d["warc_files"] != nil {
            fail("\(path).warc_files", "applies to warc sources only")
        }
        if kind == .directory || kind == nil, let r = string(d, "root", path, required: true) {
            let url = URL(fileURLWithPath: r, relativeTo: baseDir).standardizedFileURL
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue {
                root = url
            } else {
                fail("\(path).root", "no such directory: \(url.path)")
            }
        }
        var base: URL?
        if let b = string(d, "base_url", path, required: true) {
            if let u = URL(string: b), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme), u.host != nil {
                base = u
            } else {
                fail("\(path).base_url", "expected an absolute http(s) URL, got '\(b)'")
            }
        }
        var seeds: [URL] = []
        if let s = d["seeds"] {
            if let array = s as? [Any], !array.isEmpty {
                for (i, item) in array.enumerated() {
                    guard let str = item as? String, !str.isEmpty else { fail("\(path).seeds[\(i)]", "expected a URL or a path relative to base_url"); continue }
                    if let base, let u = URL(string: str, relativeTo: base)?.absoluteURL { seeds.append(u) } else if base != nil {
                        fail("\(path).seeds[\(i)]", "not a valid URL: '\(str)'")
                    }
                }
            } else {
                fail("\(path).seeds", "expected a non-empty array")
            }
        } else {
            fail("\(path).seeds", "required")
        }
        var listing: SourceConfig.Listing?
        if let l = d["listing"] {
            if let ld = object(l, "\(path).listing", allowed: ["releases", "next", "page_template", "release_urls", "max_pages"]) {
                let lp = "\(path).listing"
                let releases = xpath(ld, "releases", lp, required: true)
                let next = xpath(ld, "next", lp)
                let template = string(ld, "page_template", lp)
                if let template, !template.contains("{page}") { fail("\(lp).page_template", "must contain {page}") }
                if let releases {
                    listing = .init(releases: releases, next: next, pageTemplate: template,
                                    releasePattern: regex(ld, "release_urls", lp),
                                    maxPages: int(ld, "max_pages", lp, range: 1...10_000_000))
                }
            }
        } else {
            fail("\(path).listing", "required")
        }
        var rules = ExtractionRules()
        var attachmentPattern: String?
        var titleFallback = false
        if let r = d["release"], let rd = object(r, "\(path).release", allowed: ["title", "published", "body", "fields", "attachments", "exclude", "attachment_urls", "title_fallback"]) {
            let rp = "\(path).release"
            attachmentPattern = regex(rd, "attachment_urls", rp)
            if let f = rd["title_fallback"] {
                if isBool(f), let b = f as? Bool { titleFallback = b } else { fail("\(rp).title_fallback", "expected true or false") }
            }
            rules.title = xpath(rd, "title", rp)
            rules.published = xpath(rd, "published", rp)
            rules.body = xpath(rd, "body", rp)
            rules.attachments = xpath(rd, "attachments", rp)
            if let f = rd["fields"] {
                if let fd = f as? [String: Any] {
                    for (k, v) in fd.sorted(by: { $0.key < $1.key }) {
                        guard let s = v as? String, !s.isEmpty else { fail("\(rp).fields.\(k)", "expected an XPath string"); continue }
                        if let x = checkXPath(s, "\(rp).fields.\(k)") { rules.fields[k] = x }
                    }
                } else { fail("\(rp).fields", "expected an object of name → XPath") }
            }
            if let e = rd["exclude"] {
                if let ea = e as? [Any] {
                    for (i, v) in ea.enumerated() {
                        guard let s = v as? String, !s.isEmpty else { fail("\(rp).exclude[\(i)]", "expected an XPath string"); continue }
                        if let x = checkXPath(s, "\(rp).exclude[\(i)]") { rules.exclude.append(x) }
                    }
                } else { fail("\(rp).exclude", "expected an array of XPath strings") }
            }
        }
        var encoding: String?
        if let e = string(d, "default_encoding", path) {
            encoding = CharsetDetector.canonicalName(e)
            if encoding == nil { fail("\(path).default_encoding", "unknown encoding '\(e)'") }
        }
        var threshold = 0.8
        if let n = d["near_duplicates"], let nd = object(n, "\(path).near_duplicates", allowed: ["threshold"]) {
            if let t = nd["threshold"] {
                if !isBool(t), let v = (t as? NSNumber)?.doubleValue, v > 0, v <= 1 { threshold = v } else {
                    fail("\(path).near_duplicates.threshold", "expected a number in (0, 1]")
                }
            }
        }
        let http = httpSettings(d["http"], "\(path).http")
        var incremental = IncrementalSettings()
        if let i = d["incremental"], let id = object(i, "\(path).incremental", allowed: [
            "stop_after_known", "delete_after_runs", "delete_after_hours", "full_pass_after_runs", "full_pass_after_hours", "max_deleted_fraction",
            "max_age_hours"]) {
            let ip = "\(path).incremental"
            incremental.stopAfterKnown = int(id, "stop_after_known", ip, range: 1...1_000_000)
            incremental.deleteAfterRuns = int(id, "delete_after_runs", ip, range: 1...1000) ?? incremental.deleteAfterRuns
            incremental.deleteAfterHours = number(id, "delete_after_hours", ip, range: 0...1_000_000) ?? incremental.deleteAfterHours
            incremental.fullPassAfterRuns = int(id, "full_pass_after_runs", ip, range: 1...1_000_000) ?? incremental.fullPassAfterRuns
            incremental.fullPassAfterHours = number(id, "full_pass_after_hours", ip, range: 0...1_000_000) ?? incremental.fullPassAfterHours
            incremental.maxDeletedFraction = number(id, "max_deleted_fraction", ip, range: 0...1) ?? incremental.maxDeletedFraction
            if id["max_age_hours"] is NSNull { incremental.maxAgeHours = nil } else {
                incremental.maxAgeHours = number(id, "max_age_hours", ip, range: 0...1_000_000) ?? incremental.maxAgeHours
            }
        }
        if kind == .directory, d["http"] != nil || d["incremental"] != nil {
            fail(path, "'http' and 'incremental' apply to http and warc sources only")
        }
        guard errors.count == errorCount, let name, let kind, let base, let listing, kind.fetches || root != nil else { return nil }
        var source = SourceConfig(name: name, kind: kind, root: root, baseURL: base, seeds: seeds,
                                  listing: listing, release: rules, defaultEncoding: encoding, nearDuplicateThreshold: threshold)
        source.attachmentPattern = attachmentPattern
        source.titleFallback = titleFallback
        source.http = http
        source.incremental = incremental
        source.warcFiles = warcFiles
        if let u = d["url_parameters"], let ud = object(u, "\(path).url_parameters", allowed: ["drop", "keep"]) {
            for key in ["drop", "keep"] {
                guard let value = ud[key] else { continue }
                guard let list = value as? [String], list.allSatisfy({ !$0.isEmpty && !$0.contains("=") && !$0.contains("&") }) else {
                    fail("\(path).url_parameters.\(key)", "expected an array of query parameter names"); continue
                }
                if key == "drop" { source.dropParameters = list } else { source.keepParameters = list }
            }
        }
        return source
    }

    mutating func regex(_ dict: [String: Any], _ key: String, _ path: String) -> String? {
        guard let pattern = string(dict, key, path) else { return nil }
        guard (try? NSRegularExpression(pattern: pattern)) != nil else {
            fail("\(path).\(key)", "invalid regular expression"); return nil
        }
        return pattern
    }

    mutating func milliseconds(_ dict: [String: Any], _ key: String, _ path: String, range: ClosedRange<Int>) -> Duration? {
        int(dict, key, path, range: range).map { .milliseconds($0) }
    }

    mutating func httpSettings(_ json: Any?, _ path: String) -> HTTPSettings {
        var h = HTTPSettings()
        guard let json, let d = object(json, path, allowed: [
            "allowed_hosts", "user_agent", "robots_agent", "obey_robots", "concurrency_per_host", "delay_ms",
            "retries", "backoff_ms", "max_retry_after_seconds", "connect_timeout_ms", "read_timeout_ms",
            "total_timeout_ms", "max_redirects", "max_decompression_ratio", "warc", "warc_max_file_mb"]) else { return h }
        if let hosts = d["allowed_hosts"] {
            if let list = hosts as? [String], list.allSatisfy({ !$0.isEmpty && !$0.contains("/") }) {
                h.allowedHosts = list.map { $0.lowercased() }
            } else { fail("\(path).allowed_hosts", "expected an array of host names") }
        }
        h.userAgent = string(d, "user_agent", path) ?? h.userAgent
        h.robotsAgent = string(d, "robots_agent", path) ?? h.robotsAgent
        if let o = d["obey_robots"] {
            if isBool(o), let b = o as? Bool { h.obeyRobots = b } else { fail("\(path).obey_robots", "expected true or false") }
        }
        h.concurrencyPerHost = int(d, "concurrency_per_host", path, range: 1...64) ?? h.concurrencyPerHost
        h.delay = milliseconds(d, "delay_ms", path, range: 0...3_600_000) ?? h.delay
        h.retries = int(d, "retries", path, range: 0...20) ?? h.retries
        h.backoffBase = milliseconds(d, "backoff_ms", path, range: 1...600_000) ?? h.backoffBase
        h.maxRetryAfter = int(d, "max_retry_after_seconds", path, range: 0...86_400).map { .seconds($0) } ?? h.maxRetryAfter
        h.connectTimeout = milliseconds(d, "connect_timeout_ms", path, range: 1...600_000) ?? h.connectTimeout
        h.readTimeout = milliseconds(d, "read_timeout_ms", path, range: 1...3_600_000) ?? h.readTimeout
        h.totalTimeout = milliseconds(d, "total_timeout_ms", path, range: 1...86_400_000) ?? h.totalTimeout
        h.maxRedirects = int(d, "max_redirects", path, range: 0...50) ?? h.maxRedirects
        h.maxDecompressionRatio = int(d, "max_decompression_ratio", path, range: 1...100_000) ?? h.maxDecompressionRatio
        if let w = d["warc"] {
            if isBool(w), let b = w as? Bool { h.warc = b } else { fail("\(path).warc", "expected true or false") }
        }
        h.warcMaxFileBytes = int(d, "warc_max_file_mb", path, range: 1...1_000_000).map { $0 << 20 } ?? h.warcMaxFileBytes
        return h
    }
}

/// JSON booleans arrive as NSNumber too, and on Linux `is Bool` also holds for the integers
/// 0 and 1, so the boolean class is compared.
func isBool(_ value: Any) -> Bool {
    guard let n = value as? NSNumber else { return false }
    return type(of: n) == type(of: NSNumber(value: true))
}
