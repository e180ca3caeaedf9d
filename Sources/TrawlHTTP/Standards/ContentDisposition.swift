import Foundation
import TrawlHTML

/// The file name a server gives in `Content-Disposition` (RFC 6266), checked against the
/// greenbytes tc2231 cases:
/// - `filename*` (RFC 8187 `charset'lang'%XX`, any charset Trawl decodes) wins over RFC 2231
///   continuations (`filename*0*=…; filename*1=…`), which win over a plain `filename`;
/// - a plain `filename` whose escapes encode non-ASCII bytes is percent-decoded, in UTF-8 or
///   else CP949, as Korean download servlets send it; `foo-%41.html` stays as it is;
/// - lenient where that recovers a real name (`filename=보도자료.hwp`, `foo[1](2).html`
///   or with spaces unquoted), but a header that does not parse as `type; name=value; …` gives nothing, so a
///   name is never built from parameter syntax (`foo.html, attachment`, `bar foo=foo`).
/// The result is the server's name, not yet cleaned for display and never a path.
public enum ContentDisposition {
    public static func filename(_ header: String) -> String? {
        guard let params = parameters(header) else { return nil }
        if let extended = params["filename*"], let name = decodeExtended(extended), usable(name) { return name }
        if let name = continued(params), usable(name) { return name }
        if let plain = params["filename"] {
            if let bytes = percentDecodedBytes(plain), bytes.contains(where: { $0 >= 0x80 }), plain.utf8.allSatisfy({ $0 < 0x80 }),
               let name = decode(bytes, charset: nil), usable(name) {
                return name
            }
            if usable(plain) { return plain }
        }
        return nil
    }

    /// Header bytes that were not UTF-8 reach us as U+FFFD (the HTTP parser decodes header
    /// values as UTF-8), so such a name is unreadable: the caller falls back to the link.
    private static func usable(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "\u{FFFD}" }
    }

    /// `attachment; filename="a;b.pdf"; filename*=UTF-8''x` → lower-cased names to values
    /// (quoted strings unquoted), the first of each name kept; nil when the header is not a
    /// disposition type followed by `; name=value` parameters.
    static func parameters(_ header: String) -> [String: String]? {
        let s = Array(header.unicodeScalars)
        var i = 0
        func skipSpace() { while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 } }
        skipSpace()
        let typeStart = i
        while i < s.count, s[i] != ";" { i += 1 }
        let type = String(String.UnicodeScalarView(s[typeStart..<i])).trimmingCharacters(in: .whitespaces)
        guard !type.isEmpty, type.unicodeScalars.allSatisfy(isTokenScalar) else { return nil }
        var result: [String: String] = [:]
        while i < s.count {
            i += 1  // past ';'
            skipSpace()
            let nameStart = i
            while i < s.count, s[i] != "=", s[i] != ";" { i += 1 }
            let name = String(String.UnicodeScalarView(s[nameStart..<i])).trimmingCharacters(in: .whitespaces).lowercased()
            guard i < s.count, s[i] == "=" else {
                if name.isEmpty { continue }  // `; ;` an empty parameter
                return nil                   // `inline; attachment; …`: two types
            }
            guard !name.isEmpty, name.unicodeScalars.allSatisfy(isTokenScalar) else { return nil }
            i += 1
            skipSpace()
            var value = ""
            if i < s.count, s[i] == "\"" {
                i += 1
                var closed = false
                while i < s.count {
                    if s[i] == "\"" { closed = true; i += 1; break }
                    if s[i] == "\\", i + 1 < s.count { i += 1 }
                    value.unicodeScalars.append(s[i])
                    i += 1
                }
                skipSpace()
                // `"foo.html".txt`, `"bar` (unterminated): not a quoted string.
                guard closed, i == s.count || s[i] == ";" else { return nil }
            } else {
                let start = i
                while i < s.count, s[i] != ";" { i += 1 }
                value = String(String.UnicodeScalarView(s[start..<i])).trimmingCharacters(in: .whitespaces)
                // Commas, quotes or `=` in an unquoted value are parameter syntax run together
                // (`bar foo=foo`, `foo.html, attachment`), not a name. Other characters a token
                // forbids (spaces, `[`, non-ASCII) are kept: servlets send such names bare.
                guard !value.isEmpty, !value.unicodeScalars.contains(where: { "\",=".unicodeScalars.contains($0) || $0.value < 0x20 }) else { return nil }
            }
            if result[name] == nil { result[name] = value }
        }
        return result
    }

    private static func isTokenScalar(_ c: Unicode.Scalar) -> Bool {
        c.value > 0x20 && c.value < 0x7F && !"()<>@,;:\\\"/[]?={}".unicodeScalars.contains(c)
    }

    /// RFC 2231 continuations: `filename*0`, `filename*1`, … in order from 0 without a gap
    /// (`*01` is no number), each either quoted or `*`-encoded with the charset in the first.
    static func continued(_ params: [String: String]) -> String? {
        var bytes: [UInt8] = []
        var charset: String?
        var n = 0
        while true {
            if let raw = params["filename*\(n)"] {
                bytes += Array(raw.utf8)
            } else if let encoded = params["filename*\(n)*"] {
                var value = encoded
                if n == 0 {
                    let parts = encoded.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    guard parts.count == 3 else { return nil }
                    charset = String(parts[0])
                    value = String(parts[2])
                }
                guard let decoded = percentDecodedBytes(value) else { return nil }
                bytes += decoded
            } else {
                break
            }
            n += 1
        }
        return n == 0 ? nil : decode(bytes, charset: charset)
    }

    /// RFC 8187 `charset'language'percent-encoded`. Browsers also take it quoted.
    static func decodeExtended(_ value: String) -> String? {
        let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = percentDecodedBytes(String(parts[2])) else { return nil }
        return decode(bytes, charset: String(parts[0]))
    }

    static func percentDecodedBytes(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                out.append(v)
                it = it.dropFirst(2)
            } else {
                out.append(b)
            }
        }
        return out
    }

    /// Bytes in the named charset; without one, UTF-8 if valid, else CP949 (Korean sites).
    static func decode(_ bytes: [UInt8], charset: String?) -> String? {
        let name = charset.flatMap { $0.isEmpty ? nil : CharsetDetector.canonicalName($0) }
        if name == nil || name == "utf-8", let s = String(validating: bytes, as: UTF8.self) { return s }
        let fallback = name ?? "euc-kr"
        return CharsetDetector.decode(Data(bytes), encoding: fallback)
    }
}
