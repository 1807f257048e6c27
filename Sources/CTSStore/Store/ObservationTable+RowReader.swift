import CTSCore

extension ObservationTable {
    /// Turns observation rows into table rows, numbering their texts as they come.
    ///
    /// Series and places come numbered by the store; statuses, national codes and shares are numbered by
    /// their bytes. A struct with mutating methods, so that its state is checked for exclusive access
    /// when compiled, not at run time on every observation.
    struct RowReader {
        var table: ObservationTable
        /// The table's series (place) number of each store id (-1: none).
        private let seriesOf: [Int32]
        private let placeOf: [Int32]
        /// Statuses and national codes by their bytes.
        private var texts = ByteCodeTable()
        private var shareNumbers: [UInt64: UInt32] = [:]
        private var lastShare: (bits: UInt64, number: UInt32)?
        private static let statusSlot: Int32 = 0
        private static let nationalSlot: Int32 = 1

        init(table: ObservationTable, seriesOf: [Int32], placeOf: [Int32]) {
            self.table = table
            self.seriesOf = seriesOf
            self.placeOf = placeOf
        }

        /// Adds the observation of the row `r` is on: submission_id, year, series_id, place_id, value, status,
        /// national_code, share.
        mutating func add(_ r: Statement) throws {
            let (seriesID, placeID) = (r.int64(2), r.int64(3))
            guard seriesID >= 0, seriesID < seriesOf.count, seriesOf[Int(seriesID)] >= 0, placeID >= 0,
                placeID < placeOf.count, placeOf[Int(placeID)] >= 0
            else {
                throw DatabaseError(
                    code: 1,
                    message: "An observation names series \(seriesID) or place \(placeID), which the store lacks.")
            }
            let status = number(r.textBytes(5), in: Self.statusSlot, count: table.statuses.count) { t, text in
                t.statuses.append(ObservationStatus(rawValue: text) ?? .normal)
            }
            guard status <= Int(UInt8.max) else {
                throw DatabaseError(code: 1, message: "The store has more statuses than an observation row can number.")
            }
            var national = 0
            if !r.isNull(6) {
                national =
                    1
                    + number(r.textBytes(6), in: Self.nationalSlot, count: table.nationals.count) {
                        $0.nationals.append($1)
                    }
            }
            let hasValue = !r.isNull(4)
            table.rows.append(
                Row(
                    value: hasValue ? r.double(4) : 0, series: UInt32(seriesOf[Int(seriesID)]),
                    national: UInt32(national), submission: Int32(truncatingIfNeeded: r.int64(0)),
                    share: shareNumber(r.double(7).bitPattern), year: Int32(truncatingIfNeeded: r.int64(1)),
                    place: UInt16(placeOf[Int(placeID)]), status: UInt8(status), hasValue: hasValue))
        }

        /// The number of `text` in `slot`; a new one is `count`, and `make` adds it to the table.
        private mutating func number(
            _ text: UnsafeRawBufferPointer, in slot: Int32, count: Int, make: (inout ObservationTable, String) -> Void
        ) -> Int {
            if let known = texts.find(text, in: slot) { return Int(known) }
            texts.insert(text, in: slot, value: Int32(count))
            make(&table, String(decoding: text, as: UTF8.self))
            return count
        }

        /// The number of a share (by its bits), numbering it if it is new.
        private mutating func shareNumber(_ bits: UInt64) -> UInt32 {
            if let lastShare, lastShare.bits == bits { return lastShare.number }
            let share = shareNumbers[bits] ?? UInt32(table.shares.count)
            if share == table.shares.count {
                shareNumbers[bits] = share
                table.shares.append(Double(bitPattern: bits))
            }
            lastShare = (bits, share)
            return share
        }
    }
}
