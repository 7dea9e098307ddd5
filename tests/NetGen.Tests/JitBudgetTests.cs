using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NetGen.Tests;

/// <summary>
/// The generator must keep every emitted method inside the JIT's optimisation budget: a method over it is compiled with
/// minimal optimisation (MinOpts) for the life of the process. This runs tests/NetGen.JitProbe — networks at the edges of
/// the budget — with tiering off (every method compiled fully at its first call) and the JIT's summary on, and fails on
/// any generated method that ended in MinOpts.
/// </summary>
public class JitBudgetTests
{
    [Fact]
    public void No_generated_method_is_compiled_without_optimisation()
    {
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/{Configuration}/net10.0/
        string probe = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../NetGen.JitProbe/bin", configuration, "net10.0/NetGen.JitProbe.dll"));
        Assert.True(File.Exists(probe), $"The probe was not built: {probe}");
        string log = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("dotnet", [probe]) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["DOTNET_TieredCompilation"] = "0";
            start.Environment["DOTNET_JitDisasmSummary"] = "1";
            start.Environment["DOTNET_JitStdOutFile"] = log;
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            string errors = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(120_000), "The probe did not finish in two minutes.");
            Assert.True(process.ExitCode == 0, $"The probe failed ({process.ExitCode}):\n{output}\n{errors}");
            Assert.Contains("probed MnistSized", output);

            // Lines look like: "JIT compiled DeepSmall:ForwardLayer1(...) [FullOpts, IL size=4822, code size=5131]".
            var compiled = File.ReadAllLines(log)
                .Select(line => Regex.Match(line, @"JIT compiled (\S+?):(\S+)\(.*\[([^,\]]+)"))
                .Where(m => m.Success)
                .Select(m => (Type: m.Groups[1].Value, Method: m.Groups[2].Value, Tier: m.Groups[3].Value))
                .ToList();
            var probed = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Replace("probed ", "").Trim()).ToHashSet();
            // The generated methods, and the runtime kernels they call (recurrent layers run in RecurrentKernels).
            var generated = compiled.Where(c => probed.Contains(c.Type) || c.Type.StartsWith("NetGen.", StringComparison.Ordinal) && c.Type.EndsWith("Kernels", StringComparison.Ordinal)).ToList();
            Assert.Contains(generated, c => c.Type == "NetGen.RecurrentKernels" && c.Method == "Backward");
            Assert.True(generated.Count > 50, $"Only {generated.Count} generated methods were seen in the JIT log; the probe did not run them.");
            Assert.Contains(generated, c => c.Method.StartsWith("BackwardLayer", StringComparison.Ordinal));
            var minOpts = generated.Where(c => c.Tier.Contains("MinOpt", StringComparison.Ordinal)).ToList();
            Assert.True(minOpts.Count == 0, "Compiled without optimisation: " + string.Join(", ", minOpts.Select(c => $"{c.Type}.{c.Method} [{c.Tier}]")));
        }
        finally
        {
            File.Delete(log);
        }
    }
}
