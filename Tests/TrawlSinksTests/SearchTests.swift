import Foundation
import GRDB
import Testing
import TrawlDedup
import Trawl
@testable import TrawlSinks

@Suite struct SearchTokensTests {
    static func scan(_ text: String, query: Bool = false) -> [String] {
        var out: [String] = []
        SearchTokens.scan(text, forQuery: query) { out.append($0.colocated ? "+" + $0.text : $0.text) }
        return out
    }

    @Test func cjkRunsBecomeBigramsWithTheirLastCharacterColocated() {
        #expect(Self.scan("인공지능반도체") == ["인공", "공지", "지능", "능반", "반도", "도체", "+체"])
        #expect(Self.scan("반도체", query: true) == ["반도", "도체"])
        #expect(Self.scan("및") == ["및"])
    }

    @Test func cjkWordsSeparatedBySpacesOnlyAreJoinedByABigram() {
        // Spaced or not, the compound gives the same sequence of bigrams.
        #expect(Self.scan("인공지능 반도체", query: true) == Self.scan("인공지능반도체", query: true))
        #expect(Self.scan("인공지능 반도체") == ["인공", "공지", "지능", "+능", "능반", "반도", "도체", "+체"])
        #expect(Self.scan("반도체. 수출", query: true) == ["반도", "도체", "수출"])      // punctuation ends the join
        #expect(Self.scan("반도체\n수출", query: true) == ["반도", "도체", "수출"])     // so does a line break
        #expect(Self.scan("5G 반도체", query: true) == ["5g", "반도", "도체"])
    }

    @Test func wordsAreFoldedAndMixedWordsSplitByScript() {
        #expect(Self.scan("AI반도체 Crème R&D 2024!", query: true) == ["ai", "반도", "도체", "creme", "r", "d", "2024"])
    }

