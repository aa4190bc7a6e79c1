using System.Text;

namespace ConvexProof.Cli.Infrastructure;

/// <summary>
/// Writes an output through a temporary file in the same folder, renamed into place only when
/// complete, so a failed or interrupted run never leaves a half-written file.
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
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(folder)) throw new UsageException($"{path}: the folder {folder} does not exist");
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            bool keep;
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                keep = write(stream);
                stream.Flush(flushToDisk: false);
            }
            if (keep) File.Move(temp, full, overwrite: true);
            else TryDelete(temp);
            return keep;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new UsageException($"{path}: cannot write the file ({e.Message})");
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void WriteText(string path, string text) =>
        Write(path, s => s.Write(new UTF8Encoding(false).GetBytes(text)));

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
