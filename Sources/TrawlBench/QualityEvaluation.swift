import Foundation
import TrawlHTML

/// Scores Trawl's rule-less extraction on the html-gold corpus the way trafilatura's own
/// evaluation does: each gold "with" snippet must be in the main text, each "without"
/// snippet must not; titles and publication dates against their gold values.
public struct QualityEvaluation {
    public struct MainText: CustomStringConvertible {
        public var pages = 0
        public var truePositives = 0, falseNegatives = 0, falsePositives = 0, trueNegatives = 0
        public var titlesCorrect = 0, titlesGold = 0
        public var datesCorrect = 0, datesGold = 0
        public var authorsCorrect = 0, authorsGold = 0
        public var seconds = 0.0

        public var precision: Double { Double(truePositives) / Double(max(truePositives + falsePositives, 1)) }
        public var recall: Double { Double(truePositives) / Double(max(truePositives + falseNegatives, 1)) }
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        public var pagesPerSecond: Double { Double(pages) / max(seconds, 1e-9) }

        public var description: String {
            String(format: "main text: %d pages, precision %.4f, recall %.4f, F1 %.4f (TP %d FN %d FP %d TN %d); titles %d/%d; dates %d/%d; authors %d/%d; %.1f pages/s",
                   pages, precision, recall, f1, truePositives, falseNegatives, falsePositives, trueNegatives,
                   titlesCorrect, titlesGold, datesCorrect, datesGold, authorsCorrect, authorsGold, pagesPerSecond)
        }
    }

    public struct Dates: CustomStringConvertible {
        public var pages = 0, correct = 0, missing = 0
        public var wrong: [String] = []
        public var accuracy: Double { Double(correct) / Double(max(pages, 1)) }
        public var description: String {
            String(format: "dates: %d pages, accuracy %.3f (%d correct, %d wrong, %d not found)", pages, accuracy, correct, wrong.count, missing)
        }
    }

    public let corpus: URL

    public init(corpus: URL) { self.corpus = corpus }

