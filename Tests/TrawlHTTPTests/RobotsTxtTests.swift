import Foundation
import Testing
@testable import TrawlHTTP

/// Google's robots.txt suite (`robots_test.cc` in google/robotstxt, the reference behind
/// RFC 9309), transcribed as inputs and expected verdicts. Cases named `ID_…` there test the
/// RFC and must all hold; `GoogleOnly_…` cases are Google's own choices, each decided below.
private func allowed(_ robots: String, _ agent: String, _ url: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard let u = URL(string: url) else {
        Issue.record("not a URL: \(url)", sourceLocation: sourceLocation)
        return false
    }
    return RobotsTxt(data: Data(robots.utf8), agent: agent).allows(u)
}

private func allowed(bytes: [UInt8], _ agent: String, _ url: String) -> Bool {
    RobotsTxt(data: Data(bytes), agent: agent).allows(URL(string: url)!)
}

@Suite struct RobotsRFC9309Tests {
    @Test func lineSyntax() {
        let correct = "user-agent: FooBot\ndisallow: /\n"
        let incorrect = "foo: FooBot\nbar: /\n"
        let url = "http://foo.bar/x/y"
        #expect(!allowed(correct, "FooBot", url))
        #expect(allowed(incorrect, "FooBot", url), "unknown names are no rules")
    }

    @Test func groups() {
        let robots = """
            allow: /foo/bar/

            user-agent: FooBot
            disallow: /
            allow: /x/
            user-agent: BarBot
            disallow: /
            allow: /y/


            allow: /w/
            user-agent: BazBot

            user-agent: FooBot
            allow: /z/
            disallow: /

            """
        #expect(allowed(robots, "FooBot", "http://foo.bar/x/b"))
        #expect(allowed(robots, "FooBot", "http://foo.bar/z/d"))
        #expect(!allowed(robots, "FooBot", "http://foo.bar/y/c"))
        #expect(allowed(robots, "BarBot", "http://foo.bar/y/c"))
        #expect(allowed(robots, "BarBot", "http://foo.bar/w/a"))
        #expect(!allowed(robots, "BarBot", "http://foo.bar/z/d"))
        #expect(allowed(robots, "BazBot", "http://foo.bar/z/d"))
        // Rules outside any group are ignored.
        #expect(!allowed(robots, "FooBot", "http://foo.bar/foo/bar/"))
        #expect(!allowed(robots, "BarBot", "http://foo.bar/foo/bar/"))
        #expect(!allowed(robots, "BazBot", "http://foo.bar/foo/bar/"))
    }

    @Test func otherLinesDoNotCloseAGroup() {
        let sitemap = "User-agent: BarBot\nSitemap: https://foo.bar/sitemap\nUser-agent: *\nDisallow: /\n"
        #expect(!allowed(sitemap, "FooBot", "http://foo.bar/"))
        #expect(!allowed(sitemap, "BarBot", "http://foo.bar/"))
        let unknown = "User-agent: FooBot\nInvalid-Unknown-Line: unknown\nUser-agent: *\nDisallow: /\n"
        #expect(!allowed(unknown, "FooBot", "http://foo.bar/"))
        #expect(!allowed(unknown, "BarBot", "http://foo.bar/"))
    }

    @Test func lineNamesAreCaseInsensitive() {
        for robots in ["USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n", "user-agent: FooBot\nallow: /x/\ndisallow: /\n",
                       "uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n"] {
            #expect(allowed(robots, "FooBot", "http://foo.bar/x/y"), "\(robots)")
            #expect(!allowed(robots, "FooBot", "http://foo.bar/a/b"), "\(robots)")
        }
    }

    @Test func productTokens() {
        #expect(RobotsTxt.productToken("Foobot") == "foobot")
        #expect(RobotsTxt.productToken("Foobot-Bar") == "foobot-bar")
        #expect(RobotsTxt.productToken("Foo_Bar") == "foo_bar")
        #expect(RobotsTxt.productToken("Trawl/0.4 (+https://trawl.invalid/bot)") == "trawl")
        #expect(RobotsTxt.productToken("ツ") == "")
    }

    @Test func userAgentValuesAreCaseInsensitiveProductTokens() {
        for robots in ["User-Agent: FOO BAR\nAllow: /x/\nDisallow: /\n", "User-Agent: foo bar\nAllow: /x/\nDisallow: /\n",
                       "User-Agent: FoO bAr\nAllow: /x/\nDisallow: /\n"] {
            for agent in ["Foo", "foo"] {
                #expect(allowed(robots, agent, "http://foo.bar/x/y"), "\(agent) in \(robots)")
                #expect(!allowed(robots, agent, "http://foo.bar/a/b"), "\(agent) in \(robots)")
            }
        }
        // A product token is matched whole, not as a prefix of another.
        #expect(allowed("User-agent: FooBot\nDisallow: /\n", "Foo", "http://foo.bar/x"))
        #expect(allowed("User-agent: Foo\nDisallow: /\n", "FooBot", "http://foo.bar/x"))
    }

