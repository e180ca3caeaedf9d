import CTrawlOCR
import Foundation
import TrawlPDF

/// Image files as Leptonica reads them (JPEG, PNG, TIFF with its pages, GIF, WebP, BMP,
/// PNM, JPEG 2000): frames counted and sized from their headers before anything is decoded,
/// so an oversized image is refused without allocating its pixels.
public struct ImageDecoder {
    public let data: Data

    public init(data: Data) { self.data = data }

    /// Frames (TIFF pages), counted up to `limit`; 0 when no header can be read.
    public func frames(upTo limit: Int) -> Int {
        data.withUnsafeBytes { Int(trawl_image_frames($0.baseAddress, $0.count, Int32(clamping: limit))) }
    }

    /// Width and height of frame `index` from its header.
    public func size(ofFrame index: Int) -> (width: Int, height: Int)? {
        var w: Int32 = 0, h: Int32 = 0
        let failed = data.withUnsafeBytes { trawl_image_size($0.baseAddress, $0.count, Int32(index), &w, &h) }
        return failed == 0 && w > 0 && h > 0 ? (Int(w), Int(h)) : nil
    }

    public enum Failure: Error, Sendable { case damaged, memory }

    /// Frame `index` decoded to gray.
    public func gray(frame index: Int) -> Result<GrayImage, Failure> {
        var w: Int32 = 0, h: Int32 = 0, stride: Int32 = 0, status: Int32 = 0
        let bytes = data.withUnsafeBytes { trawl_image_gray($0.baseAddress, $0.count, Int32(index), &w, &h, &stride, &status) }
        guard let bytes else { return .failure(status == Int32(TRAWL_IMAGE_MEMORY.rawValue) ? .memory : .damaged) }
        defer { free(bytes) }
        return .success(GrayImage(width: Int(w), height: Int(h), stride: Int(stride),
                                  pixels: Array(UnsafeBufferPointer(start: bytes, count: Int(stride) * Int(h)))))
    }
}
