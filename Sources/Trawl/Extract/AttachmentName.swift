import Foundation
import TrawlHTTP

/// A display name for an attachment. Names come from untrusted pages, so they are cleaned
/// for display and are never used as paths (output files are named by id).
enum AttachmentName {
    static func make(url: URL, linkText: String) -> String? {
        let text = clean(linkText)
        // Download endpoints hide the name; the link text usually shows it ("보도자료.pdf").
        if let named = fromLinkText(linkText) { return named }
        let last = url.lastPathComponent
        guard !last.isEmpty, last != "/" else { return text }
        return clean(last.removingPercentEncoding ?? last)
    }

    /// The name a server gives in `Content-Disposition`, cleaned for display.
    static func fromContentDisposition(_ header: String) -> String? {
        ContentDisposition.filename(header).flatMap(clean)
    }

    /// The link text, if it reads as a file name (`보도자료.pdf`).
    static func fromLinkText(_ linkText: String) -> String? {
        guard let text = clean(linkText), text.count <= 255, !(text as NSString).pathExtension.isEmpty,
              text.range(of: #"\.[A-Za-z0-9]{2,5}$"#, options: .regularExpression) != nil else { return nil }
        return text
    }

    /// Drops path separators and control characters; nil if nothing is left.
    static func clean(_ s: String) -> String? {
        let kept = s.unicodeScalars.filter { $0.value >= 0x20 && $0 != "/" && $0 != "\\" && $0.value != 0x7F }
        let out = String(String.UnicodeScalarView(kept)).trimmingCharacters(in: .whitespaces)
        return out.isEmpty || out == "." || out == ".." ? nil : out
    }
}
