extension Unicode.Scalar {
    /// Unicode White_Space, with ASCII answered directly: the property lookup is costly and
    /// most scalars of a page are ASCII. Inlinable: hot loops in other modules (HTML scoring,
    /// PDF text) call it per scalar.
    @inlinable public var isWhitespaceFast: Bool {
        value < 0x80 ? (self == " " || (0x09...0x0D).contains(value)) : properties.isWhitespace
    }
}