    @Test func starGroupsWhenNoGroupNamesTheAgent() {
        let global = "user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n"
        let onlySpecific = "user-agent: FooBot\nallow: /\nuser-agent: BarBot\ndisallow: /\nuser-agent: BazBot\ndisallow: /\n"
        #expect(allowed("", "FooBot", "http://foo.bar/x/y"))
        #expect(!allowed(global, "FooBot", "http://foo.bar/x/y"))
        #expect(allowed(global, "BarBot", "http://foo.bar/x/y"))
        #expect(allowed(onlySpecific, "QuxBot", "http://foo.bar/x/y"))
    }

    @Test func rulesAreCaseSensitive() {
        #expect(!allowed("user-agent: FooBot\ndisallow: /x/\n", "FooBot", "http://foo.bar/x/y"))
        #expect(allowed("user-agent: FooBot\ndisallow: /X/\n", "FooBot", "http://foo.bar/x/y"))
    }

    @Test func longestMatchWins() {
        let url = "http://foo.bar/x/page.html"
        #expect(!allowed("user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/\n", "FooBot", url))
        let allowPage = "user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n"
        #expect(allowed(allowPage, "FooBot", url))
        #expect(!allowed(allowPage, "FooBot", "http://foo.bar/x/"))
        // Equivalent allow and disallow: allow.
        #expect(allowed("user-agent: FooBot\ndisallow: \nallow: \n", "FooBot", url))
        #expect(allowed("user-agent: FooBot\ndisallow: /\nallow: /\n", "FooBot", url))
        let slash = "user-agent: FooBot\ndisallow: /x\nallow: /x/\n"
        #expect(!allowed(slash, "FooBot", "http://foo.bar/x"))
        #expect(allowed(slash, "FooBot", "http://foo.bar/x/"))
        #expect(allowed("user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/page.html\n", "FooBot", url))
        let html = "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n"
        #expect(!allowed(html, "FooBot", "http://foo.bar/page.html"))
        #expect(allowed(html, "FooBot", "http://foo.bar/page"))
        let dot = "user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n"
        #expect(allowed(dot, "FooBot", url))
        #expect(!allowed(dot, "FooBot", "http://foo.bar/x/y.html"))
        let specific = "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n"
        #expect(allowed(specific, "FooBot", "http://foo.bar/x/page"))
        #expect(!allowed(specific, "FooBot", "http://foo.bar/y/page"))
    }

