import CTrawlXML
import Foundation

/// Decides a page's character encoding the way browsers do, in order: the transport's
/// charset, a byte-order mark, then `<meta charset>` / `http-equiv` in the first bytes, then a
/// default. A declaration that would garble bytes that are valid UTF-8 is overruled: sites
/// often keep an old `euc-kr` meta after converting their pages to UTF-8.
public struct CharsetDetector: Sendable {
    public struct Decision: Sendable, Equatable {
        /// An iconv encoding name.
        public var encoding: String
        /// Where it came from: `transport`, `bom`, `meta`, `utf8-valid`, `default`.
        public var source: String
    }

    public var defaultEncoding: String

    public init(defaultEncoding: String = "windows-1252") {
        self.defaultEncoding = defaultEncoding
    }

    public func detect(_ bytes: Data, transportCharset: String? = nil) -> Decision {
        if let t = transportCharset.flatMap(Self.canonicalName) {
            return Decision(encoding: t, source: "transport")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return Decision(encoding: "UTF-8", source: "bom") }
        if bytes.starts(with: [0xFF, 0xFE]) { return Decision(encoding: "UTF-16LE", source: "bom") }
        if bytes.starts(with: [0xFE, 0xFF]) { return Decision(encoding: "UTF-16BE", source: "bom") }

        let declared = Self.metaCharset(in: bytes).flatMap(Self.canonicalName)
        // A UTF-8 declaration needs no scan of the bytes (the common case).
        if declared == "UTF-8" { return Decision(encoding: "UTF-8", source: "meta") }
        let validUTF8 = String(validating: bytes, as: UTF8.self) != nil
        let hasNonASCII = bytes.contains { $0 >= 0x80 }
        if let declared {
            if validUTF8 && hasNonASCII {
                return Decision(encoding: "UTF-8", source: "utf8-valid")
            }
            return Decision(encoding: declared, source: "meta")
        }
        if validUTF8 { return Decision(encoding: "UTF-8", source: hasNonASCII ? "utf8-valid" : "default") }
        return Decision(encoding: Self.canonicalName(defaultEncoding) ?? "windows-1252", source: "default")
    }

    /// Maps a declared label to the iconv name to decode with. EUC-KR pages routinely use
    /// CP949 (UHC) extensions, so the superset decodes both.
    public static func canonicalName(_ label: String) -> String? {
        let l = label.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\"'")))
            .lowercased()
        guard !l.isEmpty, l.count < 40,
              l.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_:.".contains($0)) })
        else { return nil }
        switch l {
        case "utf-8", "utf8", "unicode-1-1-utf-8": return "UTF-8"
        case "euc-kr", "euckr", "ks_c_5601-1987", "ks_c_5601", "ksc5601", "cp949", "uhc",
             "windows-949", "x-windows-949", "korean", "csksc56011987", "iso-ir-149":
            return "CP949"
        case "iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "windows-1252", "cp1252":
            return "WINDOWS-1252"  // WHATWG: these labels all mean windows-1252
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "windows-31j", "ms932": return "CP932"
        case "gb2312", "gbk", "x-gbk", "gb18030", "cp936": return "GB18030"
        case "big5", "big5-hkscs", "x-x-big5": return "BIG5-HKSCS"
        case "utf-16", "utf-16le": return "UTF-16LE"
        case "utf-16be": return "UTF-16BE"
        default: return l.uppercased()
        }
    }

    /// The charset declared by a `<meta>` tag in the first 2 KiB (the HTML prescan window,
    /// widened because some sites put long scripts first), read as ASCII.
    static func metaCharset(in bytes: Data) -> String? {
        // Bytes, not String searches (see ByteSearch): this runs for every page. Non-ASCII bytes
        // cannot be part of a charset label.
        let head = bytes.prefix(2048).withUnsafeBytes { raw in
            raw.map { b -> UInt8 in b >= 0x80 ? 0x20 : (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
        }
        func find(_ needle: [UInt8], from: Int, to end: Int) -> Int? { ByteSearch.firstIndex(of: needle, in: head[from..<end]) }
        var searchStart = 0
        while let meta = find(Array("<meta".utf8), from: searchStart, to: head.count) {
            let tagStart = meta + 5
            let tagEnd = head[tagStart...].firstIndex(of: UInt8(ascii: ">")) ?? head.count
            if let cs = find(Array("charset".utf8), from: tagStart, to: tagEnd) {
                var i = cs + 7
                while i < tagEnd && head[i] == 0x20 { i += 1 }
                if i < tagEnd && head[i] == UInt8(ascii: "=") {
                    i += 1
                    while i < tagEnd && (head[i] == 0x20 || head[i] == UInt8(ascii: "\"") || head[i] == UInt8(ascii: "'")) { i += 1 }
                    var j = i
                    while j < tagEnd && !" \"';/>".utf8.contains(head[j]) { j += 1 }
                    if j > i { return String(decoding: head[i..<j], as: UTF8.self) }
                }
            }
            searchStart = tagEnd
        }
        return nil
    }
}

extension CharsetDetector {
    /// Decodes a short byte string (a header value, a file name) in `encoding` (a label or an
    /// iconv name); nil if the bytes are not valid in it.
    public static func decode(_ bytes: Data, encoding: String) -> String? {
        let name = canonicalName(encoding) ?? encoding
        if name == "UTF-8" { return String(validating: bytes, as: UTF8.self) }
        return bytes.withUnsafeBytes { raw -> String? in
            var length = 0
            guard let out = trawl_convert_to_utf8(raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count, name, &length) else { return nil }
            defer { trawl_free(out) }
            return String(decoding: UnsafeRawBufferPointer(start: out, count: length), as: UTF8.self)
        }
    }
}
