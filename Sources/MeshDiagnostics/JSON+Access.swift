/// Read access to parsed JSON, the one accessor set every module uses.
extension JSON {
    /// `self` as an object's members, or nil.
    package var members: JSONObject? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The member `key` of an object; nil for other values.
    package func member(_ key: String) -> JSON? { members?[key] }

    /// The member `key` of an object, or nil.
    package subscript(_ key: String) -> JSON? { members?[key] }

    /// The items of an array; empty for other values.
    package var items: [JSON] {
        if case .array(let items) = self { return items }
        return []
    }

    /// The items of an array, or nil for other values (to tell "not an array" from "empty").
    package var array: [JSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The string of a `.string`; nil for other values.
    package var text: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// An object without the members `keys`; other values unchanged.
    package func removing(_ keys: String...) -> JSON {
        guard case .object(var members) = self else { return self }
        for key in keys { members[key] = nil }
        return .object(members)
    }

    /// An object with member `key` set to `value` (removed when nil); other values unchanged.
    package func replacing(_ key: String, with value: JSON?) -> JSON {
        guard case .object(var members) = self else { return self }
        members[key] = value
        return .object(members)
    }
}