    @Test func pathsComparePercentEncoded() {
        #expect(allowed("User-agent: FooBot\nDisallow: /\nAllow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n", "FooBot",
                        "http://foo.bar/foo/bar?qux=taz&baz=http://foo.bar?tar&par"))
        let raw = "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n"
        #expect(allowed(raw, "FooBot", "http://foo.bar/foo/bar/%E3%83%84"))
        let encoded = "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n"
        #expect(allowed(encoded, "FooBot", "http://foo.bar/foo/bar/%E3%83%84"))
        // Escapes of unreserved characters are not decoded.
        let unreserved = "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n"
        #expect(!allowed(unreserved, "FooBot", "http://foo.bar/foo/bar/baz"))
        #expect(allowed(unreserved, "FooBot", "http://foo.bar/foo/bar/%62%61%7A"))
        // The issue's Korean case, and escapes in either case of hex digits.
        let korean = "User-agent: *\nDisallow: /게시판/\n"
        #expect(!allowed(korean, "Trawl", "http://foo.bar/%EA%B2%8C%EC%8B%9C%ED%8C%90/list.do"))
        #expect(!allowed(korean, "Trawl", "http://foo.bar/%ea%b2%8c%ec%8b%9c%ed%8c%90/list.do"))
        #expect(!allowed("User-agent: *\nDisallow: /a%aa\n", "Trawl", "http://foo.bar/a%AAb"))
        #expect(RobotsTxt.normalized("á") == "%C3%A1")
        #expect(RobotsTxt.normalized("%aa") == "%AA")
        #expect(RobotsTxt.normalized("http://www.example.com") == "http://www.example.com")
    }

    @Test func specialCharacters() {
        let star = "User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n"
        #expect(!allowed(star, "FooBot", "http://foo.bar/foo/bar/quz"))
        #expect(allowed(star, "FooBot", "http://foo.bar/foo/quz"))
        #expect(allowed(star, "FooBot", "http://foo.bar/foo//quz"))
        #expect(allowed(star, "FooBot", "http://foo.bar/foo/bax/quz"))
        let dollar = "User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n"
        #expect(!allowed(dollar, "FooBot", "http://foo.bar/foo/bar"))
        #expect(allowed(dollar, "FooBot", "http://foo.bar/foo/bar/qux"))
        #expect(allowed(dollar, "FooBot", "http://foo.bar/foo/bar/"))
        #expect(allowed(dollar, "FooBot", "http://foo.bar/foo/bar/baz"))
        let comment = "User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n"
        #expect(allowed(comment, "FooBot", "http://foo.bar/foo/bar"))
        #expect(!allowed(comment, "FooBot", "http://foo.bar/foo/quz"))
    }

    @Test func everyLineEnding() {
        for eol in ["\n", "\r\n", "\r"] {
            let robots = ["User-Agent: foo", "Allow: /some/path", "User-Agent: bar", "", "", "Disallow: /"].joined(separator: eol)
            #expect(!allowed(robots, "bar", "http://foo.bar/x"), "line ending \(Array(eol.unicodeScalars))")
            #expect(allowed(robots, "foo", "http://foo.bar/x"))
        }
        let mixed = "User-Agent: foo\nAllow: /some/path\r\nUser-Agent: bar\n\r\n\nDisallow: /"
        #expect(!allowed(mixed, "bar", "http://foo.bar/x"))
    }

    @Test func byteOrderMarksAreSkipped() {
        let body = Array("User-Agent: foo\nDisallow: /AnyValue\n".utf8)
        for bom: [UInt8] in [[0xEF, 0xBB, 0xBF], [0xEF, 0xBB], [0xEF]] {
            #expect(!allowed(bytes: bom + body, "foo", "http://foo.bar/AnyValue"), "BOM \(bom)")
        }
        // A broken mark makes the first line garbage, and its group is gone.
        #expect(allowed(bytes: [0xEF, 0x11, 0xBF] + body, "foo", "http://foo.bar/AnyValue"))
        // A mark is only skipped at the start: mid-file it spoils its line.
        let middle = Array("User-Agent: foo\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("Disallow: /AnyValue\n".utf8)
        #expect(allowed(bytes: middle, "foo", "http://foo.bar/AnyValue"))
    }

    @Test func googleDocumentationExamples() {
        let fish = "user-agent: FooBot\ndisallow: /\nallow: /fish\n"
        for (url, ok) in [("/bar", false), ("/fish", true), ("/fish.html", true), ("/fish/salmon.html", true), ("/fishheads", true),
                          ("/fishheads/yummy.html", true), ("/fish.html?id=anything", true), ("/Fish.asp", false), ("/catfish", false),
                          ("/?id=fish", false)] {
            #expect(allowed(fish, "FooBot", "http://foo.bar" + url) == ok, "/fish: \(url)")
            #expect(allowed("user-agent: FooBot\ndisallow: /\nallow: /fish*\n", "FooBot", "http://foo.bar" + url) == ok, "/fish*: \(url)")
        }
        let dir = "user-agent: FooBot\ndisallow: /\nallow: /fish/\n"
        for (url, ok) in [("/bar", false), ("/fish/", true), ("/fish/salmon", true), ("/fish/?salmon", true), ("/fish/salmon.html", true),
                          ("/fish/?id=anything", true), ("/fish", false), ("/fish.html", false), ("/Fish/Salmon.html", false)] {
            #expect(allowed(dir, "FooBot", "http://foo.bar" + url) == ok, "/fish/: \(url)")
        }
        let php = "user-agent: FooBot\ndisallow: /\nallow: /*.php\n"
        for (url, ok) in [("/bar", false), ("/filename.php", true), ("/folder/filename.php", true), ("/folder/filename.php?parameters", true),
                          ("//folder/any.php.file.html", true), ("/filename.php/", true), ("/index?f=filename.php/", true), ("/php/", false),
                          ("/index?php", false), ("/windows.PHP", false)] {
            #expect(allowed(php, "FooBot", "http://foo.bar" + url) == ok, "/*.php: \(url)")
        }
        let phpEnd = "user-agent: FooBot\ndisallow: /\nallow: /*.php$\n"
        for (url, ok) in [("/bar", false), ("/filename.php", true), ("/folder/filename.php", true), ("/filename.php?parameters", false),
                          ("/filename.php/", false), ("/filename.php5", false), ("/php/", false), ("/filename?php", false),
                          ("/aaaphpaaa", false), ("//windows.PHP", false)] {
            #expect(allowed(phpEnd, "FooBot", "http://foo.bar" + url) == ok, "/*.php$: \(url)")
        }
        let fishPHP = "user-agent: FooBot\ndisallow: /\nallow: /fish*.php\n"
        for (url, ok) in [("/bar", false), ("/fish.php", true), ("/fishheads/catfish.php?parameters", true), ("/Fish.PHP", false)] {
            #expect(allowed(fishPHP, "FooBot", "http://foo.bar" + url) == ok, "/fish*.php: \(url)")
        }
        #expect(allowed("user-agent: FooBot\nallow: /p\ndisallow: /\n", "FooBot", "http://example.com/page"))
        #expect(allowed("user-agent: FooBot\nallow: /folder\ndisallow: /folder\n", "FooBot", "http://example.com/folder/page"))
        #expect(!allowed("user-agent: FooBot\nallow: /page\ndisallow: /*.htm\n", "FooBot", "http://example.com/page.htm"))
        let root = "user-agent: FooBot\nallow: /$\ndisallow: /\n"
        #expect(allowed(root, "FooBot", "http://example.com/"))
        #expect(!allowed(root, "FooBot", "http://example.com/page.html"))
    }

    @Test func robotsTxtItselfIsAlwaysAllowed() {
        #expect(allowed("User-agent: *\nDisallow: /\n", "Trawl", "http://foo.bar/robots.txt"))
        #expect(!RobotsTxt.disallowAll.allows(URL(string: "https://x.example/a")!))
        #expect(RobotsTxt.allowAll.allows(URL(string: "https://x.example/a")!))
    }
}

