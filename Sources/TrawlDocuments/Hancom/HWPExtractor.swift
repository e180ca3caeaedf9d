import Crypto
import CryptoExtras
import Foundation

/// HWP 5.0 (an OLE compound file): the `FileHeader` flags, then each `BodyText/Section*`
/// stream (raw deflate) as a record stream whose paragraph text includes that of tables, text
/// boxes, headers, footers and notes where they are anchored. Distribution documents carry
/// their sections in `ViewText/Section*`, AES-encrypted with a key hidden in the stream's first
/// record; a password or DRM protects the text of the others that say so.
struct HWPExtractor: DocumentExtractor {
    struct Flags: OptionSet {
        let rawValue: UInt32
        static let compressed = Flags(rawValue: 1 << 0)
        static let password = Flags(rawValue: 1 << 1)
        static let distribution = Flags(rawValue: 1 << 2)
        static let drm = Flags(rawValue: 1 << 4)
        static let certificateEncryption = Flags(rawValue: 1 << 8)
        static let certificateDRM = Flags(rawValue: 1 << 10)
    }

    func extract(_ data: Data, name: String, context: ExtractionContext) throws -> DocumentExtraction {
        let ole = try OLEFile(data, name: name)
        guard let header = try ole.read("FileHeader", max: 4096), header.count >= 40 else {
            throw DocumentError(.damaged, "\(name): no HWP FileHeader stream (not an HWP 5 document)")
        }
        guard header.starts(with: Array("HWP Document File".utf8)) else {
            throw DocumentError(.damaged, "\(name): the FileHeader has no HWP signature")
        }
        let bytes = [UInt8](header)
        let version = UInt32(bytes[32]) | UInt32(bytes[33]) << 8 | UInt32(bytes[34]) << 16 | UInt32(bytes[35]) << 24
        let flags = Flags(rawValue: UInt32(bytes[36]) | UInt32(bytes[37]) << 8 | UInt32(bytes[38]) << 16 | UInt32(bytes[39]) << 24)
        let versionText = "\(version >> 24).\((version >> 16) & 0xFF).\((version >> 8) & 0xFF).\(version & 0xFF)"
        if flags.contains(.password) {
            throw DocumentError(.encrypted, "\(name): the HWP \(versionText) document is protected by a password")
        }
        if flags.contains(.drm) || flags.contains(.certificateDRM) || flags.contains(.certificateEncryption) {
            throw DocumentError(.encrypted, "\(name): the HWP \(versionText) document is protected by DRM or a certificate")
        }
        let distribution = flags.contains(.distribution)
        let storage = distribution ? "ViewText" : "BodyText"
        let sections = ole.children(of: storage).filter { $0.hasPrefix("Section") }
            .sorted { (Int($0.dropFirst(7)) ?? 0) < (Int($1.dropFirst(7)) ?? 0) }
        guard !sections.isEmpty else { throw DocumentError(.damaged, "\(name): no \(storage)/Section streams") }

        var builder = TextBuilder()
        var warnings: [String] = []
        for section in sections {
            let label = "\(name): \(storage)/\(section)"
            do {
                guard var stream = try ole.read("\(storage)/\(section)", max: min(context.limits.maxEntryBytes, context.budget.remaining)) else { continue }
                if distribution { stream = try Self.decryptDistribution(stream, name: label) }
                if flags.contains(.compressed) {
                    let cap = min(context.limits.maxEntryBytes, context.budget.remaining)
                    switch try Inflate.raw(stream, max: cap, name: label) {
                    case .complete(let d): stream = d
                    case .truncated(let d): stream = d; warnings.append("\(label) is truncated")
                    }
                }
                try context.budget.spend(stream.count, on: label)
                try HWPRecords.readText(stream, name: label, limits: context.limits, into: &builder)
            } catch let e as DocumentError where e.code == .damaged && !builder.isEmpty {
                warnings.append(e.message)  // keep the sections that were read
            }
            builder.endPart()
        }
        var x = DocumentExtraction(format: .hwp, text: builder.finish())
        if let summary = try? ole.read("\u{05}HwpSummaryInformation", max: 1 << 20) {
            x.metadata = PropertySet.summary(summary)
        }
        x.metadata.application = x.metadata.application ?? "HWP \(versionText)"
        x.parts = sections.count
        x.distribution = distribution
        x.encrypted = distribution
        x.warnings = warnings
        return x
    }

