import Foundation

/// Maps a site's URLs to the files of its mirror on disk, the way `wget --mirror` names them:
/// `https://host/a/b.do?x=1` is `ROOT/a/b.do?x=1` (or `b.do@x=1` with
/// `--restrict-file-names=windows`, or with `.html` added by `--adjust-extension`), and a
/// directory URL is its `index.html`. Only URLs on the mirrored host map; nothing maps outside
/// the root.
public struct MirrorLayout: Sendable {
    public let root: URL
    public let baseURL: URL

    public init(root: URL, baseURL: URL) {
        self.root = root.standardizedFileURL
        self.baseURL = baseURL
    }

    public enum Resolution: Equatable, Sendable {
        case file(URL)
        /// The URL is on another host or scheme: not part of this mirror.
        case offSite
        /// On the mirrored host, but the mirror has no file for it.
        case missing(tried: [String])
    }

    public func resolve(_ url: URL) -> Resolution {
        guard let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host?.lowercased() == baseURL.host?.lowercased(),
              (url.port ?? defaultPort(scheme)) == (baseURL.port ?? defaultPort(baseURL.scheme?.lowercased() ?? "https"))
        else { return .offSite }
        var path = url.path(percentEncoded: false)
        if path.isEmpty || path.hasSuffix("/") { path += "index.html" }
        let relative = path.split(separator: "/", omittingEmptySubsequences: true)
        // No component may climb out of the root.
        guard !relative.contains(where: { $0 == ".." || $0 == "." }) else { return .missing(tried: []) }
        let relPath = relative.joined(separator: "/")
        var candidates: [String] = []
        if let query = url.query(percentEncoded: false) ?? url.query, !query.isEmpty {
            candidates += ["\(relPath)?\(query)", "\(relPath)?\(query).html", "\(relPath)@\(query)", "\(relPath)@\(query).html"]
        } else {
            candidates += [relPath, "\(relPath).html", "\(relPath)/index.html"]
        }
        for c in candidates {
            let file = root.appendingPathComponent(c).standardizedFileURL
            guard file.path.hasPrefix(root.path + "/") else { continue }
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDir), !isDir.boolValue {
                return .file(file)
            }
        }
        return .missing(tried: candidates)
    }

    private func defaultPort(_ scheme: String) -> Int { scheme == "http" ? 80 : 443 }
}
