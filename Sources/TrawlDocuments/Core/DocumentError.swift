/// Why a document yields no text. The message names the input and the reason.
public struct DocumentError: Error, CustomStringConvertible, Sendable, Equatable, Codable {
    public enum Code: String, Sendable, Codable {
        /// The container or a record in it is malformed or truncated.
        case damaged
        /// A password (of the user's own) or DRM protects the text.
        case encrypted
        /// A format Trawl recognises but does not read (HWP 3.x, legacy .doc/.xls/.ppt, images
        /// without OCR), or an unknown one.
        case unsupportedFormat = "unsupported_format"
        /// An entry, a record or the whole expands beyond a configured limit.
        case tooLarge = "too_large"
        case empty
        /// OCR of a page or image ran past its time limit.
        case ocrTimeout = "ocr/timeout"
        /// An image too large to decode and recognise within the configured pixel limit.
        case ocrTooLarge = "ocr/too_large"
        /// An image file whose header or pixels cannot be decoded.
        case imageDamaged = "image/damaged"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
