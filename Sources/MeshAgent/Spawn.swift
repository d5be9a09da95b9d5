import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Child processes started with `posix_spawn`, not Foundation's `Process`:
/// the child gets an empty signal mask and default handlers, so neither the
/// parent's blocked signals nor its ignored ones (a SIGTERM handler set up
/// through `SIG_IGN`) leak into it, and it always dies of SIGTERM; and no
/// descriptor but its standard three (as `Process` closed them). The agent
/// starts Envoy with it, the tests every long-running child.
package enum ChildProcess {
    /// How `spawn` starts a child.
    package struct Options: Sendable {
        /// The file standard input reads.
        package var stdin = "/dev/null"
        /// The file standard output goes to (created 0640 when missing).
        package var stdout = "/dev/null"
        /// The file standard error goes to; nil: the same as `stdout`.
        package var stderr: String?
        /// A descriptor standard output and error both go to (a pipe's
        /// write end); set, it takes the place of `stdout` and `stderr`.
        package var outputDescriptor: Int32?
        /// Appends to the output files instead of truncating them.
        package var append = false
        /// The child's working folder; nil: this process's.
        package var directory: String?
        /// Variables added to this process's environment.
        package var environment: [String: String] = [:]
        /// A bare executable name is looked up in PATH (else it is a path).
        package var searchPath = false
        /// Who the child runs as (through setpriv); nil: as this process.
        package var user: EnvoyUser?

        /// Standard input from /dev/null, output to /dev/null, as this process.
        package init() {}
    }

    /// Starts `executable arguments…` as `options` say and returns its pid.
    /// With `options.user` the child is `setpriv … -- executable arguments…`:
    /// setpriv execs, so the pid and, once it has, the command line are the executable's.
    package static func spawn(_ executable: String, _ arguments: [String], _ options: Options) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let mode = O_WRONLY | O_CREAT | (options.append ? O_APPEND : O_TRUNC)
        posix_spawn_file_actions_addopen(&actions, 0, options.stdin, O_RDONLY, 0)
        if let output = options.outputDescriptor {
            posix_spawn_file_actions_adddup2(&actions, output, 1)
            posix_spawn_file_actions_adddup2(&actions, output, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, options.stdout, mode, 0o640)
            if let stderr = options.stderr {
                posix_spawn_file_actions_addopen(&actions, 2, stderr, mode, 0o640)
            } else {
                posix_spawn_file_actions_adddup2(&actions, 1, 2)
            }
        }
        // Nothing else of this process's: a listening socket, a client's connection or a pipe left
        // open in a child outlives this process (a validating Envoy kept a killed agent's connection
        // to its reconciler open, which then waited on it instead of seeing the agent gone).
        if let closefrom = closefrom { _ = closefrom(&actions, 3) }
        if let directory = options.directory {
            guard let addchdir = addchdir else { throw AgentIOError("posix_spawn cannot change folders on this system") }
            _ = addchdir(&actions, directory)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var program = executable, words = [executable] + arguments
        if let user = options.user {
            // setpriv looks a bare name up in PATH: name it as posix_spawn would find it.
            let target = options.searchPath || executable.contains("/") ? executable : "./" + executable
            program = try EnvoyUser.setpriv()
            words = [program] + user.setprivArguments + [target] + arguments
        }
        let argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var envp: [UnsafeMutablePointer<CChar>?] = []
        if !options.environment.isEmpty {
            let variables = ProcessInfo.processInfo.environment.merging(options.environment) { _, added in added }
            envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        }
        defer { envp.forEach { free($0) } }
        var child: pid_t = 0
        let result = envp.isEmpty
            ? start(&child, program, &actions, &attributes, argv, environ, searchPath: options.searchPath)
            : start(&child, program, &actions, &attributes, argv, envp, searchPath: options.searchPath)
        guard result == 0 else { throw AgentIOError("cannot start \(executable): \(String(cString: strerror(result)))") }
        return child
    }

    private static func start(_ child: inout pid_t, _ program: String, _ actions: inout posix_spawn_file_actions_t,
                              _ attributes: inout posix_spawnattr_t, _ argv: [UnsafeMutablePointer<CChar>?],
                              _ envp: UnsafePointer<UnsafeMutablePointer<CChar>?>, searchPath: Bool) -> Int32 {
        searchPath ? posix_spawnp(&child, program, &actions, &attributes, argv, envp)
            : posix_spawn(&child, program, &actions, &attributes, argv, envp)
    }

    /// glibc's `posix_spawn_file_actions_addchdir_np`.
    private static let addchdir = glibc("posix_spawn_file_actions_addchdir_np", as: AddChdir.self)
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later).
    private static let closefrom = glibc("posix_spawn_file_actions_addclosefrom_np", as: AddClosefrom.self)
    private typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// The glibc function `name` as a `T` (a `@convention(c)` type), or nil
    /// when this C library lacks it: for the GNU extensions Swift's Glibc
    /// module does not declare (they need `_GNU_SOURCE`).
    static func glibc<T>(_ name: String, as type: T.Type) -> T? {
        dlsym(dlopen(nil, RTLD_NOW), name).map { unsafeBitCast($0, to: T.self) }
    }
}
