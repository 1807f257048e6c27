/// Hands memory freed by one stage of a command back to the system before the next begins.
///
/// `cts run` stores returns, then aggregates, then exports, in one process. Each stage frees what it
/// used, but glibc keeps freed pages for reuse, so the process would hold the largest of them all through
/// the rest; trimmed between stages, its peak is that of its largest stage.
enum FreedMemory {
    static func release() {
        #if os(Linux)
            _ = mallocTrim(0)
        #endif
    }
}

#if os(Linux)
    /// glibc's `malloc_trim` (declared in malloc.h, which the Glibc module does not include).
    @_silgen_name("malloc_trim")
    private func mallocTrim(_ pad: Int) -> Int32
#endif
