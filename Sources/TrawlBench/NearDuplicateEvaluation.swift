import Foundation
import TrawlDedup
import TrawlHTML
import TrawlLedger

/// Scores the duplicate decision on `../shared/corpus/near-dups`: labelled plagiarism pairs
/// among news articles (minhash-articles) and pairs of captures of the same web page
/// (html-capture-pairs). Documents go through a fresh ledger one by one, as a run would
/// feed them; every pair the detector joins is a prediction.
public struct NearDuplicateEvaluation {
    public struct Score: CustomStringConvertible {
        public var name: String
        public var documents = 0
        public var truePositives = 0, falsePositives = 0, falseNegatives = 0
        public var misses: [String] = []
        public var falseAlarms: [String] = []

        public var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
        public var recall: Double { truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives) }
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

        public var description: String {
            String(format: "%-28@ docs %5d  TP %3d  FP %3d  FN %3d  precision %.3f  recall %.3f  F1 %.3f",
                   name as NSString, documents, truePositives, falsePositives, falseNegatives, precision, recall, f1)
        }

        static func + (a: Score, b: Score) -> Score {
            var s = Score(name: "all")
            s.documents = a.documents + b.documents
            s.truePositives = a.truePositives + b.truePositives
            s.falsePositives = a.falsePositives + b.falsePositives
            s.falseNegatives = a.falseNegatives + b.falseNegatives
            s.misses = a.misses + b.misses
            s.falseAlarms = a.falseAlarms + b.falseAlarms
            return s
        }
    }

    public let corpus: URL
    public let threshold: Double
    let scratch: URL

    public init(corpus: URL, threshold: Double) {
        self.corpus = corpus
        self.threshold = threshold
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-neardup-\(UUID().uuidString)")
    }

    /// Runs every data set; returns one score per set and the total.
    public func run() async throws -> [Score] {
        defer { try? FileManager.default.removeItem(at: scratch) }
        var scores: [Score] = []
        for set in ["articles_100", "articles_1000", "articles_2500"] {
            scores.append(try await articles(set))
        }
        scores.append(try await htmlCaptures())
        scores.append(scores.dropFirst().reduce(scores[0], +))
        return scores
    }

    /// Feeds (id, text) in order and returns the predicted pairs (duplicate, original).
    func predict(_ docs: [(id: String, text: String)], ledgerName: String) async throws -> [(String, String)] {
        let ledger = try Ledger(path: scratch.appendingPathComponent("\(ledgerName).sqlite").path)
        let detector = DuplicateDetector(ledger: ledger)
        var pairs: [(String, String)] = []
        for (id, text) in docs {
            let signature = MinHashSignature(text: text)
            let hash = Fingerprint.sha256Hex(text)
            var doc = LedgerDocument(id: id, kind: .record, url: id, published: nil, contentSHA256: hash,
                                     signature: signature, firstRun: "eval", lastRun: "eval")
            switch try await detector.decide(id: id, kind: .record, contentSHA256: hash, signature: signature, published: nil, threshold: threshold) {
            case .original: break
            case .duplicate(let original, let similarity, _), .supersedes(let original, let similarity, _):
                doc.duplicateOf = original.id
                doc.similarity = similarity
                pairs.append((id, original.id))
            }
            try ledger.save(doc)
        }
        return pairs
    }

    func articles(_ set: String) async throws -> Score {
        let dir = corpus.appendingPathComponent("minhash-articles")
        let lines = try String(contentsOf: dir.appendingPathComponent("\(set).train"), encoding: .utf8).split(separator: "\n")
        let docs = lines.compactMap { line -> (String, String)? in
            guard let space = line.firstIndex(of: " ") else { return nil }
            return (String(line[..<space]), String(line[line.index(after: space)...]))
        }
        let truth = Set(try String(contentsOf: dir.appendingPathComponent("\(set).truth"), encoding: .utf8)
            .split(separator: "\n").compactMap { line -> Set<String>? in
                let ids = line.split(separator: " ").map(String.init)
                return ids.count == 2 ? Set(ids) : nil
            })
        var score = Score(name: "minhash-articles/\(set)")
        score.documents = docs.count
        let predicted = Set(try await predict(docs, ledgerName: set).map { Set([$0.0, $0.1]) })
        for p in predicted {
            if truth.contains(p) { score.truePositives += 1 } else { score.falsePositives += 1; score.falseAlarms.append(p.sorted().joined(separator: "~")) }
        }
        for t in truth where !predicted.contains(t) { score.falseNegatives += 1; score.misses.append(t.sorted().joined(separator: "~")) }
        return score
    }

    func htmlCaptures() async throws -> Score {
        let dir = corpus.appendingPathComponent("html-capture-pairs")
        let labels = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("labels.json"))) as? [[String: Any]] ?? []
        let scraper = PageScraper(charsets: CharsetDetector(defaultEncoding: "UTF-8"))
        var docs: [(String, String)] = []
        var positives = Set<Set<String>>(), all = Set<Set<String>>()
        // Every first capture, then every second one: the second meets all firsts.
        for side in ["a", "b"] {
            for label in labels {
                guard let file = label[side] as? String else { continue }
                let url = URL(string: (label["url_a"] as? String) ?? "https://example.invalid/")!
                let page = try scraper.scrapeRelease(bytes: Data(contentsOf: dir.appendingPathComponent(file)), url: url, rules: ExtractionRules())
                docs.append((file, [page.title ?? "", page.text].joined(separator: "\n")))
            }
        }
        for label in labels {
            guard let a = label["a"] as? String, let b = label["b"] as? String else { continue }
            all.insert([a, b])
            if (label["label"] as? String ?? "").hasPrefix("near-duplicate") { positives.insert([a, b]) }
        }
        var score = Score(name: "html-capture-pairs")
        score.documents = docs.count
        let predicted = Set(try await predict(docs, ledgerName: "html").map { Set([$0.0, $0.1]) })
        for p in predicted {
            if positives.contains(p) { score.truePositives += 1 } else { score.falsePositives += 1; score.falseAlarms.append(p.sorted().joined(separator: "~")) }
        }
        for t in positives where !predicted.contains(t) { score.falseNegatives += 1; score.misses.append(t.sorted().joined(separator: "~")) }
        _ = all
        return score
    }
}
