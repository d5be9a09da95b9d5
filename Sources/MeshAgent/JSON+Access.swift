import MeshDiagnostics

extension JSON {
    /// `self` as an object's members, or nil.
    package var members: [String: JSON]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// `self` as an array's items, or nil.
    package var items: [JSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// `self` as a string, or nil.
    package var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The member `key` of an object, or nil.
    package subscript(_ key: String) -> JSON? { members?[key] }
}
