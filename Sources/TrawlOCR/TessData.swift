import Foundation

/// Where Tesseract's language data is, checked once at startup so that a machine without a
/// configured language fails with one configuration error, not with an error on every page.
public enum TessData {
    public struct Missing: Error, CustomStringConvertible, Sendable {
        public let languages: [String]
        public let searched: [String]
        public var description: String {
            let list = languages.map { "\($0).traineddata" }.joined(separator: ", ")
            let package = languages.map { "tesseract-ocr-\($0)" }.joined(separator: " ")
            return "OCR language data missing: \(list) not found in \(searched.joined(separator: ", ")) (install \(package), set ocr.tessdata, or set ocr.mode to \"off\")"
        }
    }

    /// Folders searched, in order: the configured one, `TESSDATA_PREFIX` (as the folder or
    /// its `tessdata` child), Debian's and the upstream default.
    public static func candidates(configured: String?) -> [String] {
        var out: [String] = []
        if let configured { out.append(configured) }
        if let prefix = ProcessInfo.processInfo.environment["TESSDATA_PREFIX"], !prefix.isEmpty {
            out += [prefix, (prefix as NSString).appendingPathComponent("tessdata")]
        }
        out += ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata", "/usr/local/share/tessdata"]
        return out
    }

    /// The first folder that holds every language, or `Missing` naming what is absent.
    public static func locate(languages: [String], configured: String?) throws -> String {
        let folders = configured != nil ? [configured!] : candidates(configured: nil)
        for folder in folders where languages.allSatisfy({ FileManager.default.isReadableFile(atPath: "\(folder)/\($0).traineddata") }) {
            return folder
        }
        let missing = languages.filter { lang in !folders.contains { FileManager.default.isReadableFile(atPath: "\($0)/\(lang).traineddata") } }
        throw Missing(languages: missing.isEmpty ? languages : missing, searched: folders)
    }
}
