import Foundation
import Testing
import TrawlDedup

@Suite struct URLCanonicalizerTests {
    let c = URLCanonicalizer()

    @Test(arguments: [
        ("HTTPS://WWW.Example.GO.KR:443/bbs/View.do?b=2&a=1#top", "https://www.example.go.kr/bbs/View.do?a=1&b=2"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://e.kr/v.do?id=7&utm_source=rss&utm_medium=x&fbclid=abc", "https://e.kr/v.do?id=7"),
        ("https://e.kr/v.do;jsessionid=ABC123?id=7", "https://e.kr/v.do?id=7"),
        ("https://e.kr/v.do?utm_campaign=x", "https://e.kr/v.do"),
    ])
    func canonicalises(input: String, expected: String) {
        #expect(c.canonicalize(input)?.absoluteString == expected)
    }

    @Test func idsAreStableAndDistinct() {
        let a = URL(string: "https://e.kr/v.do?id=1")!, b = URL(string: "https://e.kr/v.do?id=2")!
        #expect(Fingerprint.recordID(canonicalURL: a) == Fingerprint.recordID(canonicalURL: a))
        #expect(Fingerprint.recordID(canonicalURL: a) != Fingerprint.recordID(canonicalURL: b))
        #expect(Fingerprint.recordID(canonicalURL: a).count == 32)
        #expect(Fingerprint.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

