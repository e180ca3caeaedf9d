/// Character-level similarity for comparing extractors: 1 − (insertions + deletions) /
/// (total length), computed with Myers' O(ND) diff so that long, similar texts are cheap.
public enum TextSimilarity {
    /// Similarity of `a` and `b` after dropping white space and bidirectional controls (the
    /// parts extractors legitimately disagree on). Returns nil when the edit distance exceeds
    /// `1 - floor` of the total length: the texts are then known to be less similar than
    /// `floor`, and the exact value is not worth the quadratic cost.
    public static func similarity(_ a: String, _ b: String, floor: Double = 0.5) -> Double? {
        let x = comparable(a), y = comparable(b)
        let total = x.count + y.count
        if total == 0 { return 1 }
        let maxD = Int((1 - floor) * Double(total)) + 1
        guard let d = editDistance(x, y, maxD: maxD) else { return nil }
        return 1 - Double(d) / Double(total)
    }

    /// The scalars that count: no white space, no bidi/zero-width controls.
    public static func comparable(_ s: String) -> [UInt32] {
        s.unicodeScalars.compactMap { u in
            if u.properties.isWhitespace { return nil }
            switch u.value {
            case 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C, 0xFEFF, 0xAD: return nil
            default: return u.value
            }
        }
    }

    /// Insert/delete edit distance, or nil if it exceeds `maxD`.
    public static func editDistance(_ a: [UInt32], _ b: [UInt32], maxD: Int) -> Int? {
        let n = a.count, m = b.count
        let limit = min(maxD, n + m)
        let offset = limit + 1
        var v = [Int](repeating: 0, count: 2 * limit + 3)
        for d in 0...limit {
            var k = -d
            while k <= d {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n && y < m && a[x] == b[y] { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n && y >= m { return d }
                k += 2
            }
        }
        return nil
    }
}
