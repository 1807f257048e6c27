import CTSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a file so that readers see either the old file or the complete new one, never a partial write.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        guard let handle = fopen(temporary, "wb") else {
            throw InputError(
                "Cannot write \(path): \(String(cString: strerror(errno))).", code: "file.unwritable",
                fix: "Check that the folder exists and may be written.")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        let flushed = fflush(handle) == 0 && fsync(fileno(handle)) == 0
        fclose(handle)
        guard written == bytes.count, flushed, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw InputError("Cannot write \(path): \(reason).", code: "file.unwritable")
        }
    }
}