    /// Collapses white space so that snippet matching ignores line breaks.
    static func flat(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func scrape(_ file: URL, url: String) throws -> ScrapedPage {
        let address = URL(string: url) ?? URL(string: "https://example.invalid/")!
        return try PageScraper(charsets: CharsetDetector(defaultEncoding: "UTF-8"))
            .scrapeRelease(bytes: Data(contentsOf: file), url: address, rules: ExtractionRules())
    }

    /// Pages per second of main-text extraction alone (parse + main content, no metadata),
    /// the work trafilatura's `extract` does: one worker, then one per core. Pages are read
    /// into memory first; each pass runs `rounds` times over all pages.
    public struct Speed: CustomStringConvertible {
        public var pages = 0
        public var oneWorker = 0.0
        public var allCores = 0.0
        public var cores = 1
        /// libxml2's parse alone, one worker: the ceiling of any extractor built on it.
        public var parseOnly = 0.0
        public var description: String {
            String(format: "main-text speed: %d pages, %.1f pages/s on one worker, %.1f pages/s on %d workers (libxml2 parsing alone: %.1f pages/s on one worker)",
                   pages, oneWorker, allCores, cores, parseOnly)
        }
    }

    public func mainTextSpeed(rounds: Int = 3) async throws -> Speed {
        let dir = corpus.appendingPathComponent("trafilatura-eval")
        let gold = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("evaldata-subset.json"))) as? [String: [String: Any]] ?? [:]
        let pages: [(Data, URL)] = try gold.sorted(by: { $0.key < $1.key }).compactMap { url, entry in
            guard let name = entry["file"] as? String else { return nil }
            return (try Data(contentsOf: dir.appendingPathComponent("html/\(name)")), URL(string: url) ?? URL(string: "https://example.invalid/")!)
        }
        let scraper = PageScraper(charsets: CharsetDetector(defaultEncoding: "UTF-8"))
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        var start = clock.now
        for _ in 0..<rounds { for (bytes, url) in pages { _ = try? scraper.mainText(bytes: bytes, url: url) } }
        let one = seconds(clock.now - start)
        let charsets = CharsetDetector(defaultEncoding: "UTF-8")
        start = clock.now
        for _ in 0..<rounds {
            for (bytes, url) in pages {
                _ = try? HTMLDocument(bytes: bytes, encoding: charsets.detect(bytes).encoding, url: url.absoluteString)
            }
        }
        let parse = seconds(clock.now - start)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        start = clock.now
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<cores {
                group.addTask {
                    for _ in 0..<rounds {
                        for (i, page) in pages.enumerated() where i % cores == worker { _ = try? scraper.mainText(bytes: page.0, url: page.1) }
                    }
                }
            }
        }
        let all = seconds(clock.now - start)
        return Speed(pages: pages.count, oneWorker: Double(pages.count * rounds) / one, allCores: Double(pages.count * rounds) / all, cores: cores,
                     parseOnly: Double(pages.count * rounds) / parse)
    }

    public func mainText() throws -> MainText {
        let dir = corpus.appendingPathComponent("trafilatura-eval")
        let gold = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("evaldata-subset.json"))) as? [String: [String: Any]] ?? [:]
        var score = MainText()
        let clock = ContinuousClock()
        for (url, entry) in gold.sorted(by: { $0.key < $1.key }) {
            guard let name = entry["file"] as? String else { continue }
            let file = dir.appendingPathComponent("html/\(name)")
            let start = clock.now
            guard let page = try? Self.scrape(file, url: url) else { continue }
            let d = clock.now - start
            score.seconds += Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            score.pages += 1
            let text = Self.flat(page.text)
            for snippet in entry["with"] as? [String] ?? [] {
                if text.contains(Self.flat(snippet)) { score.truePositives += 1 } else { score.falseNegatives += 1 }
            }
            for snippet in entry["without"] as? [String] ?? [] {
                if text.contains(Self.flat(snippet)) { score.falsePositives += 1 } else { score.trueNegatives += 1 }
            }
            if let title = entry["title"] as? String, !title.isEmpty {
                score.titlesGold += 1
                if Self.flat(page.title ?? "").lowercased() == Self.flat(title).lowercased() { score.titlesCorrect += 1 }
            }
            if let date = entry["date"] as? String, !date.isEmpty {
                score.datesGold += 1
                if page.published?.prefix(10) == date.prefix(10) { score.datesCorrect += 1 }
            }
            if let author = entry["author"] as? String, !author.isEmpty {
                score.authorsGold += 1
                // Gold authors are "First Last" or "A; B"; a match is the same names in any order.
                let names = { (s: String) in Set(s.lowercased().split(whereSeparator: { ";,&".contains($0) }).map { Self.flat(String($0)) }.filter { !$0.isEmpty }) }
                if let ours = page.fields["author"], names(ours) == names(author) { score.authorsCorrect += 1 }
            }
        }
        return score
    }

    public func dates() throws -> Dates {
        let dir = corpus.appendingPathComponent("htmldate-eval/bbaw")
        let gold = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("expected-dates.json"))) as? [String: [String: Any]] ?? [:]
        var score = Dates()
        for (url, entry) in gold.sorted(by: { $0.key < $1.key }) {
            guard let name = entry["file"] as? String, let expected = entry["date"] as? String else { continue }
            score.pages += 1
            let page = try? Self.scrape(dir.appendingPathComponent("html/\(name)"), url: url)
            guard let found = page?.published.map({ String($0.prefix(10)) }) else { score.missing += 1; continue }
            if found == expected { score.correct += 1 } else { score.wrong.append("\(name): \(found) instead of \(expected)") }
        }
        return score
    }

    // MARK: Every development set, for Benchmarks/quality_eval.py

    /// A page of a development set: the set's name, the page's name in it, its file and URL.
    public struct GoldPage: Sendable {
        public var set: String
        public var name: String
        public var file: URL
        public var url: String
    }

    /// The URL Mozilla Readability's tests give every page (its pages come without one).
    public static let readabilityURL = "http://fakehost/test/page.html"

    /// Every page of every set in the corpus: trafilatura-eval, readability, and
    /// htmldate-eval's bbaw and default; a set whose folder is absent is left out.
    public func goldPages() throws -> [GoldPage] {
        var pages: [GoldPage] = []
        func byURL(_ set: String, folder: String, gold: String) throws {
            let dir = corpus.appendingPathComponent(folder)
            let file = dir.appendingPathComponent(gold)
            guard FileManager.default.fileExists(atPath: file.path) else { return }
            let entries = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: [String: Any]] ?? [:]
            for (url, entry) in entries.sorted(by: { $0.key < $1.key }) {
                guard let name = entry["file"] as? String else { continue }
                pages.append(GoldPage(set: set, name: name, file: dir.appendingPathComponent("html/\(name)"), url: url))
            }
        }
        try byURL("trafilatura-eval", folder: "trafilatura-eval", gold: "evaldata-subset.json")
        let readability = corpus.appendingPathComponent("readability")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: readability.path)) ?? []
        for name in names.sorted() {
            let source = readability.appendingPathComponent("\(name)/source.html")
            if FileManager.default.fileExists(atPath: source.path) {
                pages.append(GoldPage(set: "readability", name: name, file: source, url: Self.readabilityURL))
            }
        }
        try byURL("htmldate-bbaw", folder: "htmldate-eval/bbaw", gold: "expected-dates.json")
        try byURL("htmldate-default", folder: "htmldate-eval/default", gold: "expected-dates.json")
        return pages
    }

    /// One JSON object per line for each page of `goldPages()`: what Trawl extracted (main
    /// text, title, author, publication date and where it came from), or the error that stopped it.
    public func dump(to output: FileHandle) throws {
        for page in try goldPages() {
            var line: [String: Any] = ["set": page.set, "page": page.name, "url": page.url]
            do {
                let scraped = try Self.scrape(page.file, url: page.url)
                line["text"] = scraped.text
                line["title"] = scraped.title ?? NSNull()
                line["author"] = scraped.fields["author"] ?? NSNull()
                line["date"] = scraped.published ?? NSNull()
                line["date_source"] = scraped.provenance["published"] ?? NSNull()
            } catch {
                line["error"] = String(describing: error)
            }
            var data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes])
            data.append(0x0A)
            output.write(data)
        }
    }
}
