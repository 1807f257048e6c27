import CTSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a file so that readers see either the old file or the complete new one, never a partial write.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws {
        try write(to: path) { put in put(text) }
    }

    /// Writes the pieces `body` hands to `put`, in order, without holding the whole file in memory. If
    /// `body` throws, the old file stays as it was.
    public static func write(to path: String, _ body: (_ put: (String) -> Void) throws -> Void) throws {
        let temporary = path + ".tmp-\(getpid())"
        guard let handle = fopen(temporary, "wb") else {
            throw InputError(
                "Cannot write \(path): \(String(cString: strerror(errno))).", code: "file.unwritable",
                fix: "Check that the folder exists and may be written.")
        }
        var complete = true
        do {
            try body { piece in
                var piece = piece
                let count = piece.withUTF8 { fwrite($0.baseAddress, 1, $0.count, handle) }
                if count != piece.utf8.count { complete = false }
            }
        } catch {
            fclose(handle)
            unlink(temporary)
            throw error
        }
        let flushed = fflush(handle) == 0 && fsync(fileno(handle)) == 0
        fclose(handle)
        guard complete, flushed, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw InputError("Cannot write \(path): \(reason).", code: "file.unwritable")
        }
    }
}
