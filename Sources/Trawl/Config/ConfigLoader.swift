import Foundation
import TrawlHTML

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
        let config = reader.config(json, baseDir: baseDir)
        if !reader.errors.isEmpty { throw ConfigErrors(errors: reader.errors) }
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

    mutating func int(_ dict: [String: Any], _ key: String, _ path: String, range: ClosedRange<Int>) -> Int? {
        guard let value = dict[key] else { return nil }
        guard !isBool(value), let n = value as? NSNumber,
              n.doubleValue == n.doubleValue.rounded(), range.contains(n.intValue) else {
            fail("\(path).\(key)", "expected an integer in \(range.lowerBound)...\(range.upperBound)"); return nil
        }
        return n.intValue
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
        guard let root = object(json, "$", allowed: ["output", "workers", "limits", "duplicates", "pdf", "sources", "$schema", "description"]) else { return nil }
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
        var pdf = PDFWorkerSettings()
        if let p = root["pdf"], let d = object(p, "$.pdf", allowed: ["isolation", "workers", "timeout_seconds", "memory_mb", "cpu_seconds", "recycle_after", "max_pages", "max_chars", "max_embedded_depth", "max_embedded_bytes", "passwords"]) {
            if let i = string(d, "isolation", "$.pdf") {
                if i == "process" || i == "none" { pdf.isolated = i == "process" } else { fail("$.pdf.isolation", "expected one of: process, none") }
            }
            pdf.workers = int(d, "workers", "$.pdf", range: 1...64) ?? pdf.workers
            pdf.timeoutSeconds = Double(int(d, "timeout_seconds", "$.pdf", range: 1...86_400) ?? Int(pdf.timeoutSeconds))
            pdf.memoryMB = int(d, "memory_mb", "$.pdf", range: 256...1_048_576) ?? pdf.memoryMB
            pdf.cpuSeconds = int(d, "cpu_seconds", "$.pdf", range: 1...86_400) ?? pdf.cpuSeconds
            pdf.recycleAfter = int(d, "recycle_after", "$.pdf", range: 1...1_000_000) ?? pdf.recycleAfter
            pdf.limits.maxPages = int(d, "max_pages", "$.pdf", range: 1...1_000_000) ?? pdf.limits.maxPages
            pdf.limits.maxChars = int(d, "max_chars", "$.pdf", range: 1...1_000_000_000) ?? pdf.limits.maxChars
            pdf.limits.maxEmbeddedDepth = int(d, "max_embedded_depth", "$.pdf", range: 0...16) ?? pdf.limits.maxEmbeddedDepth
            pdf.limits.maxEmbeddedBytes = int(d, "max_embedded_bytes", "$.pdf", range: 0...(1 << 40)) ?? pdf.limits.maxEmbeddedBytes
            if let pw = d["passwords"] {
                if let list = pw as? [String] { pdf.passwords = list } else { fail("$.pdf.passwords", "expected an array of strings") }
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
        guard let output else { return nil }
        return PipelineConfig(output: URL(fileURLWithPath: output, relativeTo: baseDir).standardizedFileURL,
                              workers: workers, limits: limits, duplicates: policy, pdf: pdf, sources: sources)
    }

    mutating func source(_ json: Any, _ path: String, baseDir: URL) -> SourceConfig? {
        guard let d = object(json, path, allowed: ["name", "type", "root", "base_url", "seeds", "listing", "release", "default_encoding", "near_duplicates"]) else { return nil }
        let errorCount = errors.count
        let name = string(d, "name", path, required: true)
        if let name, !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            fail("\(path).name", "use letters, digits, '-' and '_' only")
        }
        var kind: SourceConfig.Kind?
        if let t = string(d, "type", path, required: true) {
            kind = SourceConfig.Kind(rawValue: t)
            if kind == nil { fail("\(path).type", "unsupported source type '\(t)' (supported: directory)") }
        }
        var root: URL?
        if let r = string(d, "root", path, required: true) {
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
            if let ld = object(l, "\(path).listing", allowed: ["releases", "next"]) {
                let releases = xpath(ld, "releases", "\(path).listing", required: true)
                let next = xpath(ld, "next", "\(path).listing")
                if let releases { listing = .init(releases: releases, next: next) }
            }
        } else {
            fail("\(path).listing", "required")
        }
        var rules = ExtractionRules()
        if let r = d["release"], let rd = object(r, "\(path).release", allowed: ["title", "published", "body", "fields", "attachments", "exclude"]) {
            let rp = "\(path).release"
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
        guard errors.count == errorCount, let name, let kind, let root, let base, let listing else { return nil }
        return SourceConfig(name: name, kind: kind, root: root, baseURL: base, seeds: seeds,
                            listing: listing, release: rules, defaultEncoding: encoding, nearDuplicateThreshold: threshold)
    }
}

/// JSON booleans arrive as NSNumber too, and on Linux `is Bool` also holds for the integers
/// 0 and 1, so the boolean class is compared.
func isBool(_ value: Any) -> Bool {
    guard let n = value as? NSNumber else { return false }
    return type(of: n) == type(of: NSNumber(value: true))
}
