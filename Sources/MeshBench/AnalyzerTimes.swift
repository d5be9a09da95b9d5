import Foundation
import MeshLint
import MeshModel
import MeshValidate
import MeshYAML

/// Times each pass alone, on one thread: parse, decode, field rules, the
/// index and every analyzer — where a lint run's CPU goes.
enum AnalyzerTimes {
    static func run(_ files: [String]) throws {
        var parsed: [YAMLFile] = []
        var start = now()
        for file in files { parsed.append(try FileReader.parseFile(at: file)) }
        print("  parse (libyaml + tree): \(ms(start)) ms")
        start = now()
        var resources: [Resource] = []
        for file in parsed { resources += ResourceDecoder.decode(file).resources }
        print("  decode: \(ms(start)) ms")
        parsed.removeAll()
        start = now()
        let fieldFindings = Validation.validateFields(resources).count
        print("  field rules: \(ms(start)) ms (\(fieldFindings) findings)")
        start = now()
        let mesh = MeshIndex(resources)
        print("  MeshIndex: \(ms(start)) ms")
        let analyzersStart = now()
        for analyzer in Analyzers.all {
            start = now()
            let found = Validation.analyze(mesh, analyzers: [analyzer]).count
            print("  \(type(of: analyzer)): \(ms(start)) ms (\(found) findings)")
        }
        print("  all analyzers, one at a time: \(ms(analyzersStart)) ms")
        start = now()
        _ = Validation.analyze(mesh)
        print("  all analyzers, as lint runs them: \(ms(start)) ms")
    }
}

private func ms(_ start: Double) -> String { String(Int((now() - start) * 1000)) }
