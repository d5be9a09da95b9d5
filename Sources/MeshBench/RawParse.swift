import CYAML
import MeshYAML

/// The reference: libyaml's own event parser over the same files, one
/// thread, every event pulled and dropped — the floor any YAML linter stands on.
enum RawParse {
    /// Parses every file; returns the number of events seen.
    static func run(_ files: [String]) throws -> Int {
        var events = 0
        for path in files {
            let bytes = try readAll(path)
            bytes.withUnsafeBufferPointer { buffer in
                var parser = yaml_parser_t()
                yaml_parser_initialize(&parser)
                defer { yaml_parser_delete(&parser) }
                yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
                var event = yaml_event_t()
                while yaml_parser_parse(&parser, &event) == 1 {
                    let done = event.type == YAML_STREAM_END_EVENT
                    yaml_event_delete(&event)
                    events += 1
                    if done { break }
                }
            }
        }
        return events
    }

    /// Prints, for each round, the raw parse beside meshc's parse into node
    /// trees, each tree dropped after its file as lint drops it; one thread.
    static func compareWithTrees(_ files: [String], repeats: Int) throws {
        for _ in 0..<repeats {
            var start = now()
            _ = try run(files)
            let raw = now() - start
            start = now()
            var documents = 0
            for file in files { documents += try FileReader.parseFile(at: file).documents.count }
            let trees = now() - start
            print(String(format: "raw libyaml parse %.3f s, meshc parse into trees %.3f s (%.2f×), %d documents", raw, trees, trees / raw, documents))
        }
    }
}