    /// A distribution section starts with a 256-byte record (HWPTAG_DISTRIBUTE_DOC_DATA)
    /// scrambled by an MSVC `rand()` stream seeded from its first four bytes; unscrambled, it
    /// holds the AES-128 key for the rest of the stream (ECB).
    static func decryptDistribution(_ stream: Data, name: String) throws -> Data {
        let s = [UInt8](stream)
        guard s.count >= 260 else { throw DocumentError(.damaged, "\(name): distribution stream too short") }
        let head = UInt32(s[0]) | UInt32(s[1]) << 8 | UInt32(s[2]) << 16 | UInt32(s[3]) << 24
        guard head & 0x3FF == 28, head >> 20 == 256 else {
            throw DocumentError(.damaged, "\(name): distribution stream has no key record")
        }
        let data = Array(s[4..<260])
        let seed = UInt32(data[0]) | UInt32(data[1]) << 8 | UInt32(data[2]) << 16 | UInt32(data[3]) << 24
        var state = seed
        func rand() -> UInt32 {
            state = state &* 214013 &+ 2531011
            return (state >> 16) & 0x7FFF
        }
        var mask = [UInt8](repeating: 0, count: 256)
        var i = 0
        while i < 256 {
            let fill = UInt8(rand() & 0xFF)
            let times = Int(rand() & 0x0F) + 1
            for _ in 0..<times where i < 256 { mask[i] = fill; i += 1 }
        }
        let offset = Int(seed & 0x0F) + 4
        let key = (0..<16).map { data[offset + $0] ^ mask[offset + $0] }
        let body = s[260...]
        let usable = body.prefix(body.count - body.count % 16)
        guard !usable.isEmpty else { return Data() }
        // ECB through CBC with a zero IV: block i comes out XORed with ciphertext block i-1,
        // which is undone below.
        do {
            var plain = [UInt8](try AES._CBC.decrypt(usable, using: SymmetricKey(data: key),
                                                     iv: AES._CBC.IV(ivBytes: [UInt8](repeating: 0, count: 16)), noPadding: true))
            let cipher = [UInt8](usable)
            if plain.count > 16 {
                for j in 16..<plain.count { plain[j] ^= cipher[j - 16] }
            }
            return Data(plain)
        } catch {
            throw DocumentError(.damaged, "\(name): the distribution stream cannot be decrypted")
        }
    }
}

/// HWP's record stream: a 32-bit header (tag 10 bits, level 10 bits, size 12 bits, 0xFFF
/// meaning a 32-bit size follows), then the payload.
enum HWPRecords {
    static let paraHeader: UInt32 = 66
    static let paraText: UInt32 = 67
    static let listHeader: UInt32 = 72

