import CYAML
import MeshDiagnostics

/// Parses a YAML (or JSON) stream with system libyaml into position-carrying
/// nodes, one document at a time, without recursion.
///
/// Errors are diagnostics, never crashes: a syntax error ends the file (the
/// documents before it are kept), and so do the limits in `ParseLimits`.
public enum YAMLParser {
    /// Parses `bytes` as the contents of `path` (used in diagnostics only).
    public static func parse(_ bytes: UnsafeRawBufferPointer, path: String, limits: ParseLimits = .default) -> YAMLFile {
        var builder = TreeBuilder(path: path, limits: limits, bytes: bytes)
        builder.run()
        return YAMLFile(path: path, documents: builder.documents, diagnostics: builder.diagnostics)
    }

    /// Parses a string; convenient for tests and standard input.
    public static func parse(_ text: String, path: String, limits: ParseLimits = .default) -> YAMLFile {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0), path: path, limits: limits) }
    }

    /// Parses a byte array.
    public static func parse(_ bytes: [UInt8], path: String, limits: ParseLimits = .default) -> YAMLFile {
        bytes.withUnsafeBytes { parse($0, path: path, limits: limits) }
    }
}

/// One open mapping or sequence while its children are read. Children of
/// all open containers share two scratch arrays (frames close in LIFO
/// order), so each finished container costs one exact-size allocation.
private struct Frame {
    var isMapping: Bool
    var mark: Mark
    var anchor: String?
    /// Where this container's children start in the scratch array.
    var start: Int
    var pendingKey: YAMLNode?
    /// Expanded-node counter when this container opened.
    var expandedStart: Int
}

private struct TreeBuilder {
    let path: String
    let limits: ParseLimits
    let bytes: UnsafeRawBufferPointer
    var documents: [YAMLDocument] = []
    var diagnostics: [Diagnostic] = []

    private var stack: [Frame] = []
    private var scratchPairs: [YAMLPair] = []
    private var scratchItems: [YAMLNode] = []
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var expanded = 0
    private var documentCount = 0
    private var root: YAMLNode?

    init(path: String, limits: ParseLimits, bytes: UnsafeRawBufferPointer) {
        self.path = path
        self.limits = limits
        self.bytes = bytes
    }

