import CTrawlInflate
import Foundation

/// One gzip member compressed as its input arrives (zlib through `CTrawlInflate`). Owns one C
/// handle, closed exactly once.
final class GzipMember {
    private let handle: OpaquePointer

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(level: Int32 = 6) throws {
        guard let handle = trawl_gzip_open(level) else { throw Failure(description: "zlib could not start a gzip member") }
        self.handle = handle
    }

    deinit { trawl_gzip_close(handle) }

    /// Compresses `bytes`; returns what zlib produced so far (possibly nothing).
    func compress(_ bytes: some DataProtocol) throws -> Data {
        let input = Data(bytes)
        var out: UnsafePointer<UInt8>?
        var length = 0
        let status = input.withUnsafeBytes { raw in
            trawl_gzip_write(handle, raw.bindMemory(to: UInt8.self).baseAddress, raw.count, &out, &length)
        }
        return try result(status, out, length)
    }

    /// Ends the member: the last block and the trailer.
    func finish() throws -> Data {
        var out: UnsafePointer<UInt8>?
        var length = 0
        return try result(trawl_gzip_finish(handle, &out, &length), out, length)
    }

    private func result(_ status: Int32, _ out: UnsafePointer<UInt8>?, _ length: Int) throws -> Data {
        guard status == Int32(TRAWL_INFLATE_OK.rawValue) else { throw Failure(description: "zlib failed to compress (status \(status))") }
        guard let out, length > 0 else { return Data() }
        return Data(bytes: out, count: length)
    }

    /// The length of the longest prefix of `file` made of complete gzip members; nil when the
    /// file cannot be read.
    static func completePrefix(of file: URL) -> Int64? {
        let n = trawl_gzip_complete_prefix(file.path)
        return n < 0 ? nil : n
    }
}
