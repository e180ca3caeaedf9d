import Foundation
import Testing
@testable import Trawl

@Suite struct ConfigLoaderTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("mirror"), withIntermediateDirectories: true)
    }

    func load(_ json: String) throws -> PipelineConfig {
        try ConfigLoader().parse(Data(json.utf8), file: dir.appendingPathComponent("pipeline.json"))
    }

    func errors(_ json: String) -> [ConfigError] {
        do { _ = try load(json); return [] } catch let e as ConfigErrors { return e.errors } catch { return [] }
    }

    let minimal = """
    {"output": "out", "sources": [{"name": "s", "type": "directory", "root": "mirror",
      "base_url": "https://e.kr/", "seeds": ["list.do"], "listing": {"releases": "//a"}}]}
    """

    @Test func relativePathsResolveAgainstTheConfigFile() throws {
        let c = try load(minimal)
        #expect(c.output.path == dir.appendingPathComponent("out").standardizedFileURL.path)
        #expect(c.sources[0].root?.path == dir.appendingPathComponent("mirror").standardizedFileURL.path)
        #expect(c.sources[0].seeds == [URL(string: "https://e.kr/list.do")!])
        #expect(c.workers == .init(pages: 2, attachments: 2))
        #expect(c.duplicates == .mark)
    }

    @Test func documentLimitsAreRead() throws {
        let c = try load(minimal.replacingOccurrences(of: "\"output\": \"out\",",
                                                      with: "\"output\": \"out\", \"documents\": {\"max_entry_mb\": 64, \"max_entries\": 500, \"max_depth\": 1},"))
        #expect(c.extraction.documentLimits.maxEntryBytes == 64 << 20)
        #expect(c.extraction.documentLimits.maxEntries == 500 && c.extraction.documentLimits.maxDepth == 1)
        let e = errors(minimal.replacingOccurrences(of: "\"output\": \"out\",", with: "\"output\": \"out\", \"documents\": {\"max_ratio\": 1, \"max_zip\": 2},"))
        #expect(Set(e.map(\.path)) == ["$.documents.max_ratio", "$.documents.max_zip"], "\(e)")
    }

    func with(_ sections: String) -> String {
        minimal.replacingOccurrences(of: "\"output\": \"out\",", with: "\"output\": \"out\", \(sections),")
    }

    @Test func theWorkerPoolIsConfiguredForEveryFormatUnderExtraction() throws {
        let c = try load(with(#""extraction": {"isolation": "none", "workers": 3, "timeout_seconds": 45, "memory_mb": 1024, "cpu_seconds": 9, "recycle_after": 7}"#))
        #expect(!c.extraction.isolated && c.extraction.workers == 3 && c.extraction.timeoutSeconds == 45)
        #expect(c.extraction.memoryMB == 1024 && c.extraction.cpuSeconds == 9 && c.extraction.recycleAfter == 7)
        #expect(c.warnings.isEmpty, "\(c.warnings)")
    }

    @Test func oldPDFPoolKeysStillWorkWithAWarningNamingTheNewKey() throws {
        let c = try load(with(#""pdf": {"workers": 3, "timeout_seconds": 45, "max_pages": 10}"#))
        #expect(c.extraction.workers == 3 && c.extraction.timeoutSeconds == 45 && c.extraction.pdf.maxPages == 10)
        #expect(Set(c.warnings.map(\.path)) == ["$.pdf.timeout_seconds", "$.pdf.workers"])
        #expect(c.warnings.allSatisfy { $0.reason.contains("$.extraction.") && $0.reason.contains("deprecated") }, "\(c.warnings)")
        // The same key in both places is ambiguous: an error, not a silent choice.
        let e = errors(with(#""extraction": {"workers": 2}, "pdf": {"workers": 3}"#))
        #expect(e.map(\.path) == ["$.pdf.workers"], "\(e)")
    }

    @Test func aFormatMayHaveCapsOfItsOwn() throws {
        let c = try load(with(#""extraction": {"memory_mb": 1024, "formats": {"hwp": {"memory_mb": 4096, "timeout_seconds": 120}}}"#))
        #expect(c.extraction.limits(for: .hwp) == .init(timeoutSeconds: 120, memoryMB: 4096, cpuSeconds: 60))
        #expect(c.extraction.limits(for: .pdf) == .init(timeoutSeconds: 30, memoryMB: 1024, cpuSeconds: 60))
        #expect(c.extraction.largestMemoryMB == 4096)
        let e = errors(with(#""extraction": {"formats": {"html": {"memory_mb": 4096}, "pdf": {"pages": 1}}}"#))
        #expect(Set(e.map(\.path)) == ["$.extraction.formats.html", "$.extraction.formats.pdf.pages"], "\(e)")
    }

    @Test func aPostgresSinkNamesItsTextIndex() throws {
        func sinks(_ list: String) -> String {
            minimal.replacingOccurrences(of: "\"output\": \"out\",", with: "\"output\": \"out\", \"sinks\": [\(list)],")
        }
        let c = try load(sinks(#"{"name": "pg", "type": "postgres", "url": "postgres://db/x", "text_index": "rum"}"#))
        #expect(c.sinks[0].textIndex == "rum")
        #expect(try load(sinks(#"{"name": "pg", "type": "postgres", "url": "postgres://db/x"}"#)).sinks[0].textIndex == nil)
        let e = errors(sinks(#"{"name": "pg", "type": "postgres", "url": "postgres://db/x", "text_index": "btree"}, {"name": "i", "type": "index", "text_index": "gin"}"#))
        #expect(e.map(\.path) == ["$.sinks[0].text_index", "$.sinks[1].text_index"], "\(e)")
    }

    @Test func integersAreNotBooleans() throws {
        let c = try load(minimal.replacingOccurrences(of: "\"output\": \"out\",", with: "\"output\": \"out\", \"workers\": {\"pages\": 1, \"attachments\": 4},"))
        #expect(c.workers == .init(pages: 1, attachments: 4))
        let e = errors(minimal.replacingOccurrences(of: "\"output\": \"out\",", with: "\"output\": \"out\", \"workers\": {\"pages\": true},"))
        #expect(e.map(\.path) == ["$.workers.pages"])
    }

    @Test func warcSourcesNameTheirFiles() throws {
        let warc = minimal.replacingOccurrences(of: #""type": "directory", "root": "mirror""#, with: #""type": "warc", "warc_files": ["a.warc.gz"]"#)
        #expect(errors(warc).map(\.path) == ["$.sources[0].warc_files[0]"], "a missing file is named")
        try Data().write(to: dir.appendingPathComponent("a.warc.gz"))
        let c = try load(warc)
        #expect(c.sources[0].kind == .warc && c.sources[0].warcFiles == [dir.appendingPathComponent("a.warc.gz").standardizedFileURL])
        let none = minimal.replacingOccurrences(of: #""type": "directory", "root": "mirror""#, with: #""type": "warc""#)
        #expect(errors(none).map(\.path) == ["$.sources[0].warc_files"])
        let misplaced = minimal.replacingOccurrences(of: #""root": "mirror""#, with: #""root": "mirror", "warc_files": ["a.warc.gz"]"#)
        #expect(errors(misplaced).contains { $0.path == "$.sources[0].warc_files" })
    }

    @Test func missingKeysAreNamed() {
        let e = errors("{\"sources\": [{\"type\": \"ftp\"}]}")
        let paths = Set(e.map(\.path))
        for p in ["$.output", "$.sources[0].name", "$.sources[0].type", "$.sources[0].root", "$.sources[0].base_url", "$.sources[0].seeds", "$.sources[0].listing"] {
            #expect(paths.contains(p), "no error for \(p): \(e)")
        }
        #expect(e.first { $0.path == "$.sources[0].type" }?.reason.contains("unsupported source type 'ftp'") == true)
    }

    @Test func fieldRulesAreCheckedOneByOne() {
        let e = errors(minimal.replacingOccurrences(of: "\"listing\": {\"releases\": \"//a\"}",
                                                    with: "\"listing\": {\"releases\": \"//a\"}, \"release\": {\"fields\": {\"dept\": \"//dd[\", \"ok\": \"//dd\"}}"))
        #expect(e.map(\.path) == ["$.sources[0].release.fields.dept"])
    }

    let http = """
    {"output": "out", "sources": [{"name": "live", "type": "http", "base_url": "https://e.kr/", "seeds": ["list.do"],
      "listing": {"releases": "//a", "page_template": "list.do?page={page}", "release_urls": "view\\\\.do", "max_pages": 50},
      "release": {"attachment_urls": "download"},
      "http": {"allowed_hosts": ["files.e.kr"], "delay_ms": 1000, "concurrency_per_host": 1, "retries": 5, "obey_robots": true},
      "incremental": {"stop_after_known": 30, "delete_after_runs": 3}}]}
    """

    @Test func httpSourcesReadTheirSettings() throws {
        let c = try load(http)
        let s = c.sources[0]
        #expect(s.kind == .http && s.root == nil)
        #expect(s.listing.pageTemplate == "list.do?page={page}" && s.listing.maxPages == 50 && s.listing.releasePattern == "view\\.do")
        #expect(s.attachmentPattern == "download")
        #expect(s.http.allowedHosts == ["files.e.kr"] && s.http.delay == .seconds(1) && s.http.concurrencyPerHost == 1 && s.http.retries == 5)
        #expect(s.incremental.stopAfterKnown == 30 && s.incremental.deleteAfterRuns == 3)
    }

    @Test func httpSettingsAreCheckedWithTheirPaths() {
        let bad = """
        {"output": "out", "sources": [{"name": "live", "type": "http", "root": "mirror", "base_url": "https://e.kr/", "seeds": ["l"],
          "listing": {"releases": "//a", "page_template": "list.do", "release_urls": "("},
          "http": {"delay_ms": -1, "proxy": "x"}}]}
        """
        let paths = Set(errors(bad).map(\.path))
        for p in ["$.sources[0].http.delay_ms", "$.sources[0].http.proxy", "$.sources[0].listing.page_template",
                  "$.sources[0].listing.release_urls", "$.sources[0].root"] {
            #expect(paths.contains(p), "no error for \(p): \(paths)")
        }
        let directoryWithHTTP = minimal.replacingOccurrences(of: "\"type\": \"directory\",", with: "\"type\": \"directory\", \"http\": {},")
        #expect(errors(directoryWithHTTP).map(\.path) == ["$.sources[0]"])
    }
}
