import Foundation
import TrawlHTML

/// The file name a server gives in `Content-Disposition` (RFC 6266): `filename*` in RFC 5987
/// form (`UTF-8''%ED%95%9C.pdf`, or another charset such as EUC-KR) wins over `filename`;
/// a plain `filename` may be percent-encoded, as many Korean sites send it, in UTF-8 or CP949.
/// The result is a display name only, cleaned by `AttachmentName.clean`, never a path.
enum ContentDisposition {
    static func filename(_ header: String) -> String? {
        let params = parameters(header)
        if let extended = params["filename*"], let name = decodeExtended(extended), usable(name) {
            return AttachmentName.clean(name)
        }
        if let plain = params["filename"] {
            if plain.contains("%"), let bytes = percentDecodedBytes(plain), let name = decode(bytes, charset: nil), usable(name) {
                return AttachmentName.clean(name)
            }
            if usable(plain) { return AttachmentName.clean(plain) }
        }
        return nil
    }

    /// Header bytes that were not UTF-8 reach us as U+FFFD (the HTTP parser decodes header
    /// values as UTF-8), so such a name is unreadable: the caller falls back to the link.
    private static func usable(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "\u{FFFD}" }
    }

    /// `attachment; filename="a;b.pdf"; filename*=UTF-8''x` → lower-cased names to raw values.
    static func parameters(_ header: String) -> [String: String] {
        var result: [String: String] = [:]
        var i = header.startIndex
        // Skip the disposition type.
        while i < header.endIndex, header[i] != ";" { i = header.index(after: i) }
        while i < header.endIndex {
            i = header.index(after: i)  // past ';'
            while i < header.endIndex, header[i].isWhitespace { i = header.index(after: i) }
            let nameStart = i
            while i < header.endIndex, header[i] != "=", header[i] != ";" { i = header.index(after: i) }
            let name = header[nameStart..<i].trimmingCharacters(in: .whitespaces).lowercased()
            guard i < header.endIndex, header[i] == "=" else { continue }
            i = header.index(after: i)
            while i < header.endIndex, header[i].isWhitespace { i = header.index(after: i) }
            var value = ""
            if i < header.endIndex, header[i] == "\"" {
                i = header.index(after: i)
                while i < header.endIndex, header[i] != "\"" {
                    if header[i] == "\\", header.index(after: i) < header.endIndex { i = header.index(after: i) }
                    value.append(header[i])
                    i = header.index(after: i)
                }
                if i < header.endIndex { i = header.index(after: i) }
                while i < header.endIndex, header[i] != ";" { i = header.index(after: i) }
            } else {
                let start = i
                while i < header.endIndex, header[i] != ";" { i = header.index(after: i) }
                value = header[start..<i].trimmingCharacters(in: .whitespaces)
            }
            if !name.isEmpty, result[name] == nil { result[name] = value }
        }
        return result
    }

    /// RFC 5987 `charset'language'percent-encoded`.
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
