using System.Runtime.InteropServices;

namespace ConvexProof.Cli.Infrastructure;

/// <summary>
/// The temporary output files being written, so that SIGINT (Ctrl-C) and SIGTERM remove them
/// before the process exits with 130 / 143. Once a signal has arrived no new one is created.
/// </summary>
public static class TemporaryFiles
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Open = new(StringComparer.Ordinal);
    private static bool _stopping;

    /// <summary>Creates (or truncates) a temporary file and remembers it until <see cref="Forget"/>.</summary>
    public static FileStream Create(string path)
    {
        lock (Gate)
        {
            if (_stopping) throw new OperationCanceledException("the process is stopping on a signal");
            Open.Add(path);
            return new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        }
    }

    public static void Forget(string path)
    {
        lock (Gate) Open.Remove(path);
    }

    public static void Delete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Removes every temporary file and refuses new ones; returns how many were removed.</summary>
    public static int DeleteAll()
    {
        lock (Gate)
        {
            _stopping = true;
            int n = Open.Count;
            foreach (var path in Open) Delete(path);
            Open.Clear();
            return n;
        }
    }

    /// <summary>
    /// From now on SIGINT and SIGTERM remove the temporary files and exit with 128 + the signal
    /// number (130, 143), as a shell reports a process killed by them. Dispose to stop.
    /// </summary>
    public static IDisposable RemoveOnSignals()
    {
        var registrations = new List<PosixSignalRegistration>();
        foreach (var (signal, code) in new[] { (PosixSignal.SIGINT, 130), (PosixSignal.SIGTERM, 143) })
            registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true; // the default would end the process before the files are gone
                DeleteAll();
                Console.Error.Flush();
                Environment.Exit(code);
            }));
        return new Registrations(registrations);
    }

    private sealed class Registrations(List<PosixSignalRegistration> list) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in list) r.Dispose();
        }
    }
}
