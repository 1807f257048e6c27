import CTSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads files in fixed-size chunks, so memory does not grow with file size.
public enum FileInput {
    /// Size of each read.
    public static let chunkSize = 1 << 16

    /// Calls `body` with consecutive chunks of the file at `path`.
    public static func forEachChunk(
        _ path: String, chunkSize: Int = chunkSize, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw unreadable(path) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw InputError("\(path) is a folder, not a file.", code: "file.unreadable")
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, chunkSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw unreadable(path)
            }
            if n == 0 { break }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    /// True when `path` is a regular file this process may read.
    public static func isReadableFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && access(path, R_OK) == 0
    }

    /// The whole file as bytes (for small inputs such as questionnaires and reference tables).
    public static func readAll(_ path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try forEachChunk(path) { bytes.append(contentsOf: $0) }
        return bytes
    }

    static func unreadable(_ path: String) -> InputError {
        let reason = String(cString: strerror(errno))
        return InputError(
            "Cannot read \(path): \(reason).", code: "file.unreadable",
            fix: "Check the path and that the file may be read.")
    }
}
