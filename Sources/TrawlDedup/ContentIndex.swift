/// Decides which of several records with the same content is the original: the one published
/// first, and among equal dates the one seen first. Exact matches only (content hashes);
/// near-duplicate detection is a later layer.
public struct ContentIndex: Sendable {
    public enum Decision: Equatable, Sendable {
        /// The first record with this content.
        case original
        /// Same content as an earlier-published (or earlier-seen) record.
        case duplicate(of: String)
        /// This record was published before the one that held the content so far: it becomes
        /// the original, and `demoted` (the old original and its duplicates) now point to it.
        case supersedes(demoted: [String])
    }

    private struct Group: Sendable {
        var original: String
        var published: String?
        var duplicates: [String]
    }

    private var groups: [String: Group] = [:]

    public init() {}

    public mutating func register(contentHash: String, recordID: String, published: String?) -> Decision {
        guard var group = groups[contentHash] else {
            groups[contentHash] = Group(original: recordID, published: published, duplicates: [])
            return .original
        }
        if group.original == recordID { return .original }
        if let new = published, let old = group.published, Self.dateKey(new) < Self.dateKey(old) {
            let demoted = [group.original] + group.duplicates
            groups[contentHash] = Group(original: recordID, published: published, duplicates: demoted)
            return .supersedes(demoted: demoted)
        }
        group.duplicates.append(recordID)
        groups[contentHash] = group
        return .duplicate(of: group.original)
    }

    /// ISO 8601 strings compare by their date part; a time only breaks ties within a day.
    private static func dateKey(_ iso: String) -> String { String(iso.prefix(10)) }

    public var count: Int { groups.count }
}
