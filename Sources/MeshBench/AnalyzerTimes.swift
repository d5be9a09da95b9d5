import Foundation
import MeshLint
import MeshModel
import MeshValidate
import MeshYAML

/// Times each analyzer alone over the whole mesh: where the serial part of
/// a lint run goes.
enum AnalyzerTimes {
    static func run(_ files: [String]) throws {
        var resources: [Resource] = []
        for file in files {
            resources += ResourceDecoder.decode(try FileReader.parseFile(at: file)).resources
        }
        var start = now()
        let mesh = MeshIndex(resources)
        print("  MeshIndex: \(ms(start)) ms")
        for analyzer in Analyzers.all {
            start = now()
            let found = Validation.analyze(mesh, analyzers: [analyzer]).count
            print("  \(type(of: analyzer)): \(ms(start)) ms (\(found) findings)")
        }
    }
}

private func ms(_ start: Double) -> String { String(Int((now() - start) * 1000)) }
