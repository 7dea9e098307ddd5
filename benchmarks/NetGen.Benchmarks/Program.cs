using BenchmarkDotNet.Configs;
using Perfolizer.Horology;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace NetGen.Benchmarks;

/// <summary>
/// Entry point: every benchmark class in this assembly is offered by BenchmarkDotNet's switcher, so a run picks classes
/// with <c>--filter</c> (for example <c>--filter '*Xor*'</c>); see README.md. <c>--quick</c> runs the regression subset
/// of the suite instead (<see cref="QuickConfig"/>).
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected by <paramref name="args"/>.</summary>
    public static void Main(string[] args)
    {
        if (args.Contains("--quick"))
        {
            BenchmarkRunner.Run<SuiteBenchmarks>(QuickConfig(), [.. args.Where(a => a != "--quick")]);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    /// <summary>
    /// The suite's quick mode, for regressions, in about two minutes: NetGen's rows and the same run's yardsticks
    /// (FmaPeak, FmaPeakTwoThreads, L2Read, AdamStateFloor), so that every row's time and % of peak can be compared with an earlier run, but
    /// not the dynamic-size baselines (the slowest part: one Fashion-MNIST epoch of the baseline takes about 20 s); in this
    /// process (no build and launch per row), one launch, 2 warm-up and 5 measured iterations of about 200 ms each (the
    /// full run's are 500 ms). Ratios need the full run.
    /// </summary>
    public static IConfig QuickConfig() => DefaultConfig.Instance
        .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5)
            .WithIterationTime(TimeInterval.FromMilliseconds(200)).WithId("quick"))
        .AddFilter(new SimpleFilter(benchmark => !benchmark.Descriptor.Baseline));
}
