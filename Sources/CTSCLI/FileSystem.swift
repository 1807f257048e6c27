import CTSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file-system questions the commands ask.
enum FileSystem {
    static func isDirectory(_ path: String) -> Bool? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates the folder `path` (and its parents) unless it exists.
    static func makeDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if isDirectory(prefix) != true, mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw InputError("Cannot create the folder \(prefix).", code: "file.unwritable")
            }
            prefix += "/"
        }
    }

    /// `path` itself if it is a file; the files in it with one of `extensions` (sorted) if it is a folder.
    static func listFiles(_ path: String, extensions: [String]) throws -> [String] {
        guard let directory = isDirectory(path) else {
            throw InputError("\(path) does not exist.", code: "file.unreadable", fix: "Check the path.")
        }
        guard directory else { return [path] }
        guard let dir = opendir(path) else {
            throw InputError("Cannot open the folder \(path).", code: "file.unreadable")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard !name.hasPrefix("."), let dot = name.lastIndex(of: ".") else { continue }
            let ext = name[name.index(after: dot)...].lowercased()
            if extensions.contains(ext) { names.append(name) }
        }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        return names.sorted().map { base + "/" + $0 }.filter { isDirectory($0) == false }
    }
}
