import CTSCore
import CXLSXWriter

/// A workbook being written with libxlsxwriter: the thin C edge under `WorkbookWriter`. Rows and
/// columns are counted from 0 here, as the library does. Strings handed over are copied by the library.
final class XLSXFile {
    private let workbook: UnsafeMutablePointer<lxw_workbook>
    private var closed = false
    let path: String

    /// A cell format, made once and used on many cells.
    struct Format {
        fileprivate let pointer: UnsafeMutablePointer<lxw_format>
    }

    /// Looks of a format: all off by default.
    struct Style {
        var bold = false
        var italic = false
        var wrap = false
        var unlocked = false
        var fill: UInt32?
        var fontColor: UInt32?
        var border = false
        var center = false
        var size: Double?
        var textFormat = false
    }

    init(path: String) throws {
        self.path = path
        guard let workbook = workbook_new(path) else {
            throw InputError("Cannot write \(path).", code: "file.unwritable", fix: "Check that the folder may be written.")
        }
        self.workbook = workbook
    }

    deinit {
        if !closed { workbook_close(workbook) }
    }

    func format(_ style: Style) -> Format {
        let f = workbook_add_format(workbook)!
        if style.bold { format_set_bold(f) }
        if style.italic { format_set_italic(f) }
        if style.wrap { format_set_text_wrap(f) }
        if style.unlocked { format_set_unlocked(f) }
        if let fill = style.fill { format_set_bg_color(f, fill) }
        if let color = style.fontColor { format_set_font_color(f, color) }
        if style.border { format_set_border(f, UInt8(LXW_BORDER_THIN.rawValue)) }
        if style.center { format_set_align(f, UInt8(LXW_ALIGN_CENTER.rawValue)) }
        if let size = style.size { format_set_font_size(f, size) }
        if style.textFormat { format_set_num_format(f, "@") }
        format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        return Format(pointer: f)
    }

    /// Title and author; the creation time is fixed (1980-01-01, the zip format's first day) so that the
    /// same inputs give the same bytes.
    func setProperties(title: String, author: String) {
        let title = strdup(title)
        let author = strdup(author)
        defer {
            free(title)
            free(author)
        }
        var properties = lxw_doc_properties()
        properties.title = title
        properties.author = author
        properties.created = 315_532_800
        workbook_set_properties(workbook, &properties)
    }

    func addSheet(_ name: String) throws -> Sheet {
        guard let sheet = workbook_add_worksheet(workbook, name) else {
            throw InputError("Cannot add a sheet named \(name) to \(path).", code: "xlsx.unwritable")
        }
        return Sheet(pointer: sheet)
    }

    /// Writes the file; throws with libxlsxwriter's reason when it cannot.
    func close() throws {
        closed = true
        let error = workbook_close(workbook)
        guard error == LXW_NO_ERROR else {
            throw InputError(
                "Cannot write \(path): \(String(cString: lxw_strerror(error))).", code: "file.unwritable",
                fix: "Check that the folder exists and may be written.")
        }
    }

    /// One worksheet of the file.
    struct Sheet {
        fileprivate let pointer: UnsafeMutablePointer<lxw_worksheet>

        func write(_ row: Int, _ column: Int, _ text: String, _ format: Format? = nil) {
            if text.isEmpty {
                worksheet_write_blank(pointer, lxw_row_t(row), lxw_col_t(column), format?.pointer)
            } else {
                worksheet_write_string(pointer, lxw_row_t(row), lxw_col_t(column), text, format?.pointer)
            }
        }

        func write(_ row: Int, _ column: Int, number: Double, _ format: Format? = nil) {
            worksheet_write_number(pointer, lxw_row_t(row), lxw_col_t(column), number, format?.pointer)
        }

