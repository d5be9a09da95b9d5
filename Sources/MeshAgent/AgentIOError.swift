/// A file or process operation of the agent failed.
package struct AgentIOError: Error, CustomStringConvertible, Sendable {
    /// What failed and where.
    package var description: String
    /// An error saying `description`.
    package init(_ description: String) { self.description = description }
}
