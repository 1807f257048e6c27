/// Maps a character offset inside a YAML scalar (a rule expression or message) to a file position.
public struct TextLocator: Sendable, Hashable {
    /// Where the first character of the text stands in the file.
    public var start: SourceLocation
    /// For block scalars (`|`, `>`), the column where continuation lines start; otherwise lines continue at 1.
    public var continuationColumn: Int
    public var text: String

    public init(start: SourceLocation, continuationColumn: Int = 1, text: String) {
        self.start = start
        self.continuationColumn = continuationColumn
        self.text = text
    }

    /// The file position of character `offset` of the text.
    public func location(ofOffset offset: Int) -> SourceLocation {
        var line = start.line
        var column = start.column
        for (i, c) in text.enumerated() {
            if i >= offset { break }
            if c == "\n" {
                line += 1
                column = continuationColumn
            } else {
                column += 1
            }
        }
        return SourceLocation(file: start.file, line: line, column: column)
    }
}
