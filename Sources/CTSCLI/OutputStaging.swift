import CTSCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A set of outputs written into a staging folder inside the output folder, then put in place together:
/// an interrupted or failed run (a full disk) leaves the previous outputs whole, and files of an earlier
/// run that this one does not write (charts of series no longer published) do not stay behind.
final class OutputStaging {
    let output: String
    /// The staging folder: `<output>/.cts-staging-XXXXXX`, made exclusively.
    let path: String
    private var published = false

    init(output: String) throws {
        self.output = output
        try FileSystem.makeDirectory(output)
        var template = Array((output + "/.cts-staging-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw InputError(
                "Cannot write in \(output): \(String(cString: strerror(errno))).", code: "file.unwritable",
                fix: "Check that the folder may be written.")
        }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Puts each of `entries` (files and folders, relative to the staging folder) in place of the
    /// output's own, each by one rename; a folder replaced is removed only once its successor is in place.
    func publish(_ entries: [String]) throws {
        let fm = FileManager.default
        let retired = path + "-old"
        try FileSystem.makeDirectory(retired)
        defer { try? fm.removeItem(atPath: retired) }
        for entry in entries {
            let (from, to) = (path + "/" + entry, output + "/" + entry)
            if FileSystem.isDirectory(from) == true, FileSystem.isDirectory(to) == true {
                guard rename(to, retired + "/" + entry) == 0 else { throw Self.failed(to) }
            }
            guard rename(from, to) == 0 else { throw Self.failed(to) }
        }
        published = true
        try? fm.removeItem(atPath: path)
    }

    private static func failed(_ path: String) -> InputError {
        InputError("Cannot put \(path) in place: \(String(cString: strerror(errno))).", code: "file.unwritable")
    }

    deinit {
        if !published { try? FileManager.default.removeItem(atPath: path) }
    }
}
