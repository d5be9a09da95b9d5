import Foundation
import MeshTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `meshc echo`, the backend of every end-to-end scenario, on its own.
@Suite(.tags(.e2e)) struct EchoTests {
    @Test func answersItsTextOnEveryPathWithKeepAlive() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo")
        let connection = HTTPConnection(port: foo.port)
        for path in ["/", "/bar", "/hoge?x=1"] {
            let response = try connection.request("GET", path)
            #expect(response.status == 200)
            #expect(response.text == "foo\n")
            #expect(response.header("content-type") == "text/plain; charset=utf-8")
            #expect(response.header("connection") != "close")
        }
        let posted = try connection.request("POST", "/", body: Data("ignored".utf8))
        #expect(posted.text == "foo\n")
        let head = try connection.request("HEAD", "/")
        #expect(head.status == 200 && head.body.isEmpty && head.header("content-length") == "4")
    }

    @Test func closesWhenAsked() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let bar = try bed.echo(text: "bar")
        let response = try HTTPConnection.get(port: bar.port, "/", headers: [("connection", "close")])
        #expect(response.text == "bar\n")
        #expect(response.header("connection") == "close")
    }

    @Test func colonPortMeansLoopbackAndStatusIsConfigurable() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let port = try Ports.free()
        let down = try bed.echo(text: "down", status: 503, port: port, listen: ":\(port)")
        let response = try HTTPConnection.get(port: down.port, "/")
        #expect(response.status == 503)
        #expect(response.text == "down\n")
    }

    @Test func portZeroAnnouncesTheBoundPort() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo", listen: ":0")
        #expect(foo.port > 0)
        #expect(try HTTPConnection.get(port: foo.port, "/").text == "foo\n")
        #expect(foo.process.outputTail().contains("meshc echo: listening on 127.0.0.1:\(foo.port)"))
    }

    @Test func stopsCleanlyOnSIGTERM() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo")
        let connection = HTTPConnection(port: foo.port)
        _ = try connection.request("GET", "/") // an open keep-alive connection must not hold it up
        #expect(foo.process.stop(seconds: 5) == 0)
        #expect(!Loopback.accepts(port: foo.port))
    }

    @Test(arguments: [
        ["--text", "x", "--listen", "nonsense"],
        ["--text", "x", "--listen", "127.0.0.1:99999"],
        ["--text", "x", "--listen", "::1:80"],
        ["--text", "x", "--status", "42"],
        ["--listen", ":0"],
    ])
    func usageErrorsExitTwo(arguments: [String]) throws {
        let run = try Tools.meshc(["echo"] + arguments, timeout: 10)
        #expect(run.status == 2, "\(run.stderr)")
    }

    @Test func aTakenPortExitsTwo() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo")
        let second = try Tools.meshc(["echo", "--text", "bar", "--listen", "127.0.0.1:\(foo.port)"], timeout: 10)
        #expect(second.status == 2)
        #expect(second.stderr.contains("cannot listen on 127.0.0.1:\(foo.port)"))
    }
}