    mutating func run() {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            fail(Codes.inputLimitExceeded, "libyaml could not allocate a parser", at: .start)
            return
        }
        defer { yaml_parser_delete(&parser) }
        if let base = bytes.baseAddress {
            yaml_parser_set_input_string(&parser, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        } else {
            return // empty input: no documents
        }
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                reportSyntaxError(parser)
                return
            }
            let keepGoing = handle(event)
            let done = event.type == YAML_STREAM_END_EVENT
            yaml_event_delete(&event)
            if !keepGoing || done { return }
        }
    }

    /// Handles one event; false stops the parse (a limit was hit).
    private mutating func handle(_ event: yaml_event_t) -> Bool {
        let mark = Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentCount += 1
            if documentCount > limits.maxDocuments {
                fail(Codes.inputLimitExceeded,
                     "the file holds more than \(limits.maxDocuments) YAML documents",
                     hint: "split it into several files, or raise the limit with --max-documents",
                     at: mark)
                return false
            }
            anchors.removeAll(keepingCapacity: true)
            expanded = 0
            root = nil
        case YAML_DOCUMENT_END_EVENT:
            if let root, !root.isNull {
                documents.append(YAMLDocument(root: root, index: documentCount - 1))
            }
            root = nil
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = Self.string(scalar.value, Int(scalar.length))
            var plain = scalar.style == YAML_PLAIN_SCALAR_STYLE
            if let tag = scalar.tag, Self.string(tag, Self.cLength(tag)) == "tag:yaml.org,2002:str" { plain = false }
            expanded += 1
            let node = YAMLNode(.scalar(text, plain: plain), mark: mark)
            if let anchor = scalar.anchor { anchors[Self.string(anchor, Self.cLength(anchor))] = (node, 1) }
            return attach(node)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor, Self.cLength(event.data.alias.anchor))
            guard let target = anchors[name] else {
                fail(Codes.yamlSyntaxError, "alias *\(name) names no anchor defined before it",
                     hint: "define &\(name) earlier in the same document", at: mark)
                return false
            }
            expanded += target.size
            return attach(target.node)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchorPointer = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            if stack.count >= limits.maxDepth {
                fail(Codes.inputLimitExceeded,
                     "nesting is deeper than \(limits.maxDepth) levels",
                     hint: "no Istio or Kubernetes manifest nests this deep; check the file is what you meant to commit",
                     at: mark)
                return false
            }
            expanded += 1
            stack.append(Frame(
                isMapping: isMapping, mark: mark,
                anchor: anchorPointer.map { Self.string($0, Self.cLength($0)) },
                start: isMapping ? scratchPairs.count : scratchItems.count,
                expandedStart: expanded - 1))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            let node: YAMLNode
            if frame.isMapping {
                let pairs = Array(scratchPairs[frame.start...])
                scratchPairs.removeSubrange(frame.start...)
                node = YAMLNode(.mapping(closeMapping(pairs)), mark: frame.mark)
            } else {
                let items = Array(scratchItems[frame.start...])
                scratchItems.removeSubrange(frame.start...)
                node = YAMLNode(.sequence(items), mark: frame.mark)
            }
            if let anchor = frame.anchor { anchors[anchor] = (node, expanded - frame.expandedStart) }
            return attach(node)
        default:
            break
        }
        return true
    }

    /// Hangs a finished node on its parent, or makes it the document root.
    private mutating func attach(_ node: YAMLNode) -> Bool {
        if expanded > limits.maxExpandedNodes {
            fail(Codes.inputLimitExceeded,
                 "aliases expand this document to more than \(limits.maxExpandedNodes) nodes",
                 hint: "this looks like an alias bomb; write the values out or use fewer nested aliases",
                 at: node.mark)
            return false
        }
        guard !stack.isEmpty else {
            root = node
            return true
        }
        let top = stack.count - 1
        if stack[top].isMapping {
            if let key = stack[top].pendingKey {
                scratchPairs.append(YAMLPair(key: key, value: node))
                stack[top].pendingKey = nil
            } else {
                stack[top].pendingKey = node
            }
        } else {
            scratchItems.append(node)
        }
        return true
    }

    /// Applies `<<` merge keys and reports duplicate keys.
    private mutating func closeMapping(_ pairs: [YAMLPair]) -> [YAMLPair] {
        var result = pairs
        if pairs.contains(where: { $0.key.scalar == "<<" && $0.key.isPlainScalar }) {
            result = MergeKeys.apply(pairs)
        }
        reportDuplicateKeys(result)
        return result
    }

    private mutating func reportDuplicateKeys(_ pairs: [YAMLPair]) {
        guard pairs.count > 1 else { return }
        if pairs.count <= 12 {
            for i in 1..<pairs.count {
                guard let key = pairs[i].key.scalar else { continue }
                for j in 0..<i where pairs[j].key.scalar == key {
                    duplicate(key, pairs[i].key.mark, first: pairs[j].key.mark)
                    break
                }
            }
            return
        }
        var seen: [String: Mark] = [:]
        for pair in pairs {
            guard let key = pair.key.scalar else { continue }
            if let first = seen[key] { duplicate(key, pair.key.mark, first: first) } else { seen[key] = pair.key.mark }
        }
    }

    private mutating func duplicate(_ key: String, _ mark: Mark, first: Mark) {
        diagnostics.append(Diagnostic(
            Codes.duplicateKey,
            "key \"\(key)\" appears twice in one mapping (first at line \(first.line))",
            hint: "remove one of them; Kubernetes rejects duplicate keys and readers disagree on which wins",
            file: path, mark: mark))
    }

    private mutating func reportSyntaxError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        var mark: Mark
        if parser.error == YAML_READER_ERROR {
            mark = Self.mark(atOffset: Int(parser.problem_offset), in: bytes)
        } else {
            mark = Mark(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
        }
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(problem) \(context) started at line \(parser.context_mark.line + 1)"
        }
        if parser.error == YAML_READER_ERROR { message = "\(problem) (byte offset \(parser.problem_offset))" }
        if mark.line < 1 { mark = .start }
        fail(Codes.yamlSyntaxError, "YAML syntax error: \(message)",
             hint: "fix the YAML here; documents before this point were read, the rest of the file was skipped",
             at: mark)
    }

    private mutating func fail(_ code: DiagnosticCode, _ message: String, hint: String? = nil, at mark: Mark) {
        diagnostics.append(Diagnostic(code, message, hint: hint, file: path, mark: mark))
    }

    private static func string(_ pointer: UnsafePointer<UInt8>?, _ length: Int) -> String {
        guard let pointer, length > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private static func string(_ pointer: UnsafeMutablePointer<UInt8>?, _ length: Int) -> String {
        string(UnsafePointer(pointer), length)
    }

    private static func cLength(_ pointer: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        while pointer[n] != 0 { n += 1 }
        return n
    }

    /// Line and column of a byte offset (for reader errors, which carry no mark).
    static func mark(atOffset offset: Int, in bytes: UnsafeRawBufferPointer) -> Mark {
        var line = 1, column = 1
        for i in 0..<min(offset, bytes.count) {
            if bytes[i] == 0x0A { line += 1; column = 1 } else { column += 1 }
        }
        return Mark(line: line, column: column)
    }
}

extension YAMLNode {
    var isPlainScalar: Bool {
        if case .scalar(_, let plain) = content { return plain }
        return false
    }
}
