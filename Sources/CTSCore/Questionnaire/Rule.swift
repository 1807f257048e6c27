/// A review rule written in the rule language (see docs/RULES.md).
public struct Rule: Sendable {
    public var id: String
    public var severity: Severity
    /// Message template; `{expression}` placeholders are evaluated and formatted.
    public var message: MessageTemplate
    public var expression: RuleExpression
    /// When set, the rule runs once for every reported cell of this table, with `this` bound to the cell.
    public var forEachTable: String?
    /// Where the rule starts in its file.
    public var location: SourceLocation?
    /// Where the expression and message texts stand in the file, for pointing at a spot inside them.
    public var expressionText: TextLocator?
    public var messageText: TextLocator?

    public init(
        id: String, severity: Severity, message: MessageTemplate, expression: RuleExpression,
        forEachTable: String? = nil, location: SourceLocation? = nil, expressionText: TextLocator? = nil,
        messageText: TextLocator? = nil
    ) {
        self.id = id
        self.severity = severity
        self.message = message
        self.expression = expression
        self.forEachTable = forEachTable
        self.location = location
        self.expressionText = expressionText
        self.messageText = messageText
    }
}
