namespace ConvexProof.Cli.Tests;

/// <summary>
/// Missing files, directories and unwritable places, for every command: one line on stderr naming
/// the path and saying what is wrong in plain words (no .NET type names), exit 2, nothing written.
/// </summary>
public class FileErrorTests
{
    private static void AssertPlainOneLine(Cli.Run r, params string[] mentions)
    {
        Cli.AssertOneLineError(r, mentions);
        Assert.DoesNotContain("Exception", r.Err);
    }

    // ---- inputs the CLI reads itself: check's two files, the ONNX model, response files ----

    [Fact]
    public void CheckNamesAMissingOrDirectoryInput()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", TestNets.MaxOfTwo), cert = dir.File("net.cert.json");
        Assert.Equal(0, Cli.Invoke("certify", net, "--out", cert, "--quiet").Code);
        AssertPlainOneLine(Cli.Invoke("check", net, dir.File("none.cert.json")), "none.cert.json", "no such file");
        AssertPlainOneLine(Cli.Invoke("check", dir.File("none.json"), cert), "none.json", "no such file");
        AssertPlainOneLine(Cli.Invoke("check", net, dir.Path), dir.Path, "is a directory");
        AssertPlainOneLine(Cli.Invoke("check", dir.Path, cert), dir.Path, "is a directory");
        Assert.Equal(["net.cert.json", "net.json"], dir.Files());
    }

    [Fact]
    public void ImportNamesAMissingOrDirectoryModel()
    {
        using var dir = new TempFolder();
        AssertPlainOneLine(Cli.Invoke("import", dir.File("none.onnx"), "--out", dir.File("net.json")), "none.onnx: no such file");
        AssertPlainOneLine(Cli.Invoke("import", dir.Path, "--out", dir.File("net.json")), $"{dir.Path}: is a directory");
        Assert.Empty(dir.Files());
    }

    [Fact]
    public void AResponseFileThatCannotBeReadIsAUsageError()
    {
        using var dir = new TempFolder();
        AssertPlainOneLine(Cli.Invoke("info", "@" + dir.File("none.rsp")), "response file @", "none.rsp: no such file");
        AssertPlainOneLine(Cli.Invoke("info", "@" + dir.Path), "is a directory");
    }

    [RequiresNonRootFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void AnUnreadableInputSaysPermissionDenied()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", TestNets.MaxOfTwo), cert = dir.File("net.cert.json");
        Assert.Equal(0, Cli.Invoke("certify", net, "--out", cert, "--quiet").Code);
        File.SetUnixFileMode(cert, UnixFileMode.None);
        string rsp = dir.Write("args.rsp", "info\n");
        File.SetUnixFileMode(rsp, UnixFileMode.None);
        AssertPlainOneLine(Cli.Invoke("check", net, cert), "net.cert.json", "permission denied");
        AssertPlainOneLine(Cli.Invoke("@" + rsp), "args.rsp", "permission denied");
    }

    // ---- network files: read by NetworkReader, whose wording the readers' change sets ----

    private static readonly string[][] NetworkCommands =
    [
        ["certify", "{net}", "--out", "{dir}/out.cert.json"],
        ["certify", "{net}", "--out-dir", "{dir}/certs", "--quiet"],
        ["info", "{net}"],
        ["plot", "{net}", "--out", "{dir}/plot.svg"],
        ["smt-check", "{net}"],
    ];

    [RequiresReaderFileMessagesFact]
    public void EveryCommandNamesAMissingOrDirectoryNetwork()
    {
        foreach (var args in NetworkCommands)
        {
            using var dir = new TempFolder();
            string[] With(string net) => [.. args.Select(a => a.Replace("{net}", net).Replace("{dir}", dir.Path))];
            bool batch = args.Contains("--out-dir");
            var missing = Cli.Invoke(With(dir.File("none.json")));
            var folder = Cli.Invoke(With(dir.Path));
            if (batch)
            {
                // Batch mode reports the network on its own line and goes on (exit 2 overall).
                Assert.Equal(2, missing.Code);
                Assert.Contains("none.json: error: ", missing.Out);
                Assert.Contains("no such file", missing.Out);
                Assert.Contains("is a directory", folder.Out);
                Assert.DoesNotContain("Exception", missing.Out + folder.Out);
            }
            else
            {
                AssertPlainOneLine(missing, "none.json", "no such file");
                AssertPlainOneLine(folder, dir.Path, "is a directory");
            }
            Assert.DoesNotContain(dir.Files(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        }
    }

    // ---- outputs: a missing folder, a directory, a place nobody may write, all before any work ----

    [Fact]
    public void AnOutputPathInAMissingFolderOrThatIsADirectoryIsAUsageError()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", TestNets.MaxOfTwo);
        string nowhere = Path.Combine(dir.Path, "no", "out.json");
        AssertPlainOneLine(Cli.Invoke("certify", net, "--out", nowhere), "cannot write the file (no such directory");
        AssertPlainOneLine(Cli.Invoke("plot", net, "--out", nowhere), "cannot write the file (no such directory");
        AssertPlainOneLine(Cli.Invoke("certify", net, "--out", dir.Path), "cannot write the file (is a directory)");
        AssertPlainOneLine(Cli.Invoke("plot", net, "--out", dir.Path), "cannot write the file (is a directory)");
        AssertPlainOneLine(Cli.Invoke("certify", net, "--out-dir", net), "--out-dir", "is a file, not a directory");
        Assert.Equal(["net.json"], dir.Files());
    }

    [Fact]
    public void ImportChecksItsOutputBeforeReadingTheModel()
    {
        using var dir = new TempFolder();
        AssertPlainOneLine(Cli.Invoke("import", dir.File("none.onnx"), "--out", Path.Combine(dir.Path, "no", "net.json")), "no such directory");
        AssertPlainOneLine(Cli.Invoke("import", dir.File("none.onnx"), "--out", dir.Path), "is a directory");
    }

    /// <summary>/sys refuses new files even to root: an unwritable place on any Linux machine.</summary>
    [Fact]
    public void AnUnwritableOutputIsOneLine()
    {
        Assert.True(Directory.Exists("/sys"), "this test needs Linux's /sys");
        using var dir = new TempFolder();
        string net = dir.Write("net.json", TestNets.MaxOfTwo);
        var certify = Cli.Invoke("certify", net, "--out", "/sys/convexproof-test.cert.json", "--progress");
        AssertPlainOneLine(certify, "/sys/convexproof-test.cert.json: cannot write the file (");
        Assert.DoesNotContain("regions", certify.Err); // refused before any work
        AssertPlainOneLine(Cli.Invoke("plot", net, "--out", "/sys/convexproof-test.svg", "--quiet"), "cannot write the file (");
        AssertPlainOneLine(Cli.Invoke("certify", net, "--out-dir", "/sys/convexproof-test-certs"), "--out-dir", "cannot create the directory (");
        AssertPlainOneLine(Cli.Invoke("certify", net, "--out-dir", "/sys"), "--out-dir /sys: cannot write in the directory (");
        Assert.False(File.Exists("/sys/convexproof-test.cert.json"));
    }
}
