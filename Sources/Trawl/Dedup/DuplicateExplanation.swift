import Foundation
import TrawlDedup
import TrawlLedger

/// `trawl explain`: why two records were (or were not) judged duplicates.
public struct DuplicateExplanation {
    public let config: PipelineConfig
    public let a: String
    public let b: String

    public init(config: PipelineConfig, a: String, b: String) {
        self.config = config
        self.a = a
        self.b = b
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// A record id (32 hex digits) as given, or the id of a URL's canonical form.
    static func recordID(_ s: String) -> String? {
        if s.count == 32, s.allSatisfy(\.isHexDigit) { return s.lowercased() }
        return URLCanonicalizer().canonicalize(s).map { Fingerprint.recordID(canonicalURL: $0) }
    }

    public func render() throws -> String {
        let output = OutputDirectory(root: config.output)
        guard FileManager.default.fileExists(atPath: output.ledger.path) else {
            throw Failure(description: "no ledger at \(output.ledger.path): run `trawl run` first")
        }
        let ledger = try Ledger(path: output.ledger.path)
        var docs: [LedgerDocument] = []
        for key in [a, b] {
            guard let id = Self.recordID(key), let doc = try ledger.document(id: id) else {
                throw Failure(description: "'\(key)' is not a record in the ledger")
            }
            docs.append(doc)
        }
        let (x, y) = (docs[0], docs[1])
        let threshold = config.sources.first?.nearDuplicateThreshold ?? 0.8
        let similarity = x.signature.similarity(to: y.signature)
        var lines = [
            "A: \(x.id) \(x.url) (published \(x.published ?? "unknown"))" + (x.duplicateOf.map { ", duplicate of \($0)" } ?? ""),
            "B: \(y.id) \(y.url) (published \(y.published ?? "unknown"))" + (y.duplicateOf.map { ", duplicate of \($0)" } ?? ""),
            "same content hash: \(x.contentSHA256 == y.contentSHA256 ? "yes (exact duplicate)" : "no")",
            String(format: "signature similarity: %.3f (estimated Jaccard of word/character 3-gram shingles; threshold %.2f)", similarity, threshold),
            "signature distance: \(x.signature.distance(to: y.signature)) of \(MinHashSignature.count) MinHash values differ",
            "LSH bands shared: \(x.signature.sharedBands(with: y.signature)) of \(MinHashSignature.bands) (one is enough to compare the two)",
        ]
        let texts = [x, y].compactMap { d -> String? in
            guard let data = try? Data(contentsOf: output.recordFile(id: d.id)),
                  let r = try? JSONDecoder().decode(Record.self, from: data) else { return nil }
            return RecordAssembler.signatureText(of: r)
        }
        if texts.count == 2 {
            let (sa, sb) = (Shingler().shingles(texts[0]), Shingler().shingles(texts[1]))
            let exact = Double(sa.intersection(sb).count) / Double(max(sa.union(sb).count, 1))
            lines.append(String(format: "exact shingle Jaccard of the record texts: %.3f (%d shared of %d shingles)", exact, sa.intersection(sb).count, sa.union(sb).count))
        }
        let related = x.duplicateOf == y.id || y.duplicateOf == x.id || (x.duplicateOf != nil && x.duplicateOf == y.duplicateOf)
        lines.append("decision: " + (related ? "duplicates (same group in the ledger)" : "distinct"))
        return lines.joined(separator: "\n")
    }
}
