using BenchmarkDotNet.Running;

namespace NetGen.Benchmarks;

/// <summary>
/// Entry point: every benchmark class in this assembly is offered by BenchmarkDotNet's switcher, so a run picks classes
/// with <c>--filter</c> (for example <c>--filter '*Xor*'</c>); see README.md.
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected by <paramref name="args"/>.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
