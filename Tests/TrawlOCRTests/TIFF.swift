import Foundation
import TrawlPDF

/// Uncompressed 8-bit gray TIFF files written by hand: multi-page scans, and a header that
/// claims a size its data does not have.
enum TIFF {
    static func file(pages: [GrayImage]) -> Data {
        var out = Data([0x49, 0x49, 42, 0])  // "II", 42: little-endian TIFF
        func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)] }
        out += u32(8)
        for (i, page) in pages.enumerated() {
            let entries = 9
            let ifdSize = 2 + entries * 12 + 4
            let dataOffset = out.count + ifdSize
            let bytes = page.width * page.height
            let next = i == pages.count - 1 ? 0 : dataOffset + bytes
            func entry(_ tag: Int, _ type: Int, _ value: Int) -> [UInt8] {
                u16(tag) + u16(type) + u32(1) + (type == 3 ? u16(value) + [0, 0] : u32(value))
            }
            out += u16(entries)
            out += entry(256, 4, page.width) + entry(257, 4, page.height) + entry(258, 3, 8) + entry(259, 3, 1)
            out += entry(262, 3, 1) + entry(273, 4, dataOffset) + entry(277, 3, 1) + entry(278, 4, page.height)
            out += entry(279, 4, bytes)
            out += u32(next)
            for y in 0..<page.height { out += page.pixels[(y * page.stride)..<(y * page.stride + page.width)] }
        }
        return out
    }

    /// A TIFF whose header says `width`×`height` pixels but holds almost no data.
    static func claiming(width: Int, height: Int) -> Data {
        let page = GrayImage(width: 1, height: 1, stride: 1, pixels: [255])
        var data = file(pages: [page])
        // ImageWidth and ImageLength are the first two entries of the first IFD (offset 8).
        func put(_ v: Int, at offset: Int) {
            for k in 0..<4 { data[offset + k] = UInt8(v >> (8 * k) & 0xFF) }
        }
        put(width, at: 8 + 2 + 8)
        put(height, at: 8 + 2 + 12 + 8)
        return data
    }
}
