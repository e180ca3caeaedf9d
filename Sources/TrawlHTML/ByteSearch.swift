/// Naive search for an ASCII needle in UTF-8 bytes. Pages' hot paths search short haystacks
/// (a tag, a line, an href) for short needles, where Foundation's `range(of:)` costs many times
/// more on Linux.
enum ByteSearch {
    /// The index in `haystack` where `needle` first starts.
    static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard !needle.isEmpty else { return haystack.startIndex }
        guard haystack.count >= needle.count else { return nil }
        for start in haystack.startIndex...(haystack.endIndex - needle.count) where haystack[start] == needle[0] {
            var i = 1
            while i < needle.count, haystack[start + i] == needle[i] { i += 1 }
            if i == needle.count { return start }
        }
        return nil
    }

    static func contains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        firstIndex(of: needle, in: haystack[...]) != nil
    }
}
