import Testing
import Trawl

@Suite struct AllocatorTests {
    @Test func mimallocServesTheProcess() {
        // The executable links libmimalloc ahead of libc (CTrawlAlloc's linker settings); if
        // a toolchain change reordered that, glibc's malloc would quietly serve again.
        #expect(Allocator.isMimalloc, "malloc is glibc's: libmimalloc is not linked ahead of libc")
        #expect(Allocator.name.hasPrefix("mimalloc 2."), "\(Allocator.name)")
    }
}
