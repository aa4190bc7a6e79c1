using System.Text;

namespace ConvexProof.Cli.Infrastructure;

/// <summary>
/// Writes an output through a temporary file in the same folder, renamed into place only when
/// complete, so a failed or interrupted run never leaves a half-written file. Temporary files in
/// progress are known to <see cref="TemporaryFiles"/>, which removes them when a signal stops the
/// process.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write) => TryWrite(path, stream =>
    {
        write(stream);
        return true;
    });

    /// <summary>
    /// Like <see cref="Write"/>, but the file appears only when <paramref name="write"/> returns
    /// true; otherwise the temporary file is removed and nothing is left behind.
    /// </summary>
    public static bool TryWrite(string path, Func<Stream, bool> write)
    {
        RequireWritable(path);
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            bool keep;
            using (var stream = TemporaryFiles.Create(temp))
            {
                keep = write(stream);
                stream.Flush(flushToDisk: false);
            }
            if (keep) File.Move(temp, full, overwrite: true);
            else TemporaryFiles.Delete(temp);
            return keep;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TemporaryFiles.Delete(temp);
            throw new UsageException($"{path}: cannot write the file ({InputFiles.Describe(e)})");
        }
        catch
        {
            TemporaryFiles.Delete(temp);
            throw;
        }
        finally
        {
            TemporaryFiles.Forget(temp);
        }
    }

    public static void WriteText(string path, string text) =>
        Write(path, s => s.Write(new UTF8Encoding(false).GetBytes(text)));

    /// <summary>A usage error unless a file can be created at <paramref name="path"/> (checked before any work).</summary>
    public static void RequireWritable(string path)
    {
        if (InputFiles.OutputProblem(path) is string problem) throw new UsageException($"{path}: cannot write the file ({problem})");
    }
}
