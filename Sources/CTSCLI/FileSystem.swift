import CTSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file-system questions the commands ask.
enum FileSystem {
    /// What a path is, followed through links; nil when it cannot be seen (missing, or a link to nothing).
    enum Kind {
        case folder, file, other
    }

    static func kind(_ path: String) -> Kind? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: return .folder
        case S_IFREG: return .file
        default: return .other
        }
    }

    /// Whether `path` is a folder; nil when it cannot be seen.
    static func isDirectory(_ path: String) -> Bool? { kind(path).map { $0 == .folder } }

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

    /// What a folder holds for a command: the files it takes, and every other entry with why it was left.
    struct Listing {
        var files: [String] = []
        var skipped: [(path: String, reason: String)] = []
    }

    /// `path` itself if it is a file; the files in it with one of `extensions` (sorted) if it is a folder,
    /// and every other entry of the folder with the reason it is not taken: nothing is passed over unsaid.
    static func listFiles(_ path: String, extensions: [String]) throws -> Listing {
        guard let directory = isDirectory(path) else {
            throw InputError("\(path) does not exist.", code: "file.unreadable", fix: "Check the path.")
        }
        guard directory else { return Listing(files: [path]) }
        guard let dir = opendir(path) else {
            throw InputError("Cannot open the folder \(path).", code: "file.unreadable")
        }
        defer { closedir(dir) }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        var listing = Listing()
        let wanted = extensions.map { "." + $0 }.joined(separator: " or ")
        while let entry = readdir(dir) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                let shown = String(decoding: bytes, as: UTF8.self)
                listing.skipped.append(
                    (base + "/" + shown, "its name is not valid UTF-8, so it cannot be named in reports; rename it"))
                continue
            }
            if name == "." || name == ".." { continue }
            let full = base + "/" + name
            switch kind(full) {
            case nil:
                listing.skipped.append((full, "cannot be read (a link to nothing?)"))
                continue
            case .folder:
                listing.skipped.append((full, "a folder (folders inside are not searched)"))
                continue
            case .other:
                listing.skipped.append((full, "not a regular file (a device, pipe or socket)"))
                continue
            case .file: break
            }
            let suffix = name.lastIndex(of: ".").map { name[name.index(after: $0)...].lowercased() } ?? ""
            if name.hasPrefix(".") {
                listing.skipped.append((full, "a hidden file"))
            } else if name.hasPrefix("~$") {
                listing.skipped.append((full, "a lock file Excel or LibreOffice keeps while a workbook is open"))
            } else if extensions.contains("xlsx"), ["xls", "ods", "xlsm", "xlsb"].contains(suffix) {
                listing.skipped.append(
                    (full, "a .\(suffix) workbook, which cts does not read: save it as .xlsx (Excel 2007-365)"))
            } else if let dot = name.lastIndex(of: "."),
                extensions.contains(name[name.index(after: dot)...].lowercased())
            {
                listing.files.append(full)
            } else {
                listing.skipped.append((full, "not a return (\(wanted))"))
            }
        }
        listing.files.sort()
        listing.skipped.sort { $0.path < $1.path }
        return listing
    }
}
