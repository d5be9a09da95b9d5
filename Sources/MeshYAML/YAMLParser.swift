#if canImport(Glibc)
import Glibc
#endif
import CYAML
import MeshDiagnostics

/// Parses a YAML (or JSON) stream with system libyaml into position-carrying
/// nodes, one document at a time, without recursion.
///
/// Errors are diagnostics, never crashes: a syntax error ends the file (the
/// documents before it are kept), and so do the limits in `ParseLimits`.
package enum YAMLParser {
    /// Parses `bytes` as the contents of `path` (used in diagnostics only).
    package static func parse(_ bytes: UnsafeRawBufferPointer, path: String, limits: ParseLimits = .default) -> YAMLFile {
        var builder = TreeBuilder(path: path, limits: limits, bytes: bytes)
        builder.run()
        // libyaml refuses `::1`-style plain IPv6 addresses YAML 1.2 (Kubernetes, Istio) reads: quoted, they parse.
        if builder.diagnostics.contains(where: { $0.code == Codes.yamlSyntaxError }), let quoted = IPv6Quoting.rewrite(bytes) {
            let retry = quoted.withUnsafeBytes { rewritten -> TreeBuilder in
                var again = TreeBuilder(path: path, limits: limits, bytes: rewritten)
                again.run()
                return again
            }
            if !retry.diagnostics.contains(where: { $0.code == Codes.yamlSyntaxError }) {
                // Spans of the rewritten bytes would not index the file's own.
                let documents = retry.documents.map { YAMLDocument(root: $0.root, index: $0.index) }
                return YAMLFile(path: path, documents: documents, diagnostics: retry.diagnostics)
            }
        }
        return YAMLFile(path: path, documents: builder.documents, diagnostics: builder.diagnostics)
    }

    /// Parses a string; convenient for tests and standard input.
    package static func parse(_ text: String, path: String, limits: ParseLimits = .default) -> YAMLFile {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0), path: path, limits: limits) }
    }

    /// Parses a byte array.
    package static func parse(_ bytes: [UInt8], path: String, limits: ParseLimits = .default) -> YAMLFile {
        bytes.withUnsafeBytes { parse($0, path: path, limits: limits) }
    }
}

/// One open mapping or sequence while its children are read. Children of
/// all open containers wait in one scratch array (containers close in LIFO
/// order) and move to the tree's child array when their container closes.
private struct Frame {
    var node: Int32
    var anchor: String?
    /// Where this container's children start in `scratch`.
    var start: Int
    /// Expanded-node counter when this container opened.
    var expandedStart: Int
}

private struct TreeBuilder {
    let path: String
    let limits: ParseLimits
    let bytes: UnsafeRawBufferPointer
    private var nodes: GrowableBuffer<YAMLTree.Node>
    private var children: GrowableBuffer<Int32>
    private var arena: GrowableBuffer<UInt8>
    /// Root node, index and byte span of each non-empty document, until the tree is built.
    private var roots: [(node: Int32, index: Int, span: Range<Int>)] = []
    private(set) var documents: [YAMLDocument] = []
    var diagnostics: [Diagnostic] = []

    private var stack: [Frame] = []
    private var scratch = GrowableBuffer<Int32>(capacity: 256)
    private var anchors: [String: (node: Int32, size: Int)] = [:]
    private var expanded = 0
    private var documentCount = 0
    private var root: Int32?
    /// Byte offsets of the open document's start and of its furthest event end.
    private var documentStart = 0
    private var documentEnd = 0

    init(path: String, limits: ParseLimits, bytes: UnsafeRawBufferPointer) {
        self.path = path
        self.limits = limits
        self.bytes = bytes
        arena = GrowableBuffer(capacity: bytes.count / 2)
        nodes = GrowableBuffer(capacity: bytes.count / 8)
        children = GrowableBuffer(capacity: bytes.count / 8)
    }

    mutating func run() {
        parse()
        scratch.free()
        let tree = YAMLTree(nodes: nodes.take(), children: children.take(), bytes: arena.take())
        documents = roots.map { YAMLDocument(root: YAMLNode(tree, $0.node), index: $0.index, span: $0.span) }
    }