    static func readText(_ stream: Data, name: String, limits: DocumentLimits, into builder: inout TextBuilder) throws {
        try stream.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let count = raw.count
            var pos = 0
            func u32(_ at: Int) -> UInt32 {
                UInt32(raw[at]) | UInt32(raw[at + 1]) << 8 | UInt32(raw[at + 2]) << 16 | UInt32(raw[at + 3]) << 24
            }
            while pos + 4 <= count {
                let header = u32(pos)
                pos += 4
                let tag = header & 0x3FF
                var size = Int(header >> 20)
                if size == 0xFFF {
                    guard pos + 4 <= count else { throw DocumentError(.damaged, "\(name): truncated record header") }
                    size = Int(u32(pos))
                    pos += 4
                }
                guard size <= limits.maxRecordBytes else {
                    throw DocumentError(.tooLarge, "\(name): a record claims \(size) bytes (limit \(limits.maxRecordBytes))")
                }
                guard pos + size <= count else { throw DocumentError(.damaged, "\(name): truncated record (tag \(tag), \(size) bytes)") }
                switch tag {
                case paraHeader, listHeader: builder.endParagraph()
                case paraText: appendParagraphText(UnsafeRawBufferPointer(rebasing: raw[pos..<(pos + size)]), into: &builder)
                default: break
                }
                pos += size
            }
        }
    }

    /// UTF-16LE text with control characters: single-unit controls (line break, paragraph
    /// end, hyphen, fixed spaces) and 8-unit inline or extended controls (tab, fields,
    /// tables, pictures, notes…), whose own text arrives in the records that follow.
    static func appendParagraphText(_ bytes: UnsafeRawBufferPointer, into builder: inout TextBuilder) {
        let n = bytes.count / 2
        var units: [UInt16] = []
        units.reserveCapacity(n)
        func flush() {
            if !units.isEmpty { builder.append(String(decoding: units, as: UTF16.self)); units.removeAll(keepingCapacity: true) }
        }
        var i = 0
        while i < n {
            let c = UInt16(bytes[2 * i]) | UInt16(bytes[2 * i + 1]) << 8
            if c >= 32 { units.append(c); i += 1; continue }
            switch c {
            case 9: flush(); builder.append("\t"); i += 8
            case 10: flush(); builder.append("\n"); i += 1
            case 13: flush(); builder.endParagraph(); i += 1
            case 24: units.append(0x2D); i += 1
            case 30, 31: units.append(0x20); i += 1
            case 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23: flush(); i += 8
            default: i += 1
            }
        }
        flush()
    }
}

/// The OLE property-set stream (`\u0005HwpSummaryInformation`, MS-OLEPS): title, subject,
/// author, keywords and dates.
enum PropertySet {
    static func summary(_ data: Data) -> DocumentMetadata {
        var meta = DocumentMetadata()
        let b = [UInt8](data)
        func u32(_ at: Int) -> Int? {
            guard at >= 0, at + 4 <= b.count else { return nil }
            return Int(UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24)
        }
        guard let sets = u32(24), sets >= 1, let section = u32(44), let count = u32(section + 4), count < 1000 else { return meta }
        for k in 0..<count {
            guard let id = u32(section + 8 + 8 * k), let offset = u32(section + 12 + 8 * k) else { break }
            let at = section + offset
            guard let type = u32(at) else { continue }
            var value: String?
            switch type {
            case 0x1F:  // UTF-16LE string with a count of characters
                if let chars = u32(at + 4), chars < 1 << 20, at + 8 + chars * 2 <= b.count {
                    let units = stride(from: 0, to: chars * 2, by: 2).map { UInt16(b[at + 8 + $0]) | UInt16(b[at + 9 + $0]) << 8 }
                    value = String(decoding: units.prefix { $0 != 0 }, as: UTF16.self)
                }
            case 0x1E:
                if let len = u32(at + 4), len < 1 << 20, at + 8 + len <= b.count {
                    value = String(decoding: b[(at + 8)..<(at + 8 + len)].prefix { $0 != 0 }, as: UTF8.self)
                }
            case 0x40:
                if let lo = u32(at + 4), let hi = u32(at + 8) {
                    let ticks = UInt64(hi) << 32 | UInt64(lo)
                    if ticks > 0 {
                        let seconds = Double(ticks) / 10_000_000 - 11_644_473_600
                        if seconds > 0 && seconds < 4_102_444_800 {
                            value = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds.rounded()))
                        }
                    }
                }
            default: break
            }
            guard let v = value?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { continue }
            switch id {
            case 2: meta.title = v
            case 3: meta.subject = v
            case 4: meta.author = v
            case 5: meta.keywords = v
            case 12: meta.created = v
            case 13: meta.modified = v
            case 18: meta.application = v
            default: break
            }
        }
        return meta
    }
}
