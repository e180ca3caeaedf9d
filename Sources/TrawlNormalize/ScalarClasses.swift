extension Unicode.Scalar {
    /// Unicode White_Space, answered from its list: the property lookup is costly, and a
    /// Korean or Chinese page asks it for every syllable. The non-ASCII members are U+0085,
    /// U+00A0, U+1680, U+2000–200A, U+2028, U+2029, U+202F, U+205F and U+3000 (PropList.txt;
    /// the list has not changed since Unicode 6.3). `TextNormalizerTests` checks it against
    /// the property for every scalar. Inlinable: hot loops in other modules (HTML scoring,
    /// PDF text) call it per scalar.
    @inlinable public var isWhitespaceFast: Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}