    private mutating func parse() {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            fail(Codes.inputLimitExceeded, "libyaml could not allocate a parser", at: .start)
            return
        }
        defer { yaml_parser_delete(&parser) }
        guard let base = bytes.baseAddress else { return } // empty input: no documents
        yaml_parser_set_input_string(&parser, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                reportSyntaxError(parser)
                return
            }
            let keepGoing = handle(&event)
            let done = event.type == YAML_STREAM_END_EVENT
            yaml_event_delete(&event)
            if !keepGoing || done { return }
        }
    }

    /// Handles one event; false stops the parse (a limit was hit).
    private mutating func handle(_ event: inout yaml_event_t) -> Bool {
        let mark = Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        documentEnd = max(documentEnd, Int(event.end_mark.index))
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentStart = Int(event.start_mark.index)
            documentEnd = Int(event.end_mark.index)
            documentCount += 1
            if documentCount > limits.maxDocuments {
                fail(Codes.inputLimitExceeded, "the file holds more than \(limits.maxDocuments) YAML documents",
                     hint: "split it into several files, or raise the limit with --max-documents", at: mark)
                return false
            }
            anchors.removeAll(keepingCapacity: true)
            expanded = 0
            root = nil
        case YAML_DOCUMENT_END_EVENT:
            if let root, !isNull(root) { roots.append((root, documentCount - 1, documentStart..<documentEnd)) }
            root = nil
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let length = Int(scalar.length)
            guard arena.count + length < Int(Int32.max) else {
                fail(Codes.inputLimitExceeded, "scalars in this file exceed 2 GiB", hint: "split the file", at: mark)
                return false
            }
            var plain = scalar.style == YAML_PLAIN_SCALAR_STYLE
            if plain, let tag = scalar.tag, Self.string(tag) == "tag:yaml.org,2002:str" { plain = false }
            let offset = Int32(arena.count)
            if length > 0 { arena.append(UnsafeBufferPointer(start: scalar.value, count: length)) }
            let index = appendNode(.scalar, plain: plain, mark: mark, a: offset, b: Int32(length))
            expanded += 1
            if let anchor = scalar.anchor { anchors[Self.string(anchor)] = (index, 1) }
            return attach(index, mark: mark)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor)
            guard let target = anchors[name] else {
                fail(Codes.yamlSyntaxError, "alias *\(name) names no anchor defined before it",
                     hint: "define &\(name) earlier in the same document", at: mark)
                return false
            }
            expanded += target.size
            return attach(target.node, mark: mark)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            if stack.count >= limits.maxDepth {
                fail(Codes.inputLimitExceeded, "nesting is deeper than \(limits.maxDepth) levels",
                     hint: "no Istio or Kubernetes manifest nests this deep; check the file is what you meant to commit",
                     at: mark)
                return false
            }
            expanded += 1
            let index = appendNode(isMapping ? .mapping : .sequence, plain: false, mark: mark, a: 0, b: 0)
            stack.append(Frame(node: index, anchor: anchor.map(Self.string), start: scratch.count, expandedStart: expanded - 1))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            let first = Int32(children.count)
            children.append(from: scratch, start: frame.start)
            let count = scratch.count - frame.start
            scratch.truncate(to: frame.start)
            nodes[Int(frame.node)].a = first
            if nodes[Int(frame.node)].kind == .mapping {
                nodes[Int(frame.node)].b = Int32(count / 2)
                closeMapping(frame.node)
            } else {
                nodes[Int(frame.node)].b = Int32(count)
            }
            if let anchor = frame.anchor { anchors[anchor] = (frame.node, expanded - frame.expandedStart) }
            return attach(frame.node, mark: nodes[Int(frame.node)].mark)
        default:
            break
        }
        return true
    }

    private mutating func appendNode(_ kind: YAMLNode.Kind, plain: Bool, mark: Mark, a: Int32, b: Int32) -> Int32 {
        nodes.append(YAMLTree.Node(kind: kind, plain: plain, mark: mark, a: a, b: b))
        return Int32(nodes.count - 1)
    }

    /// Hangs a finished node on its parent, or makes it the document root.
    private mutating func attach(_ node: Int32, mark: Mark) -> Bool {
        if expanded > limits.maxExpandedNodes {
            fail(Codes.inputLimitExceeded, "aliases expand this document to more than \(limits.maxExpandedNodes) nodes",
                 hint: "this looks like an alias bomb; write the values out or use fewer nested aliases", at: mark)
            return false
        }
        if stack.isEmpty { root = node } else { scratch.append(node) }
        return true
    }

    // MARK: reading the tree while it is built

    private func key(_ mapping: Int32, _ i: Int) -> Int32 { children[Int(nodes[Int(mapping)].a) + 2 * i] }
    private func value(_ mapping: Int32, _ i: Int) -> Int32 { children[Int(nodes[Int(mapping)].a) + 2 * i + 1] }

    private func text(_ node: Int32) -> String? {
        let n = nodes[Int(node)]
        guard n.kind == .scalar else { return nil }
        return String(decoding: UnsafeBufferPointer(start: arena.base + Int(n.a), count: Int(n.b)), as: UTF8.self)
    }

    private func isNull(_ node: Int32) -> Bool {
        let n = nodes[Int(node)]
        guard n.kind == .scalar, n.plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text(node) ?? "-")
    }

    private func isMergeKey(_ node: Int32) -> Bool {
        let n = nodes[Int(node)]
        return n.kind == .scalar && n.plain && n.b == 2 && arena[Int(n.a)] == UInt8(ascii: "<") && arena[Int(n.a) + 1] == UInt8(ascii: "<")
    }

    private func sameScalar(_ a: Int32, _ b: Int32) -> Bool {
        let x = nodes[Int(a)], y = nodes[Int(b)]
        guard x.kind == .scalar, y.kind == .scalar, x.b == y.b else { return false }
        return x.a == y.a || memcmp(arena.base + Int(x.a), arena.base + Int(y.a), Int(x.b)) == 0
    }

    /// Applies `<<` merge keys and reports duplicate keys of a closed mapping.
    private mutating func closeMapping(_ mapping: Int32) {
        let count = Int(nodes[Int(mapping)].b)
        guard count > 0 else { return }
        if (0..<count).contains(where: { isMergeKey(key(mapping, $0)) }) { applyMergeKeys(mapping) }
        reportDuplicateKeys(mapping)
    }

    /// YAML 1.1 merge keys (`<<: *defaults`), which Kubernetes' reader honours:
    /// keys written in the mapping win over merged ones, earlier merges win over later.
    private mutating func applyMergeKeys(_ mapping: Int32) {
        var own: [(Int32, Int32)] = []
        var merged: [(Int32, Int32)] = []
        func pairsOf(_ node: Int32) -> [(Int32, Int32)] {
            guard nodes[Int(node)].kind == .mapping else { return [] }
            return (0..<Int(nodes[Int(node)].b)).map { (key(node, $0), value(node, $0)) }
        }
        for i in 0..<Int(nodes[Int(mapping)].b) {
            let (k, v) = (key(mapping, i), value(mapping, i))
            guard isMergeKey(k) else { own.append((k, v)); continue }
            switch nodes[Int(v)].kind {
            case .mapping: merged += pairsOf(v)
            case .sequence:
                let n = nodes[Int(v)]
                for j in 0..<Int(n.b) { merged += pairsOf(children[Int(n.a) + j]) }
            case .scalar: own.append((k, v)) // not a merge; schema validation reports it
            }
        }
        var seen = Set(own.compactMap { text($0.0) })
        var result = own
        for pair in merged {
            guard let name = text(pair.0), seen.insert(name).inserted else { continue }
            result.append(pair)
        }
        nodes[Int(mapping)].a = Int32(children.count)
        nodes[Int(mapping)].b = Int32(result.count)
        for (k, v) in result { children.append(k); children.append(v) }
    }

    private mutating func reportDuplicateKeys(_ mapping: Int32) {
        let count = Int(nodes[Int(mapping)].b)
        guard count > 1 else { return }
        if count <= 12 {
            for i in 1..<count {
                let k = key(mapping, i)
                guard nodes[Int(k)].kind == .scalar else { continue }
                for j in 0..<i where sameScalar(key(mapping, j), k) {
                    duplicate(text(k) ?? "", nodes[Int(k)].mark, first: nodes[Int(key(mapping, j))].mark)
                    break
                }
            }
            return
        }
        var seen: [String: Mark] = [:]
        for i in 0..<count {
            let k = key(mapping, i)
            guard let name = text(k) else { continue }
            if let first = seen[name] { duplicate(name, nodes[Int(k)].mark, first: first) } else { seen[name] = nodes[Int(k)].mark }
        }
    }

    private mutating func duplicate(_ key: String, _ mark: Mark, first: Mark) {
        diagnostics.append(Diagnostic(
            Codes.duplicateKey, "key \"\(key)\" appears twice in one mapping (first at line \(first.line))",
            hint: "remove one of them; Kubernetes rejects duplicate keys and readers disagree on which wins",
            file: path, mark: mark))
    }

    private mutating func reportSyntaxError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        var mark: Mark
        var message = problem
        if parser.error == YAML_READER_ERROR {
            mark = Self.mark(atOffset: Int(parser.problem_offset), in: bytes)
            message = "\(problem) (byte offset \(parser.problem_offset))"
        } else {
            mark = Mark(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
            if let context = parser.context.map({ String(cString: $0) }) {
                message = "\(problem) \(context) started at line \(parser.context_mark.line + 1)"
            }
        }
        if mark.line < 1 { mark = .start }
        fail(Codes.yamlSyntaxError, "YAML syntax error: \(message)",
             hint: "fix the YAML here; documents before this point were read, the rest of the file was skipped", at: mark)
    }

    private mutating func fail(_ code: DiagnosticCode, _ message: String, hint: String? = nil, at mark: Mark) {
        diagnostics.append(Diagnostic(code, message, hint: hint, file: path, mark: mark))
    }

    /// A NUL-terminated libyaml string (anchors, tags).
    private static func string(_ pointer: UnsafeMutablePointer<UInt8>) -> String {
        var n = 0
        while pointer[n] != 0 { n += 1 }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: n), as: UTF8.self)
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
