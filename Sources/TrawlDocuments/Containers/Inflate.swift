import CTrawlInflate
import Foundation

/// Raw deflate (no zlib header), as HWP streams and ODF-encrypted entries use it, with a cap.
enum Inflate {
    enum Outcome { case complete(Data), truncated(Data) }

    static func raw(_ data: Data, max: Int, name: String) throws -> Outcome {
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = data.withUnsafeBytes { raw in
            trawl_inflate_raw(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, max, &out, &length)
        }
        // The buffer becomes the Data's own storage (freed by zlib's shim), not a copy.
        let bytes = out.map { Data(bytesNoCopy: $0, count: length, deallocator: .custom { p, _ in trawl_inflate_free(p.assumingMemoryBound(to: UInt8.self)) }) } ?? Data()
        switch status {
        case Int32(TRAWL_INFLATE_OK.rawValue): return .complete(bytes)
        case Int32(TRAWL_INFLATE_TRUNCATED.rawValue): return .truncated(bytes)
        case Int32(TRAWL_INFLATE_TOO_LARGE.rawValue):
            throw DocumentError(.tooLarge, "\(name) inflates beyond \(max) bytes")
        default:
            throw DocumentError(.damaged, "\(name) is not a valid deflate stream")
        }
    }
}
