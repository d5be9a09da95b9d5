import Foundation
import MeshDiagnostics

extension JSON {
    /// Parses JSON text. Numbers without a fraction or exponent that fit stay
    /// `.int`, so parsing what `rendered()` wrote and rendering it again gives
    /// the same bytes (and the same version hashes).
    package static func parse(_ data: Data) throws -> JSON {
        try JSONDecoder().decode(Parsed.self, from: data).value
    }

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

/// `JSON` through `Decodable`: each value tried as null, bool, int, double,
/// string, array, object (Foundation's decoder never turns `true` into 1).
private struct Parsed: Decodable {
    let value: JSON

    init(from decoder: Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var items: [JSON] = []
            while !array.isAtEnd { items.append(try array.decode(Parsed.self).value) }
            value = .array(items)
            return
        }
        if let object = try? decoder.container(keyedBy: Key.self) {
            var members: [String: JSON] = [:]
            for key in object.allKeys { members[key.stringValue] = try object.decode(Parsed.self, forKey: key).value }
            value = .object(members)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { value = .null }
        else if let bool = try? single.decode(Bool.self) { value = .bool(bool) }
        else if let int = try? single.decode(Int.self) { value = .int(int) }
        else if let double = try? single.decode(Double.self) { value = .double(double) }
        else { value = .string(try single.decode(String.self)) }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
