/// What one attachment may cost once opened: every decompression and every record is capped,
/// so a ZIP or deflate bomb, or a lying length field, costs one attachment and bounded memory.
public struct DocumentLimits: Sendable, Codable, Equatable {
    /// Bytes one ZIP entry or one OLE/HWP stream may expand to.
    public var maxEntryBytes = 256 << 20
    /// Bytes all entries of one attachment (nested bundles included) may expand to.
    public var maxTotalBytes = 1 << 30
    /// Entries read from one ZIP container.
    public var maxEntries = 10_000
    /// Bytes of one HWP record (a length field beyond it is damage, not a reason to allocate).
    public var maxRecordBytes = 64 << 20
    /// Expansion ratio (uncompressed / compressed) beyond which an entry is a bomb.
    public var maxRatio = 200
    /// ZIP bundles inside ZIP bundles are opened this deep.
    public var maxDepth = 2
    /// Characters of text kept per document; the rest is cut and `truncated` is set.
    public var maxChars = 5_000_000

    public init() {}

    enum CodingKeys: String, CodingKey {
        case maxEntryBytes = "max_entry_bytes", maxTotalBytes = "max_total_bytes", maxEntries = "max_entries"
        case maxRecordBytes = "max_record_bytes", maxRatio = "max_ratio", maxDepth = "max_depth", maxChars = "max_chars"
    }
}
