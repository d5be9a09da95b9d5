import MeshDiagnostics
import MeshIR

extension ListenerTelemetry: IRJSON {
    var irJSON: JSON { irObject(["accessLogs": irArray(accessLogs), "tracing": tracing?.irJSON]) }
}

extension AccessLog: IRJSON {
    var irJSON: JSON {
        let format: JSON = switch self.format {
        case .text(let text): .object(["text": .string(text)])
        case .json(let fields): .object(["json": .array(fields.map { .array([.string($0.key), .string($0.value)]) })])
        }
        return irObject([
            "path": .string(path), "format": format, "omitEmptyValues": omitEmptyValues ? .bool(true) : nil,
            "filter": filter.map(JSON.string),
        ])
    }
}

extension Tracing: IRJSON {
    var irJSON: JSON {
        let provider: JSON? = self.provider.map { provider in
            switch provider {
            case .zipkin(let cluster, let hostname, let path, let traceID128):
                .object(["zipkin": .object(["cluster": .string(cluster), "hostname": .string(hostname), "path": .string(path),
                                            "traceID128": .bool(traceID128)])])
            case .openTelemetry(let cluster, let hostname, let port, let httpPath, let timeoutMs, let serviceName):
                .object(["openTelemetry": irObject(["cluster": .string(cluster), "hostname": .string(hostname), "port": .int(port),
                                                    "httpPath": httpPath.map(JSON.string), "timeoutMs": .int(timeoutMs),
                                                    "serviceName": .string(serviceName)])])
            }
        }
        let tags: [JSON] = customTags.map { tag in
            switch tag.value {
            case .literal(let value): .object(["tag": .string(tag.tag), "literal": .string(value)])
            case .header(let name, let defaultValue):
                irObject(["tag": .string(tag.tag), "header": .string(name), "defaultValue": defaultValue.map(JSON.string)])
            }
        }
        return irObject([
            "provider": provider, "samplingPercent": .double(samplingPercent), "customTags": tags.isEmpty ? nil : .array(tags),
            "maxPathTagLength": .int(maxPathTagLength), "useRequestIdForSampling": .bool(useRequestIdForSampling),
        ])
    }
}
