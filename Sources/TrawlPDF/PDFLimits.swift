/// Bounds on what one PDF may cost. Pages and characters beyond them are cut and the
/// extraction is flagged `truncated`; embedded files are followed `maxEmbeddedDepth` deep.
public struct PDFLimits: Sendable, Codable, Equatable {
    public var maxPages: Int = 2_000
    public var maxChars: Int = 5_000_000
    public var maxEmbeddedDepth: Int = 2
    public var maxEmbeddedBytes: Int = 50 << 20

    public init() {}

    enum CodingKeys: String, CodingKey {
        case maxPages = "max_pages", maxChars = "max_chars", maxEmbeddedDepth = "max_embedded_depth"
        case maxEmbeddedBytes = "max_embedded_bytes"
    }
}