    /// Existing indexes were built with the scalar-by-scalar scanner: the byte scanner must
    /// give exactly its tokens and ranges, on text of every script the index meets.
    @Test func theByteScannerEqualsTheReferenceScanner() throws {
        let pieces = ["인공지능", "반도체", "및", "한", "ㄱ", "ᄀ", "ힰ", "\u{D7A4}", "漢字", "中国", "ひらがな", "カタカナー", "・", "゠", "ｶﾀｶﾅ",
                      "AI", "Crème", "ÉCOLE", "İstanbul", "straße", "ǅ", "Ωmega", "Москва", "عربي", "हिन्दी", "ไทย", "e\u{301}",
                      "2024", "٣", "½", "x²", "R&D", "don't", "a_b", "e-mail", "😀", "\u{200B}", "\u{FEFF}",
                      " ", "  ", "\t", "\n", "\r\n", "\u{A0}", "\u{3000}", ".", ",", "(", "「", "」", "—", "\u{0}"]
        var rng = SplitMix64(seed: 7)
        var texts = pieces + ["", "Korea's 반도체 수출 Exports", "인공지능 반도체. 5G반도체\n수출 AI반도체 Crème R&D 2024!"]
        for _ in 0..<5_000 {
            texts.append((0..<Int.random(in: 1...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        for name in ["Fixtures/expected.json", "README.md"] {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../" + name)
            texts.append(try String(contentsOf: url, encoding: .utf8))
        }
        for text in texts {
            for query in [false, true] {
                var fast: [SearchTokens.Located] = []
                SearchTokens.scan(text, forQuery: query) { fast.append($0) }
                let reference = ReferenceTokens.scan(text, forQuery: query)
                #expect(fast == reference, "\(text.debugDescription) (query: \(query))")
                if fast != reference { return }
            }
        }
    }

    @Test func tokensCarryTheByteRangeOfTheirText() {
        var located: [SearchTokens.Located] = []
        SearchTokens.scan("a 반도체", forQuery: true) { located.append($0) }
        let bytes = Array("a 반도체".utf8)
        #expect(located.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) } == ["a", "반도", "도체"])
    }

    @Test func indexTextsSplitOtherWordsFromCJKBigrams() {
        let texts = SearchTokens.indexTexts("Korea's 반도체 수출 Exports", latinLimit: 100, cjkLimit: 100)
        #expect(texts.latin == "korea s exports")
        #expect(texts.cjk == "반도 도체 체수 수출")
        #expect(SearchTokens.indexTexts("반도체 수출", latinLimit: 1, cjkLimit: 2).cjk == "반도 도체")
    }
}

@Suite struct SearchQueryTests {
    @Test func termsBecomeQuotedStringsJoinedByAnd() {
        #expect(SearchQuery("반도체 수출").matchExpression() == "\"반도체\" AND \"수출\"")
        #expect(SearchQuery("exports OR imports").matchExpression() == "(\"exports\" OR \"imports\")")
        #expect(SearchQuery("\"public wi-fi\"").matchExpression() == "\"public wi-fi\"")
        #expect(SearchQuery("semicon*").matchExpression() == "\"semicon\"*")
        #expect(SearchQuery("경").matchExpression() == "\"경\"*")
    }

    @Test func fts5OperatorsAreJustText() {
        #expect(SearchQuery("NEAR(a b) ^x -y \"").matchExpression() == "\"NEAR(a\" AND \"b)\" AND \"^x\" AND \"-y\"")
        #expect(SearchQuery("*** ---").matchExpression() == nil)
    }
}

/// Records for the index and publishing tests.
enum SampleRecords {
    static func record(id: String, title: String, text: String, published: String? = "2024-03-01",
                       attachmentText: String? = nil, source: String = "test") -> Data {
        var attachments: [AttachmentRecord] = []
        if let attachmentText {
            attachments.append(AttachmentRecord(url: "https://e.kr/\(id).pdf", canonicalURL: "https://e.kr/\(id).pdf", text: attachmentText))
        }
        let r = Record(id: id, source: source, url: "https://e.kr/\(id)", canonicalURL: "https://e.kr/\(id)", title: title,
                       published: published, language: nil, fields: [:], text: text, attachments: attachments,
                       contentSHA256: String(repeating: "0", count: 64), duplicateOf: nil, provenance: [:], encoding: "utf-8")
        return try! TrawlJSON.encoder(pretty: true).encode(r)
    }

    static let korean: [(String, String, String, String?)] = [
        ("k1", "인공지능반도체 육성 전략 발표", "정부는 인공지능반도체 산업을 키우기 위해 1조원을 투자한다.", nil),
        ("k2", "반도체 수출 3개월 연속 증가", "3월 반도체 수출은 전년보다 20% 늘었다.", nil),
        ("k3", "경제정책방향 발표", "하반기 경제정책방향을 확정했다. 물가 안정에 집중한다.", nil),
        ("k4", "우주항공청 개청", "우주항공청이 문을 열었다.", "첨부: 우주항공 산업 육성 계획과 위성 발사 일정"),
        ("e1", "Public Wi-Fi rollout on intercity buses", "Access points will be installed on 2,000 buses.", nil),
        ("e2", "Semiconductor exports rise", "Exports of memory chips rose for the third month.", nil),
        ("e3", "Ministry announces housing plan", "The plan supplies 50,000 homes; exporting firms are not affected.", nil),
    ]
}

@Suite struct SearchIndexTests {
    func makeIndex() throws -> (SearchIndex, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-index-\(UUID().uuidString)")
        let index = try SearchIndex(file: dir.appendingPathComponent("search.sqlite"))
        var batch = SinkBatch(from: FeedPosition(run: "r1", seq: 1), through: FeedPosition(run: "r1", seq: SampleRecords.korean.count),
                              lines: SampleRecords.korean.count)
        for (id, title, text, attachment) in SampleRecords.korean {
            batch.upserts.append(try SinkDocument(recordBytes: SampleRecords.record(id: id, title: title, text: text, attachmentText: attachment)))
        }
        try index.apply(batch, sink: "index")
        return (index, dir)
    }

    func ids(_ index: SearchIndex, _ q: String) throws -> [String] { try index.search(SearchQuery(q)).map(\.id) }

    @Test func findsKoreanWordsInsideCompounds() throws {
        let (index, dir) = try makeIndex()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try ids(index, "반도체").sorted() == ["k1", "k2"])
        #expect(try ids(index, "인공지능").first == "k1")
        #expect(try ids(index, "정책").first == "k3")     // two syllables, inside 경제정책방향
        #expect(try ids(index, "경제").first == "k3")
        #expect(try ids(index, "위성").first == "k4")     // only in the attachment
        #expect(try ids(index, "청").contains("k4"))       // one syllable, run-final in 우주항공청
        #expect(try ids(index, "반도체 수출").first == "k2")
    }

    @Test func stemsEnglishAndMatchesPhrases() throws {
        let (index, dir) = try makeIndex()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try ids(index, "export").sorted() == ["e2", "e3"])   // exports, exporting
        #expect(try ids(index, "\"public wi-fi\"") == ["e1"])
        #expect(try ids(index, "\"wi-fi public\"").isEmpty)
        #expect(try ids(index, "semicon*") == ["e2"])
        #expect(try ids(index, "housing OR buses").sorted() == ["e1", "e3"])
    }

    /// A term with punctuation inside finds the text it was copied from: the query is cut by
    /// the same tokenizer as the documents, not re-joined with spaces (which asked for a bigram
    /// across a space the text does not have). Decomposed Hangul finds composed text.
    @Test func punctuationInsideATermAndDecomposedTextFindTheDocument() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-index-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let index = try SearchIndex(file: dir.appendingPathComponent("search.sqlite"))
        let texts = ["p1": "정부는 인공지능·반도체 분야에 투자한다.", "p2": "한-미 정상회담에서 합의했다.",
                     "p3": "삼성전자(주)가 발표했다.", "p4": "올해 반도체, 수출 모두 늘었다."]
        var batch = SinkBatch(from: FeedPosition(run: "r1", seq: 1), through: FeedPosition(run: "r1", seq: texts.count), lines: texts.count)
        for (id, text) in texts { batch.upserts.append(try SinkDocument(recordBytes: SampleRecords.record(id: id, title: "보도자료", text: text))) }
        try index.apply(batch, sink: "index")
        #expect(try ids(index, "인공지능·반도체") == ["p1"])
        #expect(try ids(index, "한-미") == ["p2"])
        #expect(try ids(index, "전자(주)") == ["p3"])
        #expect(try ids(index, "\"반도체, 수출\"") == ["p4"])
        let decomposed = "반도체".decomposedStringWithCanonicalMapping
        #expect(decomposed.unicodeScalars.count > 3)
        #expect(try ids(index, decomposed).sorted() == ["p1", "p4"])
    }

    /// The cursor moves only from where the batch says it continues (compare-and-set): a
    /// publisher that lost a race applies nothing, and the cursor never moves backwards.
    @Test func aBatchThatDoesNotContinueTheCursorIsRefusedWhole() throws {
        let (index, dir) = try makeIndex()
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = try index.cursor(sink: "index")
        var stale = SinkBatch(from: FeedPosition(run: "r1", seq: 1), through: FeedPosition(run: "r1", seq: 2), lines: 2)
        stale.after = nil
        stale.deletes = ["k1"]
        #expect(throws: SinkError.self) { try index.apply(stale, sink: "index") }
        #expect(try index.cursor(sink: "index") == before, "the cursor moved")
        #expect(try ids(index, "인공지능").first == "k1", "a refused batch deleted a document")
    }

    @Test func titleOutranksBodyAndSnippetsMarkMatches() throws {
        let (index, dir) = try makeIndex()
        defer { try? FileManager.default.removeItem(at: dir) }
        let hits = try index.search(SearchQuery("반도체"))
        #expect(hits.first?.id == "k2")  // in the title, at the start of a shorter text
        let marked = hits.first!.marked(open: "[", close: "]")
        #expect(marked.contains("[반도체]"), "snippet: \(marked)")
    }

    /// `trawl search` and `trawl serve` only read: opening an index and searching it must not
    /// change its file (it once re-wrote FTS5's rank setting on every open).
    @Test func openingAndSearchingWritesNothing() throws {
        let dir = try makeIndex().1   // the index is closed when the tuple goes
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("search.sqlite")
        let before = try Data(contentsOf: file)
        do {
            let index = try SearchIndex(file: file, create: false)
            #expect(try index.search(SearchQuery("반도체")).count == 2)
        }
        #expect(try Data(contentsOf: file) == before, "the index file changed on a read-only open")
    }

    @Test func filtersBySourceAndDateAndAppliesDeletes() throws {
        let (index, dir) = try makeIndex()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try index.search(SearchQuery("반도체", since: "2025-01-01")).isEmpty)
        #expect(try index.search(SearchQuery("반도체", source: "other")).isEmpty)
        var batch = SinkBatch(from: FeedPosition(run: "r2", seq: 1), through: FeedPosition(run: "r2", seq: 2), lines: 2)
        batch.after = FeedPosition(run: "r1", seq: SampleRecords.korean.count)
        batch.deletes = ["k2"]
        batch.upserts = [try SinkDocument(recordBytes: SampleRecords.record(id: "k1", title: "제목 변경", text: "내용 없음"))]
        try index.apply(batch, sink: "index")
        #expect(try ids(index, "반도체").isEmpty)
        #expect(try ids(index, "제목") == ["k1"])
        #expect(try index.cursor(sink: "index") == FeedPosition(run: "r2", seq: 2))
        #expect(try index.count() == SampleRecords.korean.count - 1)
    }
}