        func merge(_ row: Int, _ column: Int, to lastRow: Int, _ lastColumn: Int, _ text: String, _ format: Format?) {
            guard lastRow > row || lastColumn > column else { return write(row, column, text, format) }
            worksheet_merge_range(
                pointer, lxw_row_t(row), lxw_col_t(column), lxw_row_t(lastRow), lxw_col_t(lastColumn), text,
                format?.pointer)
        }

        func columnWidth(_ first: Int, _ last: Int, _ width: Double, hidden: Bool = false, _ format: Format? = nil) {
            if hidden {
                var options = lxw_row_col_options(hidden: 1, level: 0, collapsed: 0)
                worksheet_set_column_opt(pointer, lxw_col_t(first), lxw_col_t(last), width, format?.pointer, &options)
            } else {
                worksheet_set_column(pointer, lxw_col_t(first), lxw_col_t(last), width, format?.pointer)
            }
        }

        func rowHeight(_ row: Int, _ height: Double) {
            worksheet_set_row(pointer, lxw_row_t(row), height, nil)
        }

        func freeze(rows: Int, columns: Int) {
            worksheet_freeze_panes(pointer, lxw_row_t(rows), lxw_col_t(columns))
        }

        /// Printing: landscape or not, `wide` pages across (0: as many as needed), and the first `rows` rows
        /// and `columns` columns repeated on every page.
        func printSetup(landscape: Bool, wide: Int, rows: Int = 0, columns: Int = 0) {
            if landscape { worksheet_set_landscape(pointer) }
            worksheet_set_paper(pointer, 9)  // A4
            if wide > 0 { worksheet_fit_to_pages(pointer, UInt16(wide), 0) }
            if rows > 0 { worksheet_repeat_rows(pointer, 0, lxw_row_t(rows - 1)) }
            if columns > 0 { worksheet_repeat_columns(pointer, 0, lxw_col_t(columns - 1)) }
        }

        func hide() { worksheet_hide(pointer) }
        func activate() { worksheet_activate(pointer) }

        /// Locks every cell not formatted as unlocked; rows and columns may still be resized.
        func protect() {
            var options = lxw_protection()
            options.format_columns = 1
            options.format_rows = 1
            worksheet_protect(pointer, nil, &options)
        }

        /// A drop-down list of `values` on a range.
        func list(_ range: (Int, Int, Int, Int), _ values: [String], title: String, message: String) {
            var cStrings = values.map { strdup($0) }
            cStrings.append(nil)
            defer { cStrings.forEach { free($0) } }
            cStrings.withUnsafeMutableBufferPointer { list in
                validate(range, title: title, message: message) { v in
                    v.validate = UInt8(LXW_VALIDATION_TYPE_LIST.rawValue)
                    v.value_list = list.baseAddress
                }
            }
        }

        /// A rule written as a formula on the range's first cell (`=AND(ISNUMBER(D7),D7>=0)`).
        func formula(_ range: (Int, Int, Int, Int), _ formula: String, title: String, message: String) {
            let text = strdup(formula)
            defer { free(text) }
            validate(range, title: title, message: message) { v in
                v.validate = UInt8(LXW_VALIDATION_TYPE_CUSTOM_FORMULA.rawValue)
                v.value_formula = text
            }
        }

        private func validate(
            _ range: (Int, Int, Int, Int), title: String, message: String,
            _ configure: (inout lxw_data_validation) -> Void
        ) {
            let title = strdup(String(title.prefix(32)))
            let message = strdup(String(message.prefix(255)))
            defer {
                free(title)
                free(message)
            }
            var v = lxw_data_validation()
            v.ignore_blank = UInt8(LXW_VALIDATION_ON.rawValue)
            v.show_error = UInt8(LXW_VALIDATION_ON.rawValue)
            v.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_STOP.rawValue)
            v.error_title = title
            v.error_message = message
            configure(&v)
            worksheet_data_validation_range(
                pointer, lxw_row_t(range.0), lxw_col_t(range.1), lxw_row_t(range.2), lxw_col_t(range.3), &v)
        }
    }
}
