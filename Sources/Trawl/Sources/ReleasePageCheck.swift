import Foundation
import TrawlHTML

/// Whether a release URL's 200 answer is the release at all. A site that misbehaves answers a
/// release's URL with a sign-in page (after a redirect to `/login`, or in place), with its
/// home page, or with a "not found" page served as 200. Taking such a page as a new version
/// would overwrite the record with "Sign in" (and make every such record a duplicate of the
/// others); it is an error for that release in that run instead, and the record stays.
/// The rules are about what such pages are everywhere, never about one site.
enum ReleasePageCheck {
    /// Words that name a sign-in step in a path segment or a query key.
    static let signInWords: Set<String> = ["login", "log-in", "log_in", "signin", "sign-in", "sign_in", "logon", "auth", "sso",
                                           "cas", "authenticate", "returnurl", "return_url", "returnto", "return_to", "redirect_uri",
                                           "로그인"]
    /// Phrases error pages lead with (title or first line), in the languages harvested most.
    static let errorPhrases = ["not found", "404", "does not exist", "doesn't exist", "no longer available", "has been removed",
                               "has been deleted", "an error occurred", "error occurred", "access denied", "forbidden",
                               "찾을 수 없", "존재하지 않", "삭제되었", "삭제된 게시물", "잘못된 접근", "오류가 발생", "권한이 없",
                               "見つかりません", "存在しません", "找不到", "不存在"]
    /// An error or sign-in page says little; a release whose title happens to contain "404"
    /// has a body.
    static let shortText = 400

    /// nil when the page may be the release; otherwise the error kind and the reason.
    static func problem(requested: URL, final: URL, page: ScrapedPage, bytes: Data) -> (kind: String, reason: String)? {
        if final.path != requested.path || final.host != requested.host {
            let segments = final.path.lowercased().split(separator: "/").map(String.init)
            let keys = URLComponents(url: final, resolvingAgainstBaseURL: false)?.queryItems?.map { $0.name.lowercased() } ?? []
            if segments.contains(where: { segment in signInWords.contains { segment == $0 || segment.hasPrefix($0 + ".") } })
                || keys.contains(where: signInWords.contains) {
                return ("redirected_away", "redirected to a sign-in page (\(final.absoluteString)), not the release")
            }
            let home = segments.isEmpty || (segments.count == 1 && ["index", "main", "home", "default"].contains { segments[0].hasPrefix($0 + ".") || segments[0] == $0 })
            if home, !requested.path.split(separator: "/").isEmpty {
                return ("redirected_away", "redirected to the site's home page (\(final.absoluteString)), not the release")
            }
        }
        let text = page.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count < shortText else { return nil }
        let lead = ((page.title ?? "") + "\n" + (text.split(separator: "\n").first.map(String.init) ?? "")).lowercased()
        if let phrase = errorPhrases.first(where: { lead.contains($0) }) {
            return ("error_page", "answered 200 with what reads as an error page ('\(phrase)'), not the release")
        }
        if containsPasswordField(bytes) {
            return ("error_page", "answered 200 with a sign-in form, not the release")
        }
        return nil
    }

    /// `<input … type="password" …>`, in any case and quoting.
    static func containsPasswordField(_ bytes: Data) -> Bool {
        let lower = String(decoding: bytes.prefix(1 << 20), as: UTF8.self).lowercased()
        return lower.contains("type=\"password\"") || lower.contains("type='password'") || lower.contains("type=password")
    }
}
