import CTSCore

/// The cells of one `cell_block` row, as received: a JSON array (`BlockJSON`) with one array per cell,
/// `[slot, line, value, status, raw_value, note, action]`. A cell's id is its block's `first_cell` plus
/// its place in the array. JSON so that SQL can still see one row per cell vintage through the `cell`
/// view.
///
/// `slot` is the id of the cell's variable and breakdown in `cell_slot` (`CellSlots`), which every
/// year and reporter share. The last three fields are left out where they say what is usual, and are
/// `null` where a later one is written: the raw value when it is what `impliedRaw` makes of the value,
/// the note when empty, the action when `report`. A cell takes about 20 bytes instead of about 80 with
/// every text written out (store version 4, `V4`).
enum CellBlock {
    /// One cell as it lies in a block. Texts are byte ranges of the block; nil where left out.
    struct Element {
        var slot: Int64
        var line: Int64
        var value: Double?
        var status: BlockJSON.Text
        var raw: BlockJSON.Text?
        var note: BlockJSON.Text?
        var action: BlockJSON.Text?

        /// The value as received.
        var rawString: String { raw?.string ?? CellBlock.impliedRaw(for: value) ?? "" }
        var noteString: String { note?.string ?? "" }
        var actionString: String { action?.string ?? "report" }
        var isReport: Bool { action?.equals("report") ?? true }
    }

    /// The raw text a value's cell need not keep: the plain digits of a whole, non-negative figure below
    /// 10^15 (`"3586"` for 3586), the empty text for no figure; nil where the raw text must be kept.
    /// The `cell` view makes the same text with `printf('%d', value)`.
    static func impliedRaw(for value: Double?) -> String? {
        guard let value else { return "" }
        return wholeNumber(value).map { String($0) }
    }

    /// `value` as an integer when its raw text may be left out: whole, non-negative (not -0) and below
    /// 10^15; else nil.
    private static func wholeNumber(_ value: Double) -> Int64? {
        guard value == value.rounded(.towardZero), value.sign == .plus, value < 1e15 else { return nil }
        return Int64(value)
    }

    /// Appends one cell to `json`, the block's text so far (empty before its first).
    static func append(
        slot: Int, line: Int, value: Double?, status: String, raw: String, note: String, action: String,
        to json: inout ByteWriter
    ) {
        BlockJSON.beginItem(&json)
        BlockJSON.appendInteger(slot, to: &json)
        BlockJSON.comma(&json)
        BlockJSON.appendInteger(line, to: &json)
        BlockJSON.comma(&json)
        if let value { BlockJSON.appendNumber(value, to: &json) } else { BlockJSON.appendNull(&json) }
        BlockJSON.comma(&json)
        BlockJSON.appendString(status, to: &json)
        let keepsAction = action != "report"
        let keepsNote = keepsAction || !note.isEmpty
        let rawImplied = isImplied(raw, by: value)
        if keepsNote || !rawImplied {
            BlockJSON.comma(&json)
            if rawImplied { BlockJSON.appendNull(&json) } else { BlockJSON.appendString(raw, to: &json) }
        }
        if keepsNote {
            BlockJSON.comma(&json)
            if note.isEmpty { BlockJSON.appendNull(&json) } else { BlockJSON.appendString(note, to: &json) }
        }
        if keepsAction {
            BlockJSON.comma(&json)
            BlockJSON.appendString(action, to: &json)
        }
        BlockJSON.endItem(&json)
    }

    /// Whether `raw` is what `impliedRaw` makes of `value`, without making a string for most figures.
    static func isImplied(_ raw: String, by value: Double?) -> Bool {
        guard let value else { return raw.isEmpty }
        guard var n = wholeNumber(value) else { return false }
        var raw = raw
        return raw.withUTF8 { bytes in
            // The digits of n, from the last.
            var i = bytes.count
            repeat {
                i -= 1
                guard i >= 0, bytes[i] == UInt8(ascii: "0") + UInt8(n % 10) else { return false }
                n /= 10
            } while n > 0
            return i == 0
        }
    }

    /// Calls `body` with the place in the block and each cell of the block text `json`, in order.
    static func forEach(in json: UnsafeRawBufferPointer, _ body: (Int, Element) throws -> Void) throws {
        var index = 0
        try BlockJSON.forEachItem(in: json) { r in
            let slot = try r.integer()
            try r.next()
            let line = try r.integer()
            try r.next()
            let value = try r.numberOrNull()
            try r.next()
            var e = Element(slot: slot, line: line, value: value, status: try r.string())
            if try r.nextIfAny() { e.raw = try r.stringOrNull() }
            if try r.nextIfAny() { e.note = try r.stringOrNull() }
            if try r.nextIfAny() { e.action = try r.stringOrNull() }
            try body(index, e)
            index += 1
        }
    }
}
