import CTrawlZip
import Foundation

/// A ZIP archive in memory (libzip), read entry by entry with caps. The only Swift type that
/// holds a libzip pointer; it frees it once, in `deinit`.
public final class ZipArchive {
    private let zip: OpaquePointer
    public let name: String
    /// Entries' stored names (raw bytes), by index.
    public let entryNames: [Data]
    public let compressedSize: Int

    private init(zip: OpaquePointer, name: String, compressedSize: Int) {
        self.zip = zip
        self.name = name
        self.compressedSize = compressedSize
        let count = max(0, Int(trawl_zip_count(zip)))
        var names: [Data] = []
        names.reserveCapacity(min(count, 100_000))
        for i in 0..<count {
            var length = 0
            if let p = trawl_zip_name(zip, UInt64(i), &length) {
                names.append(Data(bytes: p, count: length))
            } else {
                names.append(Data())
            }
        }
        entryNames = names
    }

    deinit { trawl_zip_close(zip) }

    /// Opens `data`; a file that is no ZIP, or a damaged one, is a typed error naming `name`.
    /// An archive whose local headers disagree with its directory (some writers get them
    /// wrong) is opened leniently: every read stays capped and CRC-checked.
    public static func open(_ data: Data, name: String) throws -> ZipArchive {
        var status: Int32 = 0
        var message: UnsafeMutablePointer<CChar>?
        func attempt(strict: Bool) -> OpaquePointer? {
            if let message { trawl_zip_free_string(message) }
            message = nil
            return data.withUnsafeBytes { raw in trawl_zip_open(raw.baseAddress, raw.count, strict ? 1 : 0, &status, &message) }
        }
        var handle = attempt(strict: true)
        if handle == nil && Int(status) == Int(TRAWL_ZIP_DAMAGED.rawValue) { handle = attempt(strict: false) }
        let text = message.map { String(cString: $0) } ?? "unknown error"
        if let message { trawl_zip_free_string(message) }
        guard let handle else {
            switch Int(status) {
            case Int(TRAWL_ZIP_NOT_ZIP.rawValue): throw DocumentError(.damaged, "\(name): not a ZIP container (\(text))")
            case Int(TRAWL_ZIP_ENCRYPTED.rawValue): throw DocumentError(.encrypted, "\(name): the ZIP is encrypted (\(text))")
            default: throw DocumentError(.damaged, "\(name): damaged ZIP container (\(text))")
            }
        }
        return ZipArchive(zip: handle, name: name, compressedSize: data.count)
    }

    /// The index of the entry named exactly `path`.
    public func index(of path: String) -> Int? {
        let wanted = Data(path.utf8)
        return entryNames.firstIndex(of: wanted)
    }

    public func contains(_ path: String) -> Bool { index(of: path) != nil }

    /// Entry names decoded as UTF-8 (ZIP containers of office formats always use ASCII or
    /// UTF-8 names); bundles decode their own names with `NameDecoder`.
    public var paths: [String] { entryNames.map { String(decoding: $0, as: UTF8.self) } }

    public struct Entry {
        public var size: Int
        public var compressedSize: Int
        public var encrypted: Bool
        public var isDirectory: Bool
    }

    public func entry(at index: Int) -> Entry? {
        var size: UInt64 = 0, compressed: UInt64 = 0
        var encrypted: Int32 = 0, method: Int32 = 0
        guard trawl_zip_stat(zip, UInt64(index), &size, &compressed, &encrypted, &method) == 0 else { return nil }
        let isDirectory = entryNames[index].last == UInt8(ascii: "/")
        return Entry(size: Int(clamping: size), compressedSize: Int(clamping: compressed), encrypted: encrypted != 0, isDirectory: isDirectory)
    }

    /// Reads one entry within the per-entry limit, the ratio limit and the attachment's budget.
    public func read(at index: Int, context: ExtractionContext) throws -> Data {
        let label = "\(name): entry \(String(decoding: entryNames[index], as: UTF8.self))"
        let limits = context.limits
        var cap = min(limits.maxEntryBytes, context.budget.remaining)
        if let e = entry(at: index), e.compressedSize > 0 {
            // A bomb is refused by its ratio before it is expanded; small entries may compress
            // well beyond any ratio (runs of zeros), so the ratio binds only above 1 MiB.
            cap = min(cap, max(1 << 20, e.compressedSize.multipliedReportingOverflow(by: limits.maxRatio).overflow ? Int.max : e.compressedSize * limits.maxRatio))
        }
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        var message: UnsafeMutablePointer<CChar>?
        let status = trawl_zip_read(zip, UInt64(index), UInt64(cap), &out, &length, &message)
        let text = message.map { String(cString: $0) } ?? ""
        if let message { trawl_zip_free_string(message) }
        switch status {
        case Int32(TRAWL_ZIP_OK.rawValue):
            guard let out else { return Data() }
            // The buffer becomes the Data's own storage (freed by the shim), not a copy.
            let bytes = Data(bytesNoCopy: out, count: length, deallocator: .custom { p, _ in trawl_zip_free_buffer(p.assumingMemoryBound(to: UInt8.self)) })
            try context.budget.spend(length, on: label)
            return bytes
        case Int32(TRAWL_ZIP_TOO_LARGE.rawValue):
            throw DocumentError(.tooLarge, "\(label) expands beyond \(cap) bytes (limits: \(limits.maxEntryBytes) per entry, ratio \(limits.maxRatio), \(limits.maxTotalBytes) in all)")
        case Int32(TRAWL_ZIP_ENCRYPTED.rawValue):
            throw DocumentError(.encrypted, "\(label) is encrypted with a ZIP password")
        case Int32(TRAWL_ZIP_UNSUPPORTED.rawValue):
            throw DocumentError(.unsupportedFormat, "\(label) uses a compression method that cannot be read (\(text))")
        default:
            throw DocumentError(.damaged, "\(label) cannot be read: \(text.isEmpty ? "damaged" : text)")
        }
    }

    public func read(_ path: String, context: ExtractionContext) throws -> Data? {
        guard let i = index(of: path) else { return nil }
        return try read(at: i, context: context)
    }

    /// The office format a container holds, told by its entries; nil for a plain bundle.
    public var containerFormat: DocumentFormat? {
        let set = Set(paths)
        if set.contains("Contents/content.hpf") || set.contains("Contents/section0.xml") { return .hwpx }
        if let i = index(of: "mimetype"), let e = entry(at: i), e.size < 200,
           let m = try? read(at: i, context: ExtractionContext()) {
            let type = String(decoding: m, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            switch type {
            case "application/hwp+zip", "application/haansofthwpx": return .hwpx
            case "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template": return .odt
            case "application/vnd.oasis.opendocument.spreadsheet", "application/vnd.oasis.opendocument.spreadsheet-template": return .ods
            case "application/vnd.oasis.opendocument.presentation", "application/vnd.oasis.opendocument.presentation-template": return .odp
            default: break
            }
        }
        if set.contains("[Content_Types].xml") {
            if set.contains(where: { $0.hasPrefix("word/") }) { return .docx }
            if set.contains(where: { $0.hasPrefix("xl/") }) { return .xlsx }
            if set.contains(where: { $0.hasPrefix("ppt/") }) { return .pptx }
        }
        if set.contains("content.xml") && set.contains("META-INF/manifest.xml") {
            return .odt   // an ODF package without a mimetype entry: content.xml says which
        }
        return nil
    }
}
