import CTrawlAlloc

/// The process's memory allocator. The trawl executable links mimalloc ahead of the C
/// library, so that its malloc and free serve Swift, poppler and Tesseract alike: poppler
/// allocates and frees an object for every token of a page's content stream, and glibc's
/// malloc and free were 11 % of the CPU time of PDF text extraction (mimalloc took about 5 %
/// of that time off, Benchmarks/pdf-cpu-ab.sh).
public enum Allocator {
    /// Whether mimalloc's malloc serves this process (false only if the executable was
    /// linked without it ahead of the C library).
    public static var isMimalloc: Bool { trawl_malloc_is_mimalloc() == 1 }

    /// `mimalloc 2.0.9`, or `glibc` when the C library's malloc serves the process.
    public static var name: String {
        guard isMimalloc else { return "glibc" }
        let v = Int(trawl_mimalloc_version())
        return "mimalloc \(v / 100).\(v / 10 % 10).\(v % 10)"
    }

    /// Gives large transient buffers (a PDF's bytes, an extraction's JSON, a record's text)
    /// back to the system when they are freed, where glibc's malloc serves. glibc raises its
    /// mmap threshold after each large free, after which such buffers come from the heap and
    /// their pages stay resident: a 4,000-PDF run's main process grew from 65 to 92 MiB that
    /// way. A fixed threshold keeps every buffer of 256 KiB or more in its own mapping,
    /// returned on free. (mimalloc returns freed segments to the system by itself.)
    public static func returnLargeBuffersOnFree() {
        _ = trawl_fixed_mmap_threshold(256 << 10)
    }
}