/// `trawl_bm25` (CTrawlFTS.c) against FTS5's own `bm25()` on one index.
@Suite struct RankingTests {
    /// 3,000 documents over a small vocabulary, so that common words match most of them.
    func makeIndex() throws -> (URL, DatabaseQueue, low: Int64, high: Int64) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-rank-\(UUID().uuidString)")
        let file = dir.appendingPathComponent("search.sqlite")
        let index = try SearchIndex(file: file)
        let words = ["반도체", "수출", "인공지능", "경제정책", "우주항공", "export", "housing", "semiconductor", "plan", "growth"]
        var rng = SplitMix64(seed: 11)
        let count = 3_000
        var batch = SinkBatch(from: FeedPosition(run: "r", seq: 1), through: FeedPosition(run: "r", seq: count), lines: count)
        for n in 0..<count {
            // Word k appears with probability 1/(k+1): a skewed vocabulary, as real text has.
            func text(_ length: Int) -> String {
                (0..<length).map { _ in
                    var k = 0
                    while k < words.count - 1, Int.random(in: 0...k + 1, using: &rng) != 0 { k += 1 }
                    return words[k]
                }.joined(separator: " ")
            }
            // and one rare word, every 97th document.
            let rare = n % 97 == 0 ? " 희귀광물" : ""
            batch.upserts.append(try SinkDocument(recordBytes: SampleRecords.record(id: "d\(n)", title: text(4) + rare, text: text(Int.random(in: 5...80, using: &rng)))))
        }
        try index.apply(batch, sink: "index")
        let db = try DatabaseQueue(path: file.path, configuration: SearchIndex.configuration())
        let range = try db.read { try Row.fetchOne($0, sql: "SELECT min(rowid), max(rowid) FROM documents")! }
        return (dir, db, range[0], range[1])
    }

    /// Each matching row's score, rows walked in `order` (the index ranks newest first).
    func scores(_ db: DatabaseQueue, _ query: String, rank: String, order: String = "ASC") throws -> [Int64: Double] {
        let match = SearchQuery(query).matchExpression()!
        return try db.read { db in
            var out: [Int64: Double] = [:]
            let sql = "SELECT rowid, \(rank) FROM documents_text WHERE documents_text MATCH ? ORDER BY rowid \(order)"
            for row in try Row.fetchAll(db, sql: sql, arguments: [match]) {
                out[row[0]] = row[1]
            }
            return out
        }
    }

    @Test func underTheSampleCapItIsBM25() throws {
        let (dir, db, low, high) = try makeIndex()
        defer { try? FileManager.default.removeItem(at: dir) }
        for query in ["반도체", "수출 export", "경제정책", "semiconductor plan", "우주항공 OR growth", "희귀광물", "희귀광물 OR growth"] {
            let reference = try scores(db, query, rank: "bm25(documents_text, \(SearchIndex.columnWeights))")
            #expect(!reference.isEmpty, "\(query) matches nothing")
            // Lengths from the packed table and from FTS5 itself.
            for (order, lengths) in [("ASC", "'documents_length'"), ("DESC", "'documents_length'"), ("DESC", "NULL")] {
                let ours = try scores(db, query, rank: "trawl_bm25(documents_text, 1000000, \(low), \(high), \(lengths), \(SearchIndex.columnWeights))",
                                      order: order)
                #expect(Set(ours.keys) == Set(reference.keys), "\(query)")
                let worst = reference.map { abs($0.value - (ours[$0.key] ?? .infinity)) }.max() ?? 0
                #expect(worst < 1e-9, "\(query), rows \(order), lengths \(lengths): largest difference from bm25() \(worst)")
            }
        }
    }

    @Test func overTheCapTheFrequencyIsEstimatedAndTheOrderKept() throws {
        let (dir, db, low, high) = try makeIndex()
        defer { try? FileManager.default.removeItem(at: dir) }
        for query in ["반도체", "수출", "export", "반도체 수출"] {
            let reference = try scores(db, query, rank: "bm25(documents_text, \(SearchIndex.columnWeights))")
            #expect(reference.count > 500, "\(query) matches \(reference.count) documents: too few to need an estimate")
            let ours = try scores(db, query, rank: "trawl_bm25(documents_text, 100, \(low), \(high), 'documents_length', \(SearchIndex.columnWeights))",
                                  order: "DESC")
            // Scores within 10% of bm25()'s, and the same ten best documents in the same order.
            let worst = reference.map { abs($0.value - ours[$0.key]!) / abs($0.value) }.max() ?? 0
            #expect(worst < 0.10, "\(query): scores differ from bm25() by up to \(worst * 100)%")
            func top(_ s: [Int64: Double]) -> [Int64] { s.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(10).map(\.key) }
            if query.split(separator: " ").count == 1 {
                #expect(top(ours) == top(reference), "\(query)")
            }
        }
    }

    /// The largest difference between trawl_bm25 (packed lengths) and bm25() over `queries`.
    func difference(_ db: DatabaseQueue, _ queries: [String]) throws -> Double {
        let (low, high) = try db.read { db in
            let r = try Row.fetchOne(db, sql: "SELECT min(rowid), max(rowid) FROM documents")!
            return (r[0] as Int64, r[1] as Int64)
        }
        var worst = 0.0
        for query in queries {
            let reference = try scores(db, query, rank: "bm25(documents_text, \(SearchIndex.columnWeights))")
            let ours = try scores(db, query, rank: "trawl_bm25(documents_text, 1000000, \(low), \(high), 'documents_length', \(SearchIndex.columnWeights))")
            worst = max(worst, reference.map { abs($0.value - (ours[$0.key] ?? .infinity)) }.max() ?? 0)
        }
        return worst
    }

    @Test func packedLengthsFollowUpdatesDeletesAndOtherWriters() throws {
        let (dir, db, _, _) = try makeIndex()
        defer { try? FileManager.default.removeItem(at: dir) }
        let index = try SearchIndex(file: dir.appendingPathComponent("search.sqlite"))
        let queries = ["반도체", "수출 export", "희귀광물 OR growth"]
        let blocks = try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM documents_length")! }
        #expect(blocks == 3_000 / 256 + 1, "3,000 rows in \(blocks) blocks")

        // The table is what ranking reads: a wrong length in it changes scores.
        try db.write { try $0.execute(sql: "UPDATE documents_length SET lengths = zeroblob(length(lengths)) WHERE block = 1") }
        #expect(try difference(db, queries) > 1e-6, "a zeroed block did not change any score")

        // Longer and shorter texts, deletes across blocks, a new record: through `apply`.
        var batch = SinkBatch(from: FeedPosition(run: "r", seq: 3_001), through: FeedPosition(run: "r", seq: 3_010), lines: 10)
        batch.after = try index.cursor(sink: "index")
        batch.upserts.append(try SinkDocument(recordBytes: SampleRecords.record(id: "d300", title: "반도체", text: String(repeating: "반도체 수출 plan ", count: 400))))
        batch.upserts.append(try SinkDocument(recordBytes: SampleRecords.record(id: "d301", title: "export", text: "growth")))
        batch.upserts.append(try SinkDocument(recordBytes: SampleRecords.record(id: "new", title: "희귀광물", text: "수출 export")))
        batch.deletes = ["d5", "d600", "d2999"]
        try index.apply(batch, sink: "index")
        #expect(try difference(db, queries) < 1e-9, "after apply")
        let written = try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM documents_length")! }
        #expect(written == blocks, "apply left \(written) of \(blocks) blocks")

        // A writer that knows nothing of the table (an older Trawl): its triggers drop the blocks.
        try db.write { db in
            let rowid = try Int64.fetchOne(db, sql: "SELECT rowid FROM documents WHERE id = 'd900'")!
            try db.execute(sql: "UPDATE documents SET title = 'x' WHERE rowid = ?", arguments: [rowid])
            try db.execute(sql: "DELETE FROM documents_text WHERE rowid = ?", arguments: [rowid])
            try db.execute(sql: "INSERT INTO documents_text(rowid, title, body) VALUES (?, '반도체', ?)",
                           arguments: [rowid, String(repeating: "export growth ", count: 300)])
        }
        #expect(try difference(db, queries) < 1e-9, "after a write that bypassed the table")

        // An index made before the table existed gets it filled when opened.
        try db.write { db in
            try db.execute(sql: "DROP TABLE documents_length")
            for t in ["insert", "update", "delete"] { try db.execute(sql: "DROP TRIGGER documents_length_\(t)") }
        }
        _ = try SearchIndex(file: dir.appendingPathComponent("search.sqlite"))
        let refilled = try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM documents_length")! }
        #expect(refilled == 3_001 / 256 + 1, "refilled \(refilled) blocks")
        #expect(try difference(db, queries) < 1e-9, "after refilling")
    }
}
