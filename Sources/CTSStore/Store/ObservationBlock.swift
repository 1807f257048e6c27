import CTSCore

/// The observations of one `observation_block` row: a JSON array (`BlockJSON`) with one array per
/// observation, `[cell_id, series_id, value, status, national_code, share]` (value and national code may
/// be null). The last two are left out for a figure of no national category counted whole (share 1),
/// most of them (store version 6). JSON so that SQL can still see one row per observation through the
/// `observation` view.
enum ObservationBlock {
    /// One observation as it lies in a block. Texts are byte ranges of the block.
    struct Element {
        var cell: Int64
        var series: Int64
        var value: Double?
        var status: BlockJSON.Text
        var national: BlockJSON.Text?
        var share: Double
    }

    /// Appends one observation to `json`, the block's text so far (empty before its first); `always`
    /// writes the national code and share even when they can be left out.
    static func append(
        cell: Int, series: Int, value: Double?, status: String, national: String?, share: Double,
        always: Bool = false, to json: inout ByteWriter
    ) {
        BlockJSON.beginItem(&json)
        BlockJSON.appendInteger(cell, to: &json)
        BlockJSON.comma(&json)
        BlockJSON.appendInteger(series, to: &json)
        BlockJSON.comma(&json)
        if let value { BlockJSON.appendNumber(value, to: &json) } else { BlockJSON.appendNull(&json) }
        BlockJSON.comma(&json)
        BlockJSON.appendString(status, to: &json)
        // Share 1 bit for bit: a share of -0.0 or 1 written otherwise is kept as it is.
        if always || national != nil || share.bitPattern != (1.0 as Double).bitPattern {
            BlockJSON.comma(&json)
            if let national { BlockJSON.appendString(national, to: &json) } else { BlockJSON.appendNull(&json) }
            BlockJSON.comma(&json)
            BlockJSON.appendNumber(share, to: &json)
        }
        BlockJSON.endItem(&json)
    }

    /// Closes a block's text that `append` wrote into.
    static func close(_ json: inout ByteWriter) { BlockJSON.close(&json) }

    /// Calls `body` with each observation of the block text `json`, in order.
    static func forEach(in json: UnsafeRawBufferPointer, _ body: (Element) throws -> Void) throws {
        try BlockJSON.forEachItem(in: json) { r in
            let cell = try r.integer()
            try r.next()
            let series = try r.integer()
            try r.next()
            let value = try r.numberOrNull()
            try r.next()
            let status = try r.string()
            var (national, share): (BlockJSON.Text?, Double) = (nil, 1)
            if try r.nextIfAny() {
                national = try r.stringOrNull()
                try r.next()
                share = try r.number()
            }
            try body(
                Element(cell: cell, series: series, value: value, status: status, national: national, share: share))
        }
    }
}
