import Foundation
import MeshDiagnostics

/// Reading back one proxy's folder as `meshc build` writes it (`BuildFolder`).
package enum BuildFolderFiles {
    /// The DiscoveryResponses in `folder`: `<kind>.json` for each kind written
    /// whole (`EnvoyKind.isWrittenWhole`; an optional kind's only when there),
    /// and for route configurations one response holding the resources of
    /// every `routes/*.json`, in file-name order (none when `routes/` is
    /// absent: a proxy without route configurations). `read` reads and
    /// parses one file, naming it in its errors; a route file that is not a
    /// DiscoveryResponse of route configurations is an error naming it.
    package static func responses(_ folder: URL, read: (String) throws -> JSON) throws -> [EnvoyKind: JSON] {
        var responses: [EnvoyKind: JSON] = [:]
        for kind in EnvoyKind.allCases where kind.isWrittenWhole {
            let path = folder.appendingPathComponent(kind.fileName).path
            // `secrets.json` is there only when the proxy has secrets.
            if kind.isOptional, !FileManager.default.fileExists(atPath: path) { continue }
            responses[kind] = try read(path)
        }
        let routes = folder.appendingPathComponent(RouteSource.folder)
        // Staging files of an interrupted write start with a dot; route file names never do (`RouteSource.escaped`).
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: routes.path)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        var items: [JSON] = []
        for name in names {
            let path = routes.appendingPathComponent(name).path
            items += try DiscoveryResponse.resources(.route, in: try read(path), origin: path).map(\.1)
        }
        responses[.route] = .object(["resources": .array(items), "type_url": .string(EnvoyKind.route.typeURL)])
        return responses
    }
}
