import CTrawlAlloc

/// Memory-allocator settings for a long run.
public enum Allocator {
    /// Gives large transient buffers (a PDF's bytes, an extraction's JSON, a record's text)
    /// back to the system when they are freed. glibc raises its mmap threshold after each
    /// large free, after which such buffers come from the heap and their pages stay resident:
    /// a 4,000-PDF run's main process grew from 65 to 92 MiB that way. A fixed threshold keeps
    /// every buffer of 256 KiB or more in its own mapping, returned on free.
    public static func returnLargeBuffersOnFree() {
        _ = trawl_fixed_mmap_threshold(256 << 10)
    }
}
