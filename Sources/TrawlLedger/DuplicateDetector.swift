import TrawlDedup

/// Decides whether a document repeats one the ledger already holds: exactly (same content
/// hash) or nearly (MinHash similarity at or above `threshold`, found through LSH buckets).
/// The original of a group is the copy published first, then the one seen first; a document
/// that turns out to predate the group's original takes its place.
public struct DuplicateDetector: Sendable {
    public enum Decision: Equatable, Sendable {
        case original
        case duplicate(of: LedgerDocument, similarity: Double, exact: Bool)
        /// This document was published before `original`, which becomes its duplicate.
        case supersedes(original: LedgerDocument, similarity: Double, exact: Bool)
    }

    public let ledger: any LedgerStore

    public init(ledger: any LedgerStore) {
        self.ledger = ledger
    }

    public func decide(id: String, kind: LedgerDocument.Kind, contentSHA256: String, signature: MinHashSignature,
                       published: String?, threshold: Double) async throws -> Decision {
        var matches: [(root: LedgerDocument, similarity: Double, exact: Bool)] = []
        for doc in try await ledger.documents(contentSHA256: contentSHA256, kind: kind) where doc.id != id {
            if let root = try await root(of: doc), root.id != id { matches.append((root, 1, true)) }
        }
        if matches.isEmpty {
            for doc in try await ledger.candidates(for: signature, kind: kind) where doc.id != id {
                guard signature.similarity(to: doc.signature) >= threshold, let root = try await root(of: doc), root.id != id else { continue }
                matches.append((root, signature.similarity(to: root.signature), false))
            }
        }
        guard let best = matches.min(by: { Self.order($0.root) < Self.order($1.root) }) else { return .original }
        if let mine = published.map(Self.day), let theirs = best.root.published.map(Self.day), mine < theirs {
            return .supersedes(original: best.root, similarity: best.similarity, exact: best.exact)
        }
        return .duplicate(of: best.root, similarity: best.similarity, exact: best.exact)
    }

    /// The original a document points to (itself if it is one).
    private func root(of doc: LedgerDocument) async throws -> LedgerDocument? {
        guard let original = doc.duplicateOf, original != doc.id else { return doc }
        return try await ledger.document(id: original) ?? doc
    }

    /// Earliest publication first; undated documents after dated ones; then first seen.
    public static func order(_ d: LedgerDocument) -> (String, String) {
        (d.published.map(day) ?? "9999-99-99", d.firstRun)
    }

    private static func day(_ iso: String) -> String { String(iso.prefix(10)) }
}
