import CExpat
import CTSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streams an XML document through expat as element starts, ends and text: the thin C edge under the
/// workbook reader. Names lose their namespace prefix (`x:c` is `c`), as the parts of a workbook are read
/// by local name; attributes likewise (`r:id` is `id`).
struct XMLEvents {
    enum Event {
        /// The attributes are valid only while the handler runs.
        case start(name: Substring, attributes: Attributes)
        case end(name: Substring)
        case text(String)
    }

    /// Parses `bytes` and hands each event to `handle`. A malformed document throws an `InputError` naming
    /// `part` (the zip entry) and expat's line and column; an error `handle` throws stops the parse and is
    /// rethrown.
    static func parse(_ bytes: [UInt8], file: String, part: String, _ handle: (Event) throws -> Void) throws {
        try withoutActuallyEscaping(handle) { handle in
            let context = Context(handle: handle)
            guard let parser = XML_ParserCreate("UTF-8") else {
                throw InputError("Out of memory reading \(part) of \(file).", code: "xlsx.unreadable")
            }
            defer { XML_ParserFree(parser) }
            let unmanaged = Unmanaged.passUnretained(context)
            XML_SetUserData(parser, unmanaged.toOpaque())
            XML_SetElementHandler(parser, startElement, endElement)
            XML_SetCharacterDataHandler(parser, characterData)
            let status = bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(1, buffer.count)) {
                    XML_Parse(parser, $0, Int32(buffer.count), 1)
                }
            }
            if let error = context.error { throw error }
            if status != XML_STATUS_OK {
                let reason = String(cString: XML_ErrorString(XML_GetErrorCode(parser)))
                throw InputError(
                    "\(file) is not a readable workbook: its part \(part) is broken at line "
                        + "\(XML_GetCurrentLineNumber(parser)), column \(XML_GetCurrentColumnNumber(parser) + 1) "
                        + "(\(reason)).",
                    code: "xlsx.unreadable", at: SourceLocation(file: file, line: 1, column: 1),
                    fix: "Open it in Excel or LibreOffice and save it again as .xlsx, or save the sheet as CSV.")
            }
        }
    }

    /// An element's attributes as expat hands them over (name, value, name, value, …, nil), read by local
    /// name (`r:id` answers to `id`) without copying the ones not asked for. Valid only during the event.
    struct Attributes {
        fileprivate let pointer: UnsafeMutablePointer<UnsafePointer<XML_Char>?>?

        subscript(name: String) -> String? {
            guard var pair = pointer else { return nil }
            return name.withCString { wanted in
                while let key = pair.pointee, let value = pair.advanced(by: 1).pointee {
                    let local = strrchr(key, 0x3A).map { UnsafePointer($0).advanced(by: 1) } ?? key
                    if strcmp(local, wanted) == 0 { return String(cString: value) }
                    pair = pair.advanced(by: 2)
                }
                return nil
            }
        }
    }

    /// What the C callbacks reach through expat's user data: the handler, the text gathered since the last
    /// event, and the first error the handler threw.
    private final class Context {
        let handle: (Event) throws -> Void
        var text: [UInt8] = []
        var error: (any Error)?
        init(handle: @escaping (Event) throws -> Void) { self.handle = handle }

        func send(_ event: Event) {
            guard error == nil else { return }
            do { try handle(event) } catch { self.error = error }
        }

        func flushText() {
            guard !text.isEmpty else { return }
            let string = String(decoding: text, as: UTF8.self)
            text.removeAll(keepingCapacity: true)
            send(.text(string))
        }
    }

    private static func localName(_ pointer: UnsafePointer<CChar>) -> Substring {
        let name = String(cString: pointer)
        if let colon = name.lastIndex(of: ":") { return name[name.index(after: colon)...] }
        return name[...]
    }

    private static let startElement: XML_StartElementHandler = { data, name, attributes in
        let context = Unmanaged<Context>.fromOpaque(data!).takeUnretainedValue()
        context.flushText()
        context.send(.start(name: localName(name!), attributes: Attributes(pointer: attributes)))
    }

    private static let endElement: XML_EndElementHandler = { data, name in
        let context = Unmanaged<Context>.fromOpaque(data!).takeUnretainedValue()
        context.flushText()
        context.send(.end(name: localName(name!)))
    }

    private static let characterData: XML_CharacterDataHandler = { data, text, length in
        let context = Unmanaged<Context>.fromOpaque(data!).takeUnretainedValue()
        text!.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            context.text.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(length)))
        }
    }
}
