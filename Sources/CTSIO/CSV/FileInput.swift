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
        // Non-blocking, so that opening a pipe with no writer does not hang; reads are of regular files only.
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { throw unreadable(path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw unreadable(path) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw InputError("\(path) is a folder, not a file.", code: "file.unreadable")
        default:
            // A device such as /dev/zero never ends, and a pipe may never send anything.
            throw InputError(
                "\(path) is not a regular file (a device, pipe or socket), so it is not read.",
                code: "file.unreadable", fix: "Give the file itself, not a link to a device or pipe.")
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

    /// True when the file at `path` starts as a zip archive does (`PK\3\4`): a workbook, whatever its name.
    /// False when it does not, or cannot be read (reading it then says why).
    public static func startsAsZip(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return false }
        var magic = [UInt8](repeating: 0, count: 4)
        return read(fd, &magic, 4) == 4 && magic == [0x50, 0x4B, 0x03, 0x04]
    }

    /// True when `path` is a regular file this process may read.
    public static func isReadableFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && access(path, R_OK) == 0
    }

    /// The whole file as bytes (for small inputs such as questionnaires and reference tables), refused
    /// past `limit` bytes.
    public static func readAll(_ path: String, limit: Int = 64 << 20) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try forEachChunk(path) {
            guard bytes.count + $0.count <= limit else {
                throw InputError(
                    "\(path) is larger than \(limit >> 20) MB, more than a file of this kind ever needs.",
                    code: "file.too-large", fix: "Check that this is the file you meant.")
            }
            bytes.append(contentsOf: $0)
        }
        return bytes
    }

    static func unreadable(_ path: String) -> InputError {
        let reason = String(cString: strerror(errno))
        return InputError(
            "Cannot read \(path): \(reason).", code: "file.unreadable",
            fix: "Check the path and that the file may be read.")
    }
}
