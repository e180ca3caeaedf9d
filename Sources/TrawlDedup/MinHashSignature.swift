/// A MinHash signature: for each of `count` hash functions, the minimum over a text's shingles.
/// The share of equal positions between two signatures estimates the Jaccard similarity of the
/// shingle sets. The first `bands × rows` positions are cut into LSH bands: two signatures
/// that agree on a whole band become candidates, so lookups touch only a few buckets.
public struct MinHashSignature: Sendable, Equatable {
    public static let count = 128
    public static let bands = 16
    public static let rows = 4

    public var values: [UInt32]

    public init(values: [UInt32]) {
        precondition(values.count == Self.count, "a signature has \(Self.count) values")
        self.values = values
    }

    public init(shingles: Set<UInt64>) {
        var mins = [UInt32](repeating: .max, count: Self.count)
        for shingle in shingles {
            for i in 0..<Self.count {
                let h = UInt32(truncatingIfNeeded: Self.mix(shingle ^ Self.seeds[i]) >> 32)
                if h < mins[i] { mins[i] = h }
            }
        }
        values = mins
    }

    public init(text: String, shingler: Shingler = Shingler()) {
        self.init(shingles: shingler.shingles(text))
    }

    /// Estimated Jaccard similarity: the share of equal positions.
    public func similarity(to other: MinHashSignature) -> Double {
        Double(zip(values, other.values).count { $0 == $1 }) / Double(Self.count)
    }

    /// How many positions differ (the signature distance).
    public func distance(to other: MinHashSignature) -> Int {
        zip(values, other.values).count { $0 != $1 }
    }

    /// One key per band, mixing the band's number with its rows.
    public var bandKeys: [Int64] {
        (0..<Self.bands).map { band in
            var h = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
            for row in 0..<Self.rows { h = Self.mix(h ^ UInt64(values[band * Self.rows + row])) }
            return Int64(bitPattern: h)
        }
    }

    /// Bands on which two signatures agree.
    public func sharedBands(with other: MinHashSignature) -> Int {
        zip(bandKeys, other.bandKeys).count { $0 == $1 }
    }

    /// Little-endian bytes, for storage.
    public var bytes: [UInt8] {
        values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.count * 4 else { return nil }
        values = (0..<Self.count).map { i in
            (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[i * 4 + $1]) << (8 * $1) }
        }
    }

    /// splitmix64's finaliser: a fast, well-distributed 64-bit mix.
    static func mix(_ x: UInt64) -> UInt64 { SplitMix64.mix(x) }

    /// Fixed seeds (not random): signatures must compare across runs and machines.
    static let seeds: [UInt64] = (0..<UInt64(count)).map { mix($0 &* 0xD1B5_4A32_D192_ED03 &+ 0x8CB9_2BA7_2F3D_8DD7) }
}
