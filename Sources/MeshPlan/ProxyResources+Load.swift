import Foundation
import MeshDiagnostics
import MeshEmit

extension ProxyResources {
    /// One proxy's folder as `meshc build` writes it: `clusters.json`,
    /// `endpoints.json`, `listeners.json`, `routes.json` (DiscoveryResponses).
    /// The proxy is named after the folder. All four files must be there.
    public static func folder(_ path: String) throws -> ProxyResources {
        let url = URL(fileURLWithPath: path)
        var responses: [EnvoyResourceType: JSON] = [:]
        for type in EnvoyResourceType.allCases {
            let file = url.appendingPathComponent(type.fileName).path
            responses[type] = try readJSON(file)
        }
        return try ProxyResources(proxy: url.standardizedFileURL.lastPathComponent, responses: responses, origin: path)
    }

    /// Every proxy in a `meshc build` output folder: each sub-folder holding
    /// any of the four files, sorted by name. A folder without proxies gives
    /// none; a folder that does not exist is an error.
    public static func buildFolder(_ path: String) throws -> [ProxyResources] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw PlanInputError("\(path): no such folder (expected the output of `meshc build --out \(path)`)")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw PlanInputError("\(path): cannot list the folder: \(error.localizedDescription)")
        }
        let base = URL(fileURLWithPath: path)
        return try names.compactMap { name in
            let folder = base.appendingPathComponent(name)
            let holdsProxy = EnvoyResourceType.allCases.contains {
                FileManager.default.fileExists(atPath: folder.appendingPathComponent($0.fileName).path)
            }
            return holdsProxy ? try Self.folder(folder.path) : nil
        }
    }

    /// A running proxy as an agent reports it (`GET /v1/snapshot`):
    /// `{"proxy": NAME, "version": V, "clusters": DiscoveryResponse,
    /// "endpoints": …, "listeners": …, "routes": …}`. A missing type means none of it.
    public init(bundle: JSON) throws {
        guard case .object(let members) = bundle, case .string(let proxy)? = members["proxy"] else {
            throw PlanInputError("snapshot bundle: expected an object with a string `proxy`")
        }
        var responses: [EnvoyResourceType: JSON] = [:]
        for type in EnvoyResourceType.allCases {
            responses[type] = members[Self.bundleKey(type)]
        }
        try self.init(proxy: proxy, responses: responses, origin: "snapshot bundle of \(proxy)")
    }

    /// The `version` member of a snapshot bundle, if it has a string one.
    public static func bundleVersion(_ bundle: JSON) -> String? {
        guard case .object(let members) = bundle, case .string(let version)? = members["version"] else { return nil }
        return version
    }

    /// This proxy as a snapshot bundle, the shape `init(bundle:)` reads.
    public func bundle(version: String) -> JSON {
        var members: [String: JSON] = ["proxy": .string(proxy), "version": .string(version)]
        for type in EnvoyResourceType.allCases {
            members[Self.bundleKey(type)] = type.response(self[type])
        }
        return .object(members)
    }

    /// The bundle member holding a type's DiscoveryResponse: the file name without `.json`.
    static func bundleKey(_ type: EnvoyResourceType) -> String {
        String(type.fileName.dropLast(".json".count))
    }

    /// Reads and parses one JSON file, naming the file in every error.
    static func readJSON(_ path: String) throws -> JSON {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlanInputError("\(path): missing or unreadable")
        }
        do {
            return try JSON.parse(data)
        } catch let error as JSON.ParseError {
            throw PlanInputError("\(path): \(error)")
        }
    }
}