/// Google's own choices, each with Trawl's verdict.
@Suite struct RobotsGoogleOnlyTests {
    /// Adopted: `disallow /` without the colon is obeyed. Reading it can only fetch less.
    @Test func aMissingColonIsAssumed() {
        #expect(!allowed("user-agent FooBot\ndisallow /\n", "FooBot", "http://foo.bar/x/y"))
    }

    /// Adopted for robots.txt lines (`User-Agent: Foo Bar` is the group of `Foo`). Differs for
    /// the crawler's own name: Google's matcher, given the name `Foo Bar`, matches no group;
    /// Trawl reduces its configured `robots_agent` to the product token first, so `Foo Bar`
    /// obeys the `Foo` group, which is what its operator meant.
    @Test func userAgentValuesUpToTheFirstSpace() {
        let robots = "User-Agent: *\nDisallow: /\nUser-Agent: Foo Bar\nAllow: /x/\nDisallow: /\n"
        #expect(allowed(robots, "Foo", "http://foo.bar/x/y"))
        #expect(allowed(robots, "Foo Bar", "http://foo.bar/x/y"), "Google: disallowed")
    }

    /// Not adopted: Google reads `Allow: /dir/index.html` as allowing `/dir/` too. The RFC does
    /// not, and Trawl keeps to the rule as written (it fetches less).
    @Test func indexHTMLIsNotADirectory() {
        let robots = "User-Agent: *\nAllow: /allowed-slash/index.html\nDisallow: /\n"
        #expect(!allowed(robots, "foobot", "http://foo.com/allowed-slash/"), "Google: allowed")
        #expect(!allowed(robots, "foobot", "http://foo.com/allowed-slash/index.htm"))
        #expect(allowed(robots, "foobot", "http://foo.com/allowed-slash/index.html"))
        #expect(!allowed(robots, "foobot", "http://foo.com/anyother-url"))
    }

    /// Not adopted: Google cuts lines after 16,664 bytes, so a cut rule matches more paths. Trawl
    /// reads whole lines (the file itself is capped at 512 KiB, above the RFC's 500 KiB minimum).
    @Test func longLinesAreReadWhole() {
        let long = "/x/" + String(repeating: "a", count: 2083 * 8)
        let robots = "user-agent: FooBot\ndisallow: \(long)/qux\n"
        #expect(allowed(robots, "FooBot", "http://foo.bar/fux"))
        #expect(allowed(robots, "FooBot", "http://foo.bar\(long)/fux"), "Google: disallowed (the rule cut short)")
        #expect(!allowed(robots, "FooBot", "http://foo.bar\(long)/qux"))
    }

    /// Differs: Google expects its caller to percent-encode URLs and so treats a raw `ツ` in a
    /// URL as different bytes. Trawl always fetches the encoded URL (what the server sees), so
    /// the two spellings are one URL, as RFC 9309 §2.2.2 compares them.
    @Test func rawNonASCIIURLsAreEncodedFirst() {
        let robots = "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n"
        #expect(allowed(robots, "FooBot", "http://foo.bar/foo/bar/ツ"), "Google: disallowed")
    }

    /// Not applicable: Google's system test feeds empty agents and empty URLs; Trawl always has
    /// a product token and an absolute URL. An empty file allows everything, as there.
    @Test func emptyFileAllowsEverything() {
        #expect(allowed("", "FooBot", "http://foo.bar/"))
    }
}
