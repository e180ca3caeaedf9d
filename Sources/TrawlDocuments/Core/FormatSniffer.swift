import Foundation

/// Tells a file's format from its bytes, then its name: download endpoints say nothing about
/// what they serve, and names lie. ZIP containers are told apart by their entries later
/// (`ZipArchive.containerFormat`), in the worker that opens them.
public enum FormatSniffer {
    public static func sniff(_ data: Data, filename: String?) -> DocumentFormat {
        let ext = filename.map { ($0 as NSString).pathExtension.lowercased() } ?? ""
        let head = data.prefix(1024)
        if data.isEmpty { return .unknown }
        if head.range(of: Data("%PDF-".utf8)) != nil { return .pdf }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) || data.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return zipGuess(data.prefix(4096), ext: ext)
        }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            // OLE compound files: HWP 5 names its first streams; Office by extension.
            let probe = data.prefix(64 << 10)
            if probe.range(of: Data("E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0".utf8)) != nil { return .encryptedOffice }
            if probe.range(of: Data("F\0i\0l\0e\0H\0e\0a\0d\0e\0r\0".utf8)) != nil
                || probe.range(of: Data("H\0w\0p\0S\0u\0m\0m\0a\0r\0y".utf8)) != nil || ext == "hwp" { return .hwp }
            switch ext {
            case "doc", "dot": return .doc
            case "xls", "xlt": return .xls
            case "ppt", "pps", "pot": return .ppt
            default:
                if probe.range(of: Data("W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0".utf8)) != nil { return .doc }
                if probe.range(of: Data("W\0o\0r\0k\0b\0o\0o\0k\0".utf8)) != nil { return .xls }
                if probe.range(of: Data("P\0o\0w\0e\0r\0P\0o\0i\0n\0t\0".utf8)) != nil { return .ppt }
                return .unknown  // another kind of compound file (MSG, MSI…)
            }
        }
        if data.starts(with: Array("HWP Document File".utf8)) { return .hwp3 }
        if data.starts(with: Array("{\\rtf".utf8)) { return .rtf }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47]) || data.starts(with: [0xFF, 0xD8, 0xFF])
            || data.starts(with: Array("GIF8".utf8)) || data.starts(with: [0x49, 0x49, 0x2A, 0x00])
            || data.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) || data.starts(with: Array("BM".utf8)) && ext == "bmp"
            || (data.starts(with: Array("RIFF".utf8)) && data.count > 12 && data[data.startIndex + 8] == 0x57) { return .image }
        let text = String(decoding: head.prefix(512), as: UTF8.self).lowercased()
            .trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}")))
        if text.hasPrefix("<!doctype html") || text.hasPrefix("<html") || text.contains("<head") || text.contains("<body") {
            return .html
        }
        switch ext {
        case "txt", "csv", "tsv", "json", "md", "xml": return .text
        default:
            // No NUL byte in the first KiB: text of some kind (a listing, a CSV without its
            // extension), read as text rather than refused.
            return head.contains(0) ? .unknown : .text
        }
    }

    /// A first guess from the local headers at the start of a ZIP (ODF and HWPX store their
    /// `mimetype` first, uncompressed); the worker confirms it from the directory.
    static func zipGuess(_ probe: Data, ext: String) -> DocumentFormat {
        if probe.range(of: Data("application/hwp+zip".utf8)) != nil { return .hwpx }
        if probe.range(of: Data("application/vnd.oasis.opendocument.text".utf8)) != nil { return .odt }
        if probe.range(of: Data("application/vnd.oasis.opendocument.spreadsheet".utf8)) != nil { return .ods }
        if probe.range(of: Data("application/vnd.oasis.opendocument.presentation".utf8)) != nil { return .odp }
        if probe.range(of: Data("word/".utf8)) != nil { return .docx }
        if probe.range(of: Data("xl/".utf8)) != nil { return .xlsx }
        if probe.range(of: Data("ppt/".utf8)) != nil { return .pptx }
        switch ext {
        case "hwpx": return .hwpx
        case "docx", "docm", "dotx": return .docx
        case "xlsx", "xlsm": return .xlsx
        case "pptx", "pptm", "ppsx": return .pptx
        case "odt": return .odt
        case "ods": return .ods
        case "odp": return .odp
        default: return .zip
        }
    }

    /// The media type a record shows for a file: its sniffed format's, with the finer
    /// distinctions a media type carries (which image, CSV or plain text, a gzip stream).
    public static func mediaType(of data: Data, filename: String?) -> String {
        let ext = filename.map { ($0 as NSString).pathExtension.lowercased() } ?? ""
        let format = sniff(data, filename: filename)
        switch format {
        case .image:
            if data.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
            if data.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
            if data.starts(with: Array("GIF8".utf8)) { return "image/gif" }
            if data.starts(with: Array("RIFF".utf8)) { return "image/webp" }
            if data.starts(with: Array("BM".utf8)) { return "image/bmp" }
            return "image/tiff"
        case .text:
            // A file named .pdf that is no PDF stays opaque, so its error says so.
            if ext == "pdf" { return "application/octet-stream" }
            if String(decoding: data.prefix(64), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("<?xml") {
                return "application/xml"
            }
            switch ext {
            case "csv": return "text/csv"
            case "json": return "application/json"
            default: return "text/plain"
            }
        case .unknown:
            if data.starts(with: [0x1F, 0x8B]) { return "application/gzip" }
            if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return "application/x-ole-storage" }
            return "application/octet-stream"
        default:
            return format.mediaType
        }
    }

    /// What a format is, in words, for messages.
    public static func describe(_ format: DocumentFormat) -> String {
        switch format {
        case .hwp3: return "an HWP 3.x document (the pre-2002 Hancom format)"
        case .doc: return "a legacy binary Word document (.doc)"
        case .xls: return "a legacy binary Excel workbook (.xls)"
        case .ppt: return "a legacy binary PowerPoint presentation (.ppt)"
        case .encryptedOffice: return "a password-protected Office document"
        case .image: return "an image (it has no text layer, and OCR is off)"
        case .html: return "an HTML page"
        case .unknown: return "a file of unknown type"
        default: return "a \(format.rawValue.uppercased()) file"
        }
    }
}
