import Foundation
import TrawlDocuments

/// The media type a record shows for a file. The format comes from `FormatSniffer` (bytes
/// first, then the name), the one place that tells formats apart; this only names it, with
/// the finer distinctions a media type carries (which image, CSV or plain text).
public enum MediaSniffer {
    public static func mediaType(of data: Data, filename: String?) -> String {
        let ext = filename.map { ($0 as NSString).pathExtension.lowercased() } ?? ""
        let format = FormatSniffer.sniff(data, filename: filename)
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
}
