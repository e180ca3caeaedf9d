import Foundation
import Testing
@testable import Trawl

@Suite struct AttachmentNameFromHeaderTests {
    @Test func namesFromContentDispositionNeverBecomePaths() {
        #expect(AttachmentName.fromContentDisposition("attachment; filename=\"../../etc/passwd\"") == "....etcpasswd")
        #expect(AttachmentName.fromContentDisposition("attachment; filename=\"a\\\\b.pdf\"") == "ab.pdf")
        #expect(AttachmentName.fromContentDisposition("attachment; filename*=UTF-8''%5cfoo.html") == "foo.html")
        #expect(AttachmentName.fromContentDisposition("attachment; filename=\"\u{FFFD}\u{FFFD}.pdf\"") == nil, "undecodable bytes fall back")
        #expect(AttachmentName.fromContentDisposition("attachment") == nil)
    }
}
