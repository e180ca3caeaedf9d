import Foundation
import Testing

extension PublishingSuites {
    /// `trawl search` over the Fixtures and over Korean and English pages and attachments of
    /// ../shared/corpus: each query must return its record first (and, where given, only the
    /// records listed). Queries cover Korean compound-word parts, two-syllable words, a single
    /// syllable, English stems and phrases.
    @Suite struct SearchQualityTests {
        /// Searches and returns the URLs of the hits, best first.
        static func search(_ config: URL, _ query: String, limit: Int = 10) async throws -> [String] {
            let r = try await Harness.run(["search", "--config", config.path, "--json", "--limit", "\(limit)", query])
            #expect(r.status == 0, "search \(query) failed: \(r.stderr)")
            return try r.stdout.split(separator: "\n").map {
                (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["url"] as! String
            }
        }

        @Test func fixtureQueriesReturnTheirReleaseFirst() async throws {
            let dir = try Harness.temporaryDirectory()
            let config = try Harness.fixtureConfig(in: dir)
            let run = try await Harness.run(["run", config.path, "--quiet"])
            #expect(run.status == 0, "run failed: \(run.stderr)")
            // query, the nttSeqNo the first hit must have, how many hits there must be (nil: any)
            let table: [(String, String, Int?)] = [
                ("반도체", "3185255", 2),            // a word of a title (the newer re-post first, its original second)
                ("인공지능반도체", "3185255", 2),     // written as one compound, the text spaces it
                ("통신", "3185203", nil),             // two syllables inside 정보통신방송
                ("우주항공", "3185166", nil),         // a part of 우주항공청
                ("포용", "3185121", 1),
                ("public wi-fi", "3184270", 1),      // English, a hyphenated word
                ("\"civil space dialogue\"", "3184233", 1),  // a phrase
                ("scientists", "3184302", nil),      // a stem: the title says "Scientist"
            ]
            for (query, expected, count) in table {
                let hits = try await Self.search(config, query)
                #expect(hits.first?.hasSuffix("nttSeqNo=\(expected)") == true, "\(query): expected \(expected) first, got \(hits)")
                if let count { #expect(hits.count == count, "\(query): expected \(count) hits, got \(hits)") }
            }
            #expect(try await Self.search(config, "반도체", limit: 1).count == 1)
            #expect(try await Self.search(config, "zzzzqqq").isEmpty)
        }

        @Test func corpusQueriesFindKoreanAttachmentsAndEnglishPages() async throws {
            guard let corpus = Harness.corpus else { print("SKIPPED corpusQueriesFindKoreanAttachmentsAndEnglishPages: ../shared/corpus is absent"); return }
            let releases = corpus.appendingPathComponent("press-releases")
            let dir = try Harness.temporaryDirectory()
            // Korean documents as attachments of generated release pages (their text is only in
            // the attachment), and the European Parliament's press releases as pages.
            let mirror = dir.appendingPathComponent("mirror")
            try FileManager.default.createDirectory(at: mirror.appendingPathComponent("files"), withIntermediateDirectories: true)
            let korean = ["korea-kr-attachments/korea-156742140.hwpx", "korea-kr-attachments/korea-156742677.hwpx",
                          "korea-kr-attachments/korea-156745446.hwpx", "korean-hwp/디지털 정부혁신 추진계획.hwp",
                          "korean-hwp/한글문서파일형식_5.0_revision1.3.hwp", "korean-hwp/work_report.hwp"]
            var rows = ""
            for (n, path) in korean.enumerated() {
                let ext = (path as NSString).pathExtension
                try FileManager.default.createSymbolicLink(at: mirror.appendingPathComponent("files/\(n).\(ext)"),
                                                           withDestinationURL: releases.appendingPathComponent(path))
                let page = "<html><body><main><h1>Document \(n)</h1><p>Release number \(n).</p><a href=\"files/\(n).\(ext)\">\(n).\(ext)</a></main></body></html>"
                try Data(page.utf8).write(to: mirror.appendingPathComponent("doc\(n).html"))
                rows += "<li><a href=\"doc\(n).html\">\(n)</a></li>"
            }
            try Data("<ul>\(rows)</ul>".utf8).write(to: mirror.appendingPathComponent("index.html"))
            let english = dir.appendingPathComponent("europarl")
            try FileManager.default.createDirectory(at: english, withIntermediateDirectories: true)
            var links = ""
            for name in try FileManager.default.contentsOfDirectory(atPath: releases.appendingPathComponent("europarl").path).sorted() where name.hasSuffix(".html") {
                try FileManager.default.createSymbolicLink(at: english.appendingPathComponent(name), withDestinationURL: releases.appendingPathComponent("europarl/\(name)"))
                links += "<li><a href=\"\(name)\">\(name)</a></li>"
            }
            try Data("<ul>\(links)</ul>".utf8).write(to: english.appendingPathComponent("index.html"))
            let config = dir.appendingPathComponent("pipeline.json")
            try JSONSerialization.data(withJSONObject: [
                "output": dir.appendingPathComponent("out").path,
                "sources": [
                    ["name": "korean", "type": "directory", "root": mirror.path, "base_url": "https://archive.example/", "seeds": ["index.html"], "listing": ["releases": "//li/a"]],
                    ["name": "europarl", "type": "directory", "root": english.path, "base_url": "https://www.europarl.europa.eu/", "seeds": ["index.html"], "listing": ["releases": "//li/a"]],
                ],
            ] as [String: Any]).write(to: config)
            let run = try await Harness.run(["run", config.path, "--quiet"])
            #expect(run.status == 0, "run failed: \(run.stderr)")
            let table: [(String, String)] = [
                ("산업활동동향", "doc0.html"),           // industrial activity trends (korea.kr HWPX)
                ("소비자물가", "doc1.html"),             // consumer prices: a part of 소비자물가동향
                ("임금근로일자리", "doc2.html"),
                ("일자리 소득", "doc2.html"),            // two 2-syllable words
                ("마이데이터", "doc3.html"),             // inside 공공부문 마이데이터 활성화 (HWP 5)
                ("정부혁신", "doc3.html"),
                ("파일 구조", "doc4.html"),              // Hancom's format specification
                ("주간업무", "doc5.html"),               // inside 주간업무보고서
                ("sanctions venezuela", "20190712IPR56948"),
                ("recharge", "20221014IPR43206"),        // a stem: the page says recharging
                ("\"contingency measures\"", "20201217IPR94207"),
                ("legitimacy", "20250204IPR26689"),
                ("natural disasters", "20241212IPR25960"),
            ]
            for (query, expected) in table {
                let hits = try await Self.search(config, query)
                #expect(hits.first?.contains(expected) == true, "\(query): expected \(expected) first, got \(hits)")
            }
            // Filters: by source and by date.
            #expect(try await Self.search(config, "sanctions", limit: 10).count >= 1)
            let korea = try await Harness.run(["search", "--config", config.path, "--json", "--source", "korean", "sanctions"])
            #expect(korea.stdout.isEmpty, "--source korean returned English pages: \(korea.stdout)")
            let recent = try await Harness.run(["search", "--config", config.path, "--json", "--since", "2024-01-01", "parliament"])
            #expect(!recent.stdout.contains("20190712IPR56948") && recent.stdout.contains("2024"), "--since: \(recent.stdout)")
        }
    }
}
