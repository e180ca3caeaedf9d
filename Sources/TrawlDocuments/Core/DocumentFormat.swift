import Foundation

/// The formats Trawl tells apart. The sniffed format picks the extractor; the worker protocol
/// carries it so a worker never guesses twice.
public enum DocumentFormat: String, Codable, Sendable, CaseIterable {
    case pdf, hwp, hwpx, docx, xlsx, pptx, odt, ods, odp, rtf, zip
    /// Recognised but not read: HWP 3.x and legacy binary Office files.
    case hwp3, doc, xls, ppt
    /// An Office Open XML document encrypted with a password (an OLE `EncryptedPackage`).
    case encryptedOffice = "office-encrypted"
    case image, html, text, unknown

    /// Formats whose text Trawl reads (in worker processes, apart from plain text).
    public var isExtractable: Bool {
        switch self {
        case .pdf, .hwp, .hwpx, .docx, .xlsx, .pptx, .odt, .ods, .odp, .rtf, .zip, .text: return true
        default: return false
        }
    }

    public var mediaType: String {
        switch self {
        case .pdf: return "application/pdf"
        case .hwp, .hwp3: return "application/x-hwp"
        case .hwpx: return "application/hwp+zip"
        case .docx: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .pptx: return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        case .odt: return "application/vnd.oasis.opendocument.text"
        case .ods: return "application/vnd.oasis.opendocument.spreadsheet"
        case .odp: return "application/vnd.oasis.opendocument.presentation"
        case .rtf: return "application/rtf"
        case .zip: return "application/zip"
        case .doc: return "application/msword"
        case .xls: return "application/vnd.ms-excel"
        case .ppt: return "application/vnd.ms-powerpoint"
        case .encryptedOffice: return "application/x-tika-ooxml-protected"
        case .image: return "image/*"
        case .html: return "text/html"
        case .text: return "text/plain"
        case .unknown: return "application/octet-stream"
        }
    }

    /// The format a media type names (the inverse of `mediaType`), if any.
    public init?(mediaType: String) {
        switch mediaType {
        case "image/png", "image/jpeg", "image/gif", "image/tiff", "image/webp", "image/bmp": self = .image
        case "text/plain", "text/csv": self = .text
        default:
            guard let f = DocumentFormat.allCases.first(where: { $0.mediaType == mediaType && $0 != .hwp3 }) else { return nil }
            self = f
        }
    }
}
