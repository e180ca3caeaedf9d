import Foundation
import Testing
@testable import TrawlHTTP

/// The greenbytes tc2231 cases (Julian Reschke's Content-Disposition test page), transcribed as
/// header and expected file name; nil where a browser should take no name from the header.
/// Where Trawl deliberately differs, `trawl` holds its answer and `why` the reason.
/// Raw ISO-8859-1 bytes in a header cannot reach Trawl: the HTTP stack (swift-nio's
/// `HTTPHeaders`, through AsyncHTTPClient) decodes header values as UTF-8 and keeps the raw
/// bytes only internally, so those cases are given here as the decoded text.
struct TC2231Case: Sendable, CustomTestStringConvertible {
    var id: String
    var header: String
    var expected: String?
    var trawl: String?? = .none
    var why: String = ""

    var answer: String? { trawl ?? expected }
    var testDescription: String { id }
}

let tc2231: [TC2231Case] = [
    .init(id: "inlonly", header: "inline", expected: nil),
    .init(id: "inlonlyquoted", header: "\"inline\"", expected: nil),
    .init(id: "inlwithasciifilename", header: "inline; filename=\"foo.html\"", expected: "foo.html"),
    .init(id: "inlwithfnattach", header: "inline; filename=\"Not an attachment!\"", expected: "Not an attachment!"),
    .init(id: "inlwithasciifilenamepdf", header: "inline; filename=\"foo.pdf\"", expected: "foo.pdf"),
    .init(id: "attonly", header: "attachment", expected: nil),
    .init(id: "attonlyquoted", header: "\"attachment\"", expected: nil),
    .init(id: "attonlyucase", header: "ATTACHMENT", expected: nil),
    .init(id: "attwithasciifilename", header: "attachment; filename=\"foo.html\"", expected: "foo.html"),
    .init(id: "attwithasciifilename25", header: "attachment; filename=\"0000000000111111111122222\"", expected: "0000000000111111111122222"),
    .init(id: "attwithasciifilename35", header: "attachment; filename=\"00000000001111111111222222222233333\"",
          expected: "00000000001111111111222222222233333"),
    .init(id: "attwithasciifnescapedchar", header: #"attachment; filename="f\oo.html""#, expected: "foo.html"),
    .init(id: "attwithasciifnescapedquote", header: #"attachment; filename="\"quoting\" tested.html""#, expected: "\"quoting\" tested.html"),
    .init(id: "attwithquotedsemicolon", header: "attachment; filename=\"Here's a semicolon;.html\"", expected: "Here's a semicolon;.html"),
    .init(id: "attwithfilenameandextparam", header: "attachment; foo=\"bar\"; filename=\"foo.html\"", expected: "foo.html"),
    .init(id: "attwithfilenameandextparamescaped", header: #"attachment; foo="\"\\";filename="foo.html""#, expected: "foo.html"),
    .init(id: "attwithasciifilenameucase", header: "attachment; FILENAME=\"foo.html\"", expected: "foo.html"),
    .init(id: "attwithasciifilenamenq", header: "attachment; filename=foo.html", expected: "foo.html"),
    .init(id: "attwithtokfncommanq", header: "attachment; filename=foo,bar.html", expected: nil),
    .init(id: "attwithasciifilenamenqs", header: "attachment; filename=foo.html ;", expected: nil, trawl: "foo.html",
          why: "a trailing `;` adds an empty parameter, not a second name"),
    .init(id: "attemptyparam", header: "attachment; ;filename=foo", expected: nil, trawl: "foo",
          why: "an empty parameter hides nothing; the name is unambiguous"),
    .init(id: "attwithasciifilenamenqws", header: "attachment; filename=foo bar.html", expected: nil, trawl: "foo bar.html",
          why: "servlets send names with spaces unquoted; no `=` or `,` follows, so it is no parameter syntax"),
    .init(id: "attwithfntokensq", header: "attachment; filename='foo.html'", expected: "'foo.html'"),
    .init(id: "attwithisofnplain", header: "attachment; filename=\"foo-ä.html\"", expected: "foo-ä.html"),
    .init(id: "attwithutf8fnplain", header: "attachment; filename=\"foo-Ã¤.html\"", expected: "foo-Ã¤.html"),
    .init(id: "attwithfnrawpctenca", header: "attachment; filename=\"foo-%41.html\"", expected: "foo-%41.html"),
    .init(id: "attwithfnusingpct", header: "attachment; filename=\"50%.html\"", expected: "50%.html"),
    .init(id: "attwithfnrawpctencaq", header: #"attachment; filename="foo-%\41.html""#, expected: "foo-%41.html"),
    .init(id: "attwithnamepct", header: "attachment; name=\"foo-%41.html\"", expected: nil),
    .init(id: "attwithfilenamepctandiso", header: "attachment; filename=\"ä-%41.html\"", expected: "ä-%41.html"),
    .init(id: "attwithfnrawpctenclong", header: "attachment; filename=\"foo-%c3%a4-%e2%82%ac.html\"", expected: "foo-%c3%a4-%e2%82%ac.html",
          trawl: "foo-ä-€.html", why: "Korean download servlets percent-encode UTF-8 or CP949 names in the plain parameter (as Chrome reads them)"),
    .init(id: "attwithasciifilenamews1", header: "attachment; filename =\"foo.html\"", expected: "foo.html"),
    .init(id: "attwith2filenames", header: "attachment; filename=\"foo.html\"; filename=\"bar.html\"", expected: nil, trawl: "foo.html",
          why: "the first wins, as in Chrome; both are well-formed names"),
    .init(id: "attfnbrokentoken", header: "attachment; filename=foo[1](2).html", expected: nil, trawl: "foo[1](2).html",
          why: "browsers accept it and it is a real file name"),
    .init(id: "attfnbrokentokeniso", header: "attachment; filename=foo-ä.html", expected: nil, trawl: "foo-ä.html",
          why: "Korean servers send non-ASCII names bare (`filename=보도자료.hwp`)"),
    .init(id: "attfnbrokentokenutf", header: "attachment; filename=foo-Ã¤.html", expected: nil, trawl: "foo-Ã¤.html",
          why: "as attfnbrokentokeniso"),
    .init(id: "attmissingdisposition", header: "filename=foo.html", expected: nil),
    .init(id: "attmissingdisposition2", header: "x=y; filename=foo.html", expected: nil),
    .init(id: "attmissingdisposition3", header: "\"foo; filename=bar;baz\"; filename=qux", expected: nil),
    .init(id: "attmissingdisposition4", header: "filename=foo.html, filename=bar.html", expected: nil),
    .init(id: "emptydisposition", header: "; filename=foo.html", expected: nil),
    .init(id: "doublecolon", header: ": inline; attachment; filename=foo.html", expected: nil),
    .init(id: "attandinline", header: "inline; attachment; filename=foo.html", expected: nil),
    .init(id: "attandinline2", header: "attachment; inline; filename=foo.html", expected: nil),
    .init(id: "attbrokenquotedfn", header: "attachment; filename=\"foo.html\".txt", expected: nil),
    .init(id: "attbrokenquotedfn2", header: "attachment; filename=\"bar", expected: nil),
    .init(id: "attbrokenquotedfn3", header: "attachment; filename=foo\"bar;baz\"qux", expected: nil),
    .init(id: "attmultinstances", header: "attachment; filename=foo.html, attachment; filename=bar.html", expected: nil),
    .init(id: "attmissingdelim", header: "attachment; foo=foo filename=bar", expected: nil),
    .init(id: "attmissingdelim2", header: "attachment; filename=bar foo=foo", expected: nil),
    .init(id: "attmissingdelim3", header: "attachment filename=bar", expected: nil),
    .init(id: "attreversed", header: "filename=foo.html; attachment", expected: nil),
    .init(id: "attconfusedparam", header: "attachment; xfilename=foo.html", expected: nil),
    .init(id: "attabspath", header: "attachment; filename=\"/foo.html\"", expected: "foo.html", trawl: "/foo.html",
          why: "the parser returns the server's name; Trawl's display cleaning drops `/` (AttachmentName, tested in TrawlTests)"),
    .init(id: "attabspathwin", header: #"attachment; filename="\\foo.html""#, expected: "foo.html", trawl: "\\foo.html",
          why: "as attabspath: the cleaning drops `\\`"),
    .init(id: "attcdate", header: "attachment; creation-date=\"Wed, 12 Feb 1997 16:29:51 -0500\"", expected: nil),
    .init(id: "attmdate", header: "attachment; modification-date=\"Wed, 12 Feb 1997 16:29:51 -0500\"", expected: nil),
    .init(id: "dispext", header: "foobar", expected: nil),
    .init(id: "dispextbadfn", header: "attachment; example=\"filename=example.txt\"", expected: nil),
    .init(id: "attwithisofn2231iso", header: "attachment; filename*=iso-8859-1''foo-%E4.html", expected: "foo-ä.html"),
    .init(id: "attwithfn2231utf8", header: "attachment; filename*=UTF-8''foo-%c3%a4-%e2%82%ac.html", expected: "foo-ä-€.html"),
    .init(id: "attwithfn2231noc", header: "attachment; filename*=''foo-%c3%a4-%e2%82%ac.html", expected: nil, trawl: "foo-ä-€.html",
          why: "without a charset the bytes are read as UTF-8 (else CP949), which recovers the name"),
    .init(id: "attwithfn2231utf8comp", header: "attachment; filename*=UTF-8''foo-a%cc%88.html", expected: "foo-ä.html"),
    .init(id: "attwithfn2231utf8-bad", header: "attachment; filename*=iso-8859-1''foo-%c3%a4-%e2%82%ac.html", expected: "foo-Ã¤-â\u{82}¬.html",
          trawl: "foo-Ã¤-â‚¬.html", why: "ISO-8859-1 is decoded as windows-1252, as the WHATWG Encoding standard labels it"),
    .init(id: "attwithfn2231iso-bad", header: "attachment; filename*=utf-8''foo-%E4.html", expected: nil),
    .init(id: "attwithfn2231ws1", header: "attachment; filename *=UTF-8''foo-%c3%a4.html", expected: nil),
    .init(id: "attwithfn2231ws2", header: "attachment; filename*= UTF-8''foo-%c3%a4.html", expected: "foo-ä.html"),
    .init(id: "attwithfn2231ws3", header: "attachment; filename* =UTF-8''foo-%c3%a4.html", expected: "foo-ä.html"),
    .init(id: "attwithfn2231quot", header: "attachment; filename*=\"UTF-8''foo-%c3%a4.html\"", expected: nil, trawl: "foo-ä.html",
          why: "a quoted ext-value is still unambiguous; browsers read it"),
    .init(id: "attwithfn2231quot2", header: "attachment; filename*=\"foo%20bar.html\"", expected: nil),
    .init(id: "attwithfn2231singleqmissing", header: "attachment; filename*=UTF-8'foo-%c3%a4.html", expected: nil),
    .init(id: "attwithfn2231nbadpct1", header: "attachment; filename*=UTF-8''foo%", expected: nil),
    .init(id: "attwithfn2231nbadpct2", header: "attachment; filename*=UTF-8''f%oo.html", expected: nil),
    .init(id: "attwithfn2231dpct", header: "attachment; filename*=UTF-8''A-%2541.html", expected: "A-%41.html"),
    .init(id: "attwithfn2231abspathdisguised", header: "attachment; filename*=UTF-8''%5cfoo.html", expected: "foo.html", trawl: "\\foo.html",
          why: "as attabspath: the cleaning drops `\\`"),
    .init(id: "attfncont", header: "attachment; filename*0=\"foo.\"; filename*1=\"html\"", expected: "foo.html"),
    .init(id: "attfncontqs", header: #"attachment; filename*0="foo"; filename*1="\b\a\r.html""#, expected: "foobar.html"),
    .init(id: "attfncontenc", header: "attachment; filename*0*=UTF-8''foo-%c3%a4; filename*1=\".html\"", expected: "foo-ä.html"),
    .init(id: "attfncontlz", header: "attachment; filename*0=\"foo\"; filename*01=\"bar\"", expected: "foo"),
    .init(id: "attfncontnc", header: "attachment; filename*0=\"foo\"; filename*2=\"bar\"", expected: "foo"),
    .init(id: "attfnconts1", header: "attachment; filename*1=\"foo.\"; filename*2=\"html\"", expected: nil),
    .init(id: "attfncontord", header: "attachment; filename*1=\"bar\"; filename*0=\"foo\"", expected: "foobar"),
    .init(id: "attfnboth", header: "attachment; filename=\"foo-ae.html\"; filename*=UTF-8''foo-%c3%a4.html", expected: "foo-ä.html"),
    .init(id: "attfnboth2", header: "attachment; filename*=UTF-8''foo-%c3%a4.html; filename=\"foo-ae.html\"", expected: "foo-ä.html"),
    .init(id: "attfnboth3", header: "attachment; filename*0*=ISO-8859-15''euro-sign%3d%a4; filename*=ISO-8859-1''currency-sign%3d%a4",
          expected: "currency-sign=¤"),
    .init(id: "attnewandfn", header: "attachment; foobar=x; filename=\"foo.html\"", expected: "foo.html"),
    .init(id: "attrfc2047token", header: "attachment; filename==?ISO-8859-1?Q?foo-=E4.html?=", expected: nil),
    .init(id: "attrfc2047quoted", header: "attachment; filename=\"=?ISO-8859-1?Q?foo-=E4.html?=\"", expected: "=?ISO-8859-1?Q?foo-=E4.html?="),
]

@Suite struct ContentDispositionTC2231Tests {
    @Test(arguments: tc2231) func tc2231Case(_ c: TC2231Case) {
        #expect(ContentDisposition.filename(c.header) == c.answer, "\(c.id): \(c.header)")
        if c.trawl != nil {
            #expect(!c.why.isEmpty && c.answer != c.expected, "\(c.id): a difference needs a reason")
        }
    }

    /// No answer is ever made of parameter syntax: no `=`, `;` outside quotes, or `, attachment`.
    @Test func noNameIsBuiltFromParameterSyntax() {
        for c in tc2231 {
            guard let name = ContentDisposition.filename(c.header) else { continue }
            #expect(!name.contains(", attachment") && !name.contains("foo=") && !name.hasSuffix(" ;"), "\(c.id) → \(name)")
        }
    }
}

@Suite struct ContentDispositionKoreanTests {
    @Test func extendedFilenameWinsAndIsDecoded() {
        #expect(ContentDisposition.filename("attachment; filename=\"x.pdf\"; filename*=UTF-8''%EB%B3%B4%EB%8F%84%EC%9E%90%EB%A3%8C.pdf") == "보도자료.pdf")
        #expect(ContentDisposition.filename("attachment; filename*=EUC-KR''%BA%B8%B5%B5.pdf") == "보도.pdf")
        #expect(ContentDisposition.filename("attachment; filename*=iso-8859-1'en'%A3%20rates.pdf") == "£ rates.pdf")
    }

    @Test func plainFilenamesQuotedBareOrPercentEncoded() {
        #expect(ContentDisposition.filename("attachment; filename=\"annual; report.pdf\"") == "annual; report.pdf")
        #expect(ContentDisposition.filename("inline; filename=plain.hwp") == "plain.hwp")
        #expect(ContentDisposition.filename("attachment; filename=보도자료 2024.hwp") == "보도자료 2024.hwp")
        // Korean sites percent-encode UTF-8 or CP949 bytes into the plain parameter.
        #expect(ContentDisposition.filename("attachment; filename=\"%EB%B3%B4%EB%8F%84.pdf\"") == "보도.pdf")
        #expect(ContentDisposition.filename("attachment; filename=\"%BA%B8%B5%B5.pdf\"") == "보도.pdf")
        #expect(ContentDisposition.filename("attachment; filename=%BA%B8%B5%B5.pdf") == "보도.pdf")
    }

    @Test func continuationsInCP949() {
        #expect(ContentDisposition.filename("attachment; filename*0*=EUC-KR''%BA%B8; filename*1*=%B5%B5.pdf") == "보도.pdf")
    }

    @Test func undecodableBytesGiveNoName() {
        #expect(ContentDisposition.filename("attachment; filename=\"\u{FFFD}\u{FFFD}.pdf\"") == nil)
    }
}
