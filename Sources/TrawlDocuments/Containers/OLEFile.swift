import CTrawlOLE
import Foundation

/// An OLE2 compound file in memory (libgsf). The only Swift type that holds a libgsf
/// pointer; it frees it once, in `deinit`.
final class OLEFile {
    private let ole: OpaquePointer
    let name: String

    init(_ data: Data, name: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let handle = data.withUnsafeBytes { raw in trawl_ole_open(raw.baseAddress, raw.count, &message) }
        let text = message.map { String(cString: $0) } ?? "not an OLE2 compound file"
        if let message { trawl_ole_free(message) }
        guard let handle else { throw DocumentError(.damaged, "\(name): damaged compound file (\(text))") }
        self.ole = handle
        self.name = name
    }

    deinit { trawl_ole_close(ole) }

    /// The names of a storage's children ("" is the root); empty if there is no such storage.
    func children(of storage: String) -> [String] {
        let count = trawl_ole_child_count(ole, storage)
        guard count > 0 else { return [] }
        return (0..<count).compactMap { i in
            guard let p = trawl_ole_child_name(ole, storage, i) else { return nil }
            defer { trawl_ole_free(p) }
            return String(cString: p)
        }
    }

    /// A stream's bytes, nil if it does not exist; larger than `max` or unreadable is an error.
    func read(_ path: String, max: Int) throws -> Data? {
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = trawl_ole_read(ole, path, UInt64(max), &out, &length)
        switch status {
        case Int32(TRAWL_OLE_OK.rawValue):
            defer { trawl_ole_free(out) }
            return out.map { Data(bytes: $0, count: length) } ?? Data()
        case Int32(TRAWL_OLE_MISSING.rawValue): return nil
        case Int32(TRAWL_OLE_TOO_LARGE.rawValue):
            throw DocumentError(.tooLarge, "\(name): stream \(path) is larger than \(max) bytes")
        default:
            throw DocumentError(.damaged, "\(name): stream \(path) cannot be read")
        }
    }
}

extension OLEFile {
    /// The file inside an OLE embedding (an Office `oleObject*.bin`): Acrobat keeps a PDF in
    /// `CONTENTS`, Office keeps an embedded package in `Package`. Nil when there is none.
    static func embeddedPayload(_ data: Data, name: String, max: Int) -> Data? {
        guard let ole = try? OLEFile(data, name: name) else { return nil }
        for stream in ["CONTENTS", "Package"] {
            if let d = try? ole.read(stream, max: max), !d.isEmpty { return d }
        }
        return nil
    }
}
