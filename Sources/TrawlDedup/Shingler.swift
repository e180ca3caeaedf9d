/// Cuts text into overlapping shingles that work across scripts. A unit is a word in spaced
/// scripts (Latin, Cyrillic, Greek, Arabic… and digits), or a single character in Chinese,
/// Japanese and Korean, where words are not reliably separated by spaces (Korean puts spaces
/// between phrases whose endings vary). A shingle is `size` consecutive units, so an edit
/// changes only the shingles that overlap it.
public struct Shingler: Sendable {
    public var size: Int

    public init(size: Int = 3) {
        precondition(size >= 1)
        self.size = size
    }

    /// 64-bit hashes of the text's shingles (FNV-1a over the units; stable across runs and
    /// machines, unlike Swift's seeded `Hasher`). Texts shorter than one shingle give one
    /// shingle of all their units.
    public func shingles(_ text: String) -> Set<UInt64> {
        let units = Self.units(text)
        guard !units.isEmpty else { return [] }
        if units.count < size { return [Self.hash(units[...])] }
        var out = Set<UInt64>(minimumCapacity: units.count)
        for i in 0...(units.count - size) { out.insert(Self.hash(units[i..<(i + size)])) }
        return out
    }

    static func units(_ text: String) -> [String] {
        var units: [String] = []
        var word = String.UnicodeScalarView()
        func flush() {
            if !word.isEmpty { units.append(String(word)); word = String.UnicodeScalarView() }
        }
        for scalar in text.unicodeScalars {
            if isIdeographicUnit(scalar) {
                flush()
                units.append(String(scalar))
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                // Case-folded so that a fixed capital does not change the shingles.
                for s in String(scalar).lowercased().unicodeScalars { word.append(s) }
            } else if scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .spacingMark {
                word.append(scalar)  // combining marks belong to their word
            } else {
                flush()
            }
        }
        flush()
        return units
    }

    static func isIdeographicUnit(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF: true  // Hangul
        case 0x3040...0x30FF, 0x31F0...0x31FF: true                  // Kana
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FFFF: true  // Han
        default: false
        }
    }

    static func hash(_ units: ArraySlice<String>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for (i, unit) in units.enumerated() {
            if i > 0 { h = (h ^ 0x1F) &* 0x0000_0100_0000_01B3 }  // unit separator
            for byte in unit.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
        return h
    }
}
