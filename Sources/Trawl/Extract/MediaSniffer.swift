import Foundation

/// Tells a file's real type from its first bytes, falling back to its name's extension:
/// download endpoints say nothing about what they serve, and names lie.
public enum MediaSniffer {
    public static func mediaType(of data: Data, filename: String?) -> String {
        let ext = filename.map { ($0 as NSString).pathExtension.lowercased() } ?? ""
        let head = data.prefix(1024)
        if head.range(of: Data("%PDF-".utf8)) != nil { return "application/pdf" }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            // ZIP containers: OOXML, ODF and HWPX name themselves in the first entries.
            let probe = data.prefix(4096)
            if probe.range(of: Data("application/hwp+zip".utf8)) != nil || ext == "hwpx" { return "application/hwp+zip" }
            if probe.range(of: Data("word/".utf8)) != nil || ext == "docx" {
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            if probe.range(of: Data("xl/".utf8)) != nil || ext == "xlsx" {
                return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            if probe.range(of: Data("ppt/".utf8)) != nil || ext == "pptx" {
                return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            return "application/zip"
        }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            switch ext {  // OLE compound files: HWP 5, legacy Office
            case "hwp": return "application/x-hwp"
            case "doc": return "application/msword"
            case "xls": return "application/vnd.ms-excel"
            case "ppt": return "application/vnd.ms-powerpoint"
            default: return "application/x-ole-storage"
            }
        }
        if data.starts(with: Array("HWP Document File".utf8)) { return "application/x-hwp" }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if data.starts(with: [0x1F, 0x8B]) { return "application/gzip" }
        let text = String(decoding: head.prefix(512), as: UTF8.self).lowercased()
            .trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}")))
        if text.hasPrefix("<!doctype html") || text.hasPrefix("<html") || text.contains("<head") || text.contains("<body") {
            return "text/html"
        }
        if text.hasPrefix("<?xml") { return "application/xml" }
        switch ext {
        case "txt": return "text/plain"
        case "csv": return "text/csv"
        case "json": return "application/json"
        case "hwp": return "application/x-hwp"
        case "pdf": return "application/octet-stream"  // named .pdf, but the bytes are not a PDF
        default: return head.contains(0) ? "application/octet-stream" : "text/plain"
        }
    }
}
