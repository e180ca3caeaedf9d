/// An 8-bit gray image (0 black … 255 white), rows of `stride` bytes: a rendered PDF page or
/// a decoded image attachment on its way to OCR.
public struct GrayImage: Sendable {
    public let width: Int
    public let height: Int
    public let stride: Int
    public let pixels: [UInt8]

    public init(width: Int, height: Int, stride: Int, pixels: [UInt8]) {
        precondition(stride >= width && pixels.count >= stride * height)
        self.width = width
        self.height = height
        self.stride = stride
        self.pixels = pixels
    }

    /// Copies `height` rows of `stride` bytes from a malloc'd C buffer.
    init(width: Int, height: Int, stride: Int, copying bytes: UnsafePointer<UInt8>) {
        self.init(width: width, height: height, stride: stride,
                  pixels: Array(UnsafeBufferPointer(start: bytes, count: stride * height)))
    }

    /// A PGM (P5) file of the image, for inspection and for comparing with `pdftoppm -gray`.
    public var pgm: [UInt8] {
        var out = Array("P5\n\(width) \(height)\n255\n".utf8)
        out.reserveCapacity(out.count + width * height)
        for y in 0..<height { out += pixels[(y * stride)..<(y * stride + width)] }
        return out
    }
}
