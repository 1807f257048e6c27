import CTSCore

extension CellBlock {
    /// Blocks as store version 4 wrote them, every text written out:
    /// `[variable, breakdown, action, value, raw_value, status, note, line]`. Read and written only by
    /// the migrations that make and then convert them.
    enum V4 {
        /// One cell as it lies in a block. Texts are byte ranges of the block.
        struct Element {
            var variable: BlockJSON.Text
            var breakdown: BlockJSON.Text
            var action: BlockJSON.Text
            var value: Double?
            var raw: BlockJSON.Text
            var status: BlockJSON.Text
            var note: BlockJSON.Text
            var line: Int64
        }

        /// Appends one cell to `json`, the block's text so far (empty before its first).
        static func append(
            variable: String, breakdown: String, action: String, value: Double?, raw: String, status: String,
            note: String, line: Int, to json: inout ByteWriter
        ) {
            BlockJSON.beginItem(&json)
            BlockJSON.appendString(variable, to: &json)
            BlockJSON.comma(&json)
            BlockJSON.appendString(breakdown, to: &json)
            BlockJSON.comma(&json)
            BlockJSON.appendString(action, to: &json)
            BlockJSON.comma(&json)
            if let value { BlockJSON.appendNumber(value, to: &json) } else { BlockJSON.appendNull(&json) }
            BlockJSON.comma(&json)
            BlockJSON.appendString(raw, to: &json)
            BlockJSON.comma(&json)
            BlockJSON.appendString(status, to: &json)
            BlockJSON.comma(&json)
            BlockJSON.appendString(note, to: &json)
            BlockJSON.comma(&json)
            BlockJSON.appendInteger(line, to: &json)
            BlockJSON.endItem(&json)
        }

        /// Calls `body` with the place in the block and each cell of the block text `json`, in order.
        static func forEach(in json: UnsafeRawBufferPointer, _ body: (Int, Element) throws -> Void) throws {
            var index = 0
            try BlockJSON.forEachItem(in: json) { r in
                let variable = try r.string()
                try r.next()
                let breakdown = try r.string()
                try r.next()
                let action = try r.string()
                try r.next()
                let value = try r.numberOrNull()
                try r.next()
                let raw = try r.string()
                try r.next()
                let status = try r.string()
                try r.next()
                let note = try r.string()
                try r.next()
                let line = try r.integer()
                try body(
                    index,
                    Element(
                        variable: variable, breakdown: breakdown, action: action, value: value, raw: raw,
                        status: status, note: note, line: line))
                index += 1
            }
        }
    }
}
