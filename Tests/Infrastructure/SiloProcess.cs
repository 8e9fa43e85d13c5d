using System.Diagnostics;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// A silo in a child process (the real Silo.dll), so that a test can kill it outright —
/// SIGKILL, no shutdown hooks, claims left as they were — as a crash would.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process) => _process = process;

    public static SiloProcess Start(IReadOnlyDictionary<string, string?> settings)
    {
        var silo = Path.Combine(AppContext.BaseDirectory, "Silo.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { silo, "--urls=http://127.0.0.1:0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info)!;
        // Drained so that a full pipe never stalls the silo; what it prints is not needed.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(process);
    }

    /// <summary>Kills the silo at once, as a crash or an OOM kill would.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
