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
        let writer = try Writer(path: path)
        try body { writer.put($0) }
        try writer.commit()
    }

    /// Has `produce` write a whole file at a temporary path beside `path` (for a C library that writes by
    /// file name), then puts it in place; if `produce` throws, the old file stays and the temporary goes.
    public static func write(to path: String, producing produce: (_ temporary: String) throws -> Void) throws {
        let writer = try Writer(path: path)
        try produce(writer.temporary)
        try writer.commit()
    }

    /// A file being written: pieces go to a temporary file beside it, which `commit` puts in its place.
    /// A writer dropped without `commit` removes the temporary file and leaves the old file as it was.
    public final class Writer {
        public let path: String
        /// The temporary file beside `path` that `commit` renames.
        public let temporary: String
        private var handle: UnsafeMutablePointer<FILE>?
        private var complete = true

        /// The temporary file is made by `mkstemp`: a name no one can guess, created exclusively, so a file
        /// or link planted beside the output is never opened or followed.
        public init(path: String) throws {
            self.path = path
            var template = Array((path + ".tmp-XXXXXX").utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            guard fd >= 0, fchmod(fd, 0o644) == 0, let handle = fdopen(fd, "wb") else {
                let reason = String(cString: strerror(errno))
                if fd >= 0 {
                    close(fd)
                    unlink(temporary)
                }
                throw InputError(
                    "Cannot write \(path): \(reason).", code: "file.unwritable",
                    fix: "Check that the folder exists and may be written.")
            }
            self.handle = handle
        }

        /// Adds a piece (a failed write is reported by `commit`).
        public func put(_ piece: String) {
            guard let handle else { return }
            var piece = piece
            let count = piece.withUTF8 { fwrite($0.baseAddress, 1, $0.count, handle) }
            if count != piece.utf8.count { complete = false }
        }

        /// Appends `bytes` as they are.
        public func put(_ bytes: [UInt8]) {
            guard let handle else { return }
            let count = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
            if count != bytes.count { complete = false }
        }

        /// Flushes the file to disk and puts it in place of the old one.
        public func commit() throws {
            guard let handle else { return }
            self.handle = nil
            let flushed = fflush(handle) == 0 && fsync(fileno(handle)) == 0
            fclose(handle)
            guard complete, flushed, rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw InputError("Cannot write \(path): \(reason).", code: "file.unwritable")
            }
        }

        deinit {
            guard let handle else { return }
            fclose(handle)
            unlink(temporary)
        }
    }
}
